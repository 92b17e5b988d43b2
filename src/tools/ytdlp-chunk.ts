import { isErrorLine, isRateLimitError, parseDownloadLine } from './ytdlp'

/** A yt-dlp that keeps dying before reaching an item gives it back this often, then the item fails. */
export const MAX_CRASH_REQUEUES = 3

/** What the tracker needs of a row: our id, and the id yt-dlp prints for it. */
export interface ChunkItem {
  id: number
  source_id: string
}

/**
 * What happened to the items of one yt-dlp run, in the order the worker must apply it.
 * `failed` carries our own sentence; `ytdlp-error` carries yt-dlp's words, still to be explained.
 */
export type ChunkEvent =
  | { kind: 'started'; videoId: number }
  | {
      kind: 'progress'
      videoId: number
      percent: number | null
      downloaded_bytes: number | null
      total_bytes: number | null
      speed: number | null
      eta: number | null
    }
  | { kind: 'finished'; videoId: number; path: string }
  | { kind: 'failed'; videoId: number; error: string }
  | { kind: 'ytdlp-error'; videoId: number; text: string }
  /** Answered 429 / a bot check: not the item's fault; it goes back to the queue after a back-off. */
  | { kind: 'rate-limited'; videoId: number; text: string }
  /** Not done, not failed: back to the queue. */
  | { kind: 'requeued'; videoId: number }
  /** yt-dlp died before reaching this item for the `deaths`-th time. */
  | { kind: 'crashed-before'; videoId: number; deaths: number }
  /** Killed from outside mid-chunk: the summary for the job log. */
  | { kind: 'crashed'; signal: string; inFlight: number | null; requeued: number; failed: number }
  | { kind: 'stop-process'; signal: 'SIGTERM' | 'SIGKILL' }

export interface ChunkTrackerOptions {
  /**
   * The one question asked of the owner, at each item boundary: should the process stop
   * now? `afterItem` is true right after an item finished (and its event was applied).
   */
  stopAsked(afterItem: boolean): boolean
  /** For the stalled item's message. */
  stallSeconds: number
}

/**
 * yt-dlp's side of a download chunk as a state machine without I/O: the lines one process
 * prints go in, per-item events come out. One process downloads the items in order, so an
 * item that another item's start (or the end of the run) overtakes has failed, and yt-dlp's
 * ERROR lines on stderr are paired with those failures in order.
 */
export class ChunkTracker {
  private readonly state: Map<number, 'waiting' | 'started' | 'ended'>
  private readonly bySource: Map<string, ChunkItem>
  private cursor = 0 // index of the first item that has not ended
  private stopping = false
  private stalled = false
  private readonly refused: number[] = []
  private readonly failures: ChunkItem[] = [] // failed items still waiting for their ERROR line
  private readonly errors: string[] = []
  private readonly stderrTail: string[] = []

  constructor(
    private readonly items: readonly ChunkItem[],
    private readonly opts: ChunkTrackerOptions,
  ) {
    this.state = new Map(items.map((v) => [v.id, 'waiting']))
    this.bySource = new Map(items.map((v) => [v.source_id, v]))
  }

  /**
   * One stdout line. Lazy on purpose: the worker awaits `finished` before pulling on, so
   * the after-item question is asked once the item is stored, as a pause pressed meanwhile counts.
   */
  *stdout(line: string): Generator<ChunkEvent> {
    const ev = parseDownloadLine(line)
    if (!ev || this.stopping) return
    const idx = this.itemFor(ev.id)
    if (idx < 0) return
    const v = this.items[idx]
    if (ev.kind === 'start') {
      yield* this.failBefore(idx)
      // Paused or asked to yield between items: this item has not really begun, so it
      // goes back to the queue instead of starting (a pause starts no new items).
      yield* this.maybeStop(false)
      if (this.stopping) return
      this.state.set(v.id, 'started')
      yield { kind: 'started', videoId: v.id }
    } else if (ev.kind === 'progress') {
      if (this.state.get(v.id) === 'ended') return
      const { downloaded_bytes, total_bytes, speed, eta } = ev
      const percent = total_bytes && downloaded_bytes !== null ? Math.min(100, Math.round((downloaded_bytes / total_bytes) * 1000) / 10) : null
      yield { kind: 'progress', videoId: v.id, percent, downloaded_bytes, total_bytes, speed, eta }
    } else {
      yield* this.failBefore(idx)
      this.state.set(v.id, 'ended')
      if (this.cursor === idx) this.cursor++
      yield { kind: 'finished', videoId: v.id, path: ev.path }
      yield* this.maybeStop(true)
    }
  }

  stderr(line: string): ChunkEvent[] {
    this.stderrTail.push(line)
    if (this.stderrTail.length > 20) this.stderrTail.shift()
    if (!isErrorLine(line)) return []
    this.errors.push(line)
    return [...this.pairErrors(false)]
  }

  /** The process went silent for too long: it is killed, and the item it hung on fails at exit. */
  stall(): ChunkEvent[] {
    this.stalled = true
    this.stopping = true
    return [{ kind: 'stop-process', signal: 'SIGKILL' }]
  }

  /** The owner stops the process on its own account (a write the database refused). */
  abort(): ChunkEvent[] {
    this.stopping = true
    return [{ kind: 'stop-process', signal: 'SIGTERM' }]
  }

  /**
   * The process has exited and both streams are read. `signal`: the one that ended it;
   * `cancelled`: the job was cancelled meanwhile; `crashes`: per item, how often a yt-dlp
   * died before reaching it in earlier chunks.
   */
  exit(end: { signal: string | null; cancelled: boolean; crashes: ReadonlyMap<number, number> }): ChunkEvent[] {
    const out: ChunkEvent[] = []
    if (this.stalled) {
      // The item it hung on fails; the ones after it were never tried and go back to the queue.
      const hung = this.firstIn('started') ?? this.firstIn('waiting')
      if (hung) {
        this.state.set(hung.id, 'ended')
        out.push({ kind: 'failed', videoId: hung.id, error: `yt-dlp showed no progress for ${this.opts.stallSeconds} s and was stopped` })
      }
    }
    // Killed from outside (the OOM killer, kill -9): not a verdict on the items it never reached.
    const killedBy = this.stopping || this.stalled || end.cancelled ? null : end.signal
    if (this.stopping || end.cancelled) {
      // Stopped on purpose: whatever had not finished is not a failure, just not done yet.
      for (const v of this.items) if (this.state.get(v.id) !== 'ended') out.push({ kind: 'requeued', videoId: v.id })
      // Failures found before the stop still get their messages.
      out.push(...this.pairErrors(true))
    } else if (killedBy) {
      out.push(...this.crashed(killedBy, end.crashes))
    } else {
      out.push(...this.failBefore(this.items.length), ...this.pairErrors(true))
    }
    for (const id of this.refused) out.push({ kind: 'requeued', videoId: id })
    return out
  }

  private *crashed(signal: string, crashes: ReadonlyMap<number, number>): Generator<ChunkEvent> {
    const inFlight = this.firstIn('started')
    if (inFlight) {
      this.state.set(inFlight.id, 'ended')
      yield { kind: 'failed', videoId: inFlight.id, error: `yt-dlp was killed (${signal}) while downloading this item; out of memory?` }
    }
    yield* this.pairErrors(true)
    let requeued = 0
    let failed = 0
    for (const v of this.items) {
      if (this.state.get(v.id) !== 'waiting') continue
      const deaths = (crashes.get(v.id) ?? 0) + 1
      yield { kind: 'crashed-before', videoId: v.id, deaths }
      this.state.set(v.id, 'ended')
      if (deaths > MAX_CRASH_REQUEUES) {
        failed++
        yield { kind: 'failed', videoId: v.id, error: `yt-dlp was killed ${deaths} times before reaching this item` }
      } else {
        requeued++
        yield { kind: 'requeued', videoId: v.id }
      }
    }
    yield { kind: 'crashed', signal, inFlight: inFlight?.id ?? null, requeued, failed }
  }

  /** Failed items meet their ERROR lines in order; at the end, those left get the stderr tail. */
  private *pairErrors(final: boolean): Generator<ChunkEvent> {
    while (this.failures.length > 0 && (this.errors.length > 0 || final)) {
      const v = this.failures.shift()!
      const text = this.errors.shift() ?? (this.stderrTail.length ? this.stderrTail.join('\n') : null)
      if (text === null) {
        yield { kind: 'failed', videoId: v.id, error: 'yt-dlp stopped before finishing this item' }
        continue
      }
      if (isRateLimitError(text)) {
        this.refused.push(v.id)
        yield { kind: 'rate-limited', videoId: v.id, text }
        // Hammering on would only deepen the block: stop this process now.
        if (!this.stopping) {
          this.stopping = true
          yield { kind: 'stop-process', signal: 'SIGTERM' }
        }
        continue
      }
      yield { kind: 'ytdlp-error', videoId: v.id, text }
    }
  }

  /** Items before `upto` that never reached "done" have failed: yt-dlp moves strictly in order. */
  private *failBefore(upto: number): Generator<ChunkEvent> {
    for (; this.cursor < upto; this.cursor++) {
      const v = this.items[this.cursor]
      if (this.state.get(v.id) !== 'ended') {
        this.state.set(v.id, 'ended')
        this.failures.push(v)
      }
    }
    yield* this.pairErrors(false)
  }

  private itemFor(sourceId: string): number {
    const v = this.bySource.get(sourceId)
    if (v) return this.items.indexOf(v)
    // An extractor whose id differs from the index: fall back to order.
    return this.items.findIndex((x, i) => i >= this.cursor && this.state.get(x.id) === 'waiting')
  }

  private *maybeStop(afterItem: boolean): Generator<ChunkEvent> {
    // Pause, cancel and shutdown stop before any new item; yielding to another job
    // happens only after an item finished, so every turn makes progress.
    if (!this.stopping && this.opts.stopAsked(afterItem)) {
      this.stopping = true
      yield { kind: 'stop-process', signal: 'SIGTERM' }
    }
  }

  private firstIn(s: 'waiting' | 'started'): ChunkItem | undefined {
    return this.items.find((v) => this.state.get(v.id) === s)
  }
}
