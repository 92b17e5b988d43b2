import { addEvent } from '../db/events'
import type { AppContext } from '../context'
import { downloadChunk } from './download-worker'
import { extractOne } from './extract-worker'
import type { JobRun } from './job-run'
import { ToolMissingError } from '../tools/spawn'
import { DISK_RECHECK_MS, DiskGuard } from './disk-guard'
import { Emitter } from './emitter'
import { inWindow, nextOpening } from '../library/window'
import { LeaseBook } from './leases'

/** Upper bound of items one yt-dlp process takes: bounds the argv and the work lost to a crash. */
export const MAX_CHUNK = 100
/** After this many rate-limited chunks in a row the download pool stops until a person resumes it. */
export const RATE_LIMIT_PAUSE_AFTER = 3
/**
 * Items one yt-dlp takes while other nodes share the work: every item of a chunk is leased
 * from its start, so a big chunk would keep the other nodes (and their IPs) idle.
 */
export const CLUSTER_CHUNK = 2

// Stored too (nodes.backoff), so its type lives with the tables.
import type { DownloadPoolState } from '../db/types'
export type { DownloadPoolState }

/** What the scheduler reports; the JobManager subscribes. */
export type SchedulerEvents = {
  /** A phase could not run at all (tool missing, worker crashed, state not saved). */
  'phase-error': [run: JobRun, phase: 'download' | 'extract', message: string, err: unknown]
  /** A chunk or an item of `run` ended, whatever the outcome: the job may be done. */
  'work-ended': [run: JobRun]
  /** The download pool paused, backed off or went back to work. */
  'pool-changed': [state: DownloadPoolState]
}

/**
 * Two worker pools shared by all jobs: DOWNLOAD_CONCURRENCY yt-dlp processes and
 * EXTRACT_CONCURRENCY ffmpeg processes. A free slot takes work from the most
 * deserving job: high priority first, then the job holding the fewest slots, then the oldest.
 */
export class Scheduler extends Emitter<SchedulerEvents> {
  private readonly runs = new Set<JobRun>()
  private downloadBusy = 0
  private extractBusy = 0
  private stopped = false
  /** One timer for every "try again at": back-off ends, polite gaps, delayed extraction. */
  private wake: { at: number; timer: ReturnType<typeof setTimeout> } | null = null
  private politeUntil = 0
  private rate = { hits: 0, until: 0, paused: false, reason: null as string | null }
  private readonly disk: DiskGuard
  /** Every item a pool runs is leased first: in a cluster, another node may hold it. */
  readonly leases: LeaseBook
  /** Jobs already told that downloads wait for the window's next opening (told once per opening). */
  private windowNoted = { opening: 0, runs: new Set<number>() }
  /** Whether other nodes share the work now (set by the JobManager's NodeAgent). */
  clustered: () => boolean = () => false
  /** Items of `run` were given back and another node may take them (set by the JobManager's NodeAgent). */
  announce: (run: JobRun) => void = () => {}

  constructor(private readonly ctx: AppContext) {
    super()
    this.disk = new DiskGuard(ctx, () => this.emit('pool-changed', this.poolState()))
    this.leases = new LeaseBook(ctx)
  }

  /** The pools of this node: NODE_ROLES leaves out a phase by giving it no slot. */
  private get slots(): { download: number; extract: number } {
    const { downloadConcurrency, extractConcurrency, nodeRoles } = this.ctx.config
    return { download: nodeRoles.includes('download') ? downloadConcurrency : 0, extract: nodeRoles.includes('extract') ? extractConcurrency : 0 }
  }

  add(run: JobRun): void {
    this.runs.add(run)
    this.pump()
  }
  remove(run: JobRun): void {
    this.runs.delete(run)
  }
  stop(): void {
    this.stopped = true
    if (this.wake) clearTimeout(this.wake.timer)
    this.wake = null
  }

  /** Pumps again at `at`, unless a pump is already due sooner. */
  private pumpAt(at: number): void {
    if (this.wake && this.wake.at <= at) return
    if (this.wake) clearTimeout(this.wake.timer)
    const timer = setTimeout(
      () => {
        this.wake = null
        this.pump()
      },
      Math.max(0, at - Date.now()) + 5,
    )
    this.wake = { at, timer }
  }

  poolState(): DownloadPoolState {
    return {
      paused: this.rate.paused || this.disk.low,
      reason: this.disk.low ? this.disk.reason() : this.rate.reason,
      until: this.rate.until > Date.now() ? new Date(this.rate.until).toISOString() : null,
      consecutive_rate_limits: this.rate.hits,
      disk_free_bytes: this.disk.free,
      window: this.ctx.config.downloadWindow?.text ?? null,
      window_opens_at: this.windowOpensAt()?.toISOString() ?? null,
    }
  }

  /** Null while downloads may start (no DOWNLOAD_WINDOW, or inside it), else the next opening. */
  private windowOpensAt(now = new Date()): Date | null {
    const w = this.ctx.config.downloadWindow
    return w && !inWindow(w, now) ? nextOpening(w, now) : null
  }

  /** A setting changed while running (pool sizes, download window, pauses): look again now, and tell the banner. */
  settingsChanged(): void {
    this.emit('pool-changed', this.poolState())
    this.pump()
  }

  /** A person lifts the automatic pause (or cuts a back-off short); free space is read afresh. */
  resumeDownloads(): DownloadPoolState {
    this.rate = { hits: 0, until: 0, paused: false, reason: null }
    this.disk.ok(true)
    this.emit('pool-changed', this.poolState())
    this.pump()
    return this.poolState()
  }

  /** Exponential back-off on 429 / bot checks; repeated hits pause the pool with a reason. */
  private rateLimited(): void {
    const base = this.ctx.config.rateLimitBackoffSeconds * 1000
    this.rate.hits++
    const wait = Math.min(base * 2 ** (this.rate.hits - 1), 3600_000)
    this.rate.until = Date.now() + wait
    if (this.rate.hits >= RATE_LIMIT_PAUSE_AFTER) {
      this.rate.paused = true
      this.rate.reason = `Downloads paused: the site answered "too many requests" (or asked to confirm you are not a bot) ${this.rate.hits} times in a row. Wait a while, consider SLEEP_BETWEEN_DOWNLOADS, RATE_LIMIT or a cookies file (Cookies page, or COOKIES_FILE), then resume downloads.`
    } else {
      this.rate.reason = `Rate limited by the site: downloads wait ${Math.round(wait / 1000)} s before trying again.`
    }
    this.emit('pool-changed', this.poolState())
  }

  private downloadsAllowed(): boolean {
    return !this.rate.paused && Date.now() >= this.rate.until && Date.now() >= this.politeUntil && this.windowOpensAt() === null && this.disk.ok()
  }

  /** Says, once per job and opening, why downloads do not start: otherwise a job just sits there. */
  private noteWindow(opens: Date): void {
    if (this.windowNoted.opening !== opens.getTime()) this.windowNoted = { opening: opens.getTime(), runs: new Set() }
    const waiting = [...this.runs].filter((r) => this.downloadable(r) && !this.windowNoted.runs.has(r.id))
    if (waiting.length === 0) return
    const message = `outside the download window (${this.ctx.config.downloadWindow?.text}, server time): downloads start at ${opens.toString().slice(0, 21)}`
    this.ctx.log(message)
    for (const r of waiting) {
      this.windowNoted.runs.add(r.id)
      void addEvent(this.ctx.db, r.id, 'info', message).catch(() => {})
    }
  }

  /**
   * SLEEP_BETWEEN_DOWNLOADS holds for the whole server: no download starts sooner than
   * that (plus up to 50 % jitter) after any other download started or ended, whichever worker.
   */
  private politePause(): void {
    const sleep = this.ctx.config.sleepBetweenDownloads
    if (sleep <= 0) return
    this.politeUntil = Math.max(this.politeUntil, Date.now() + sleep * 1000 * (1 + Math.random() * 0.5))
  }

  /** High priority first, then the job holding the fewest slots, then the one served longest ago. */
  private order(a: JobRun, b: JobRun, inFlight: (r: JobRun) => number): number {
    return a.priorityRank - b.priorityRank || inFlight(a) - inFlight(b) || a.lastServedAt - b.lastServedAt || a.id - b.id
  }

  private downloadable(r: JobRun): boolean {
    return !r.paused && !r.cancelled && !r.finished && r.queuedDownloads > 0
  }
  private extractable(r: JobRun, at: number): boolean {
    return !r.paused && !r.cancelled && !r.finished && r.queuedExtractions > 0 && at >= r.extractNotBefore
  }

  /**
   * Another job is waiting for a download slot and holds none: after its fair share of
   * time (a new yt-dlp costs ~0.5 s of CPU, so not after every item) the chunk yields.
   */
  private othersWaiting(run: JobRun, chunkStarted: number): boolean {
    if (Date.now() - chunkStarted < this.ctx.config.fairShareSeconds * 1000) return false
    for (const r of this.runs) if (r !== run && this.downloadable(r) && r.downloadSlots === 0 && r.priorityRank <= run.priorityRank) return true
    return false
  }

  /** Starts whatever work fits in the free slots. Idempotent: call it when work was added or may start again. */
  pump(): void {
    if (this.stopped) return
    const { download: downloadConcurrency, extract: extractConcurrency } = this.slots
    while (this.downloadBusy < downloadConcurrency && this.downloadsAllowed()) {
      const run = [...this.runs].filter((r) => this.downloadable(r)).sort((a, b) => this.order(a, b, (r) => r.downloadSlots))[0]
      if (!run) break
      const share = Math.max(1, downloadConcurrency - this.downloadBusy)
      // Polite mode gates every item, so each yt-dlp takes one: its start cost is small next to the pauses.
      const cap = run.follower || run.shared || this.clustered() ? CLUSTER_CHUNK : MAX_CHUNK
      const size = this.ctx.config.sleepBetweenDownloads > 0 ? 1 : Math.min(cap, Math.ceil(run.queuedDownloads / share))
      void this.runDownload(run, run.takeDownloads(size))
      this.politePause()
    }
    // Held back by a back-off or a polite gap: look again when it ends (a paused pool waits for a person).
    // Short of space: look again in a while, as long as some job waits for downloads.
    // Outside the download window: look again when it opens.
    if (!this.rate.paused && !this.downloadsAllowed()) {
      const opens = this.windowOpensAt()
      if (opens) {
        this.pumpAt(opens.getTime())
        this.noteWindow(opens)
      } else if (!this.disk.low) this.pumpAt(Math.max(this.rate.until, this.politeUntil))
      else if ([...this.runs].some((r) => this.downloadable(r))) this.pumpAt(Date.now() + DISK_RECHECK_MS)
    }
    const at = Date.now()
    while (this.extractBusy < extractConcurrency) {
      const run = [...this.runs].filter((r) => this.extractable(r, at)).sort((a, b) => this.order(a, b, (r) => r.extractSlots))[0]
      if (!run) break
      void this.runExtract(run, run.takeExtraction()!)
    }
    for (const r of this.runs) if (r.queuedExtractions > 0 && r.extractNotBefore > at) this.pumpAt(r.extractNotBefore)
  }

  private async runDownload(run: JobRun, taken: number[]): Promise<void> {
    this.downloadBusy++
    const started = run.lastServedAt
    let ids: number[] = []
    try {
      ids = await this.leased(run, 'download', taken)
      if (ids.length === 0) return
      const outcome = await downloadChunk(run, ids, {
        // A closing download window or a filling disk also stop the chunk between items.
        now: () => run.paused || run.cancelled || this.stopped || this.windowOpensAt() !== null || !this.disk.ok(),
        yieldSlot: () => this.othersWaiting(run, started),
      })
      if (!run.cancelled) run.requeueDownloads(outcome.requeue)
      if (outcome.rateLimited) this.rateLimited()
      else if (outcome.downloaded > 0 && this.rate.hits > 0) {
        this.rate = { hits: 0, until: 0, paused: false, reason: null }
        this.emit('pool-changed', this.poolState())
      }
    } catch (err) {
      const message = err instanceof ToolMissingError ? err.message : `download worker failed: ${err instanceof Error ? err.message : err}`
      this.ctx.log(`job ${run.id}: ${message}`)
      run.requeueDownloads(ids.length > 0 ? ids : taken)
      this.emit('phase-error', run, 'download', message, err)
    } finally {
      await this.leases.drop(ids).catch((err) => this.ctx.log(`job ${run.id}: could not release item leases: ${err}`))
      // Downloaded items wait for an extraction (maybe on a node with that role), requeued ones for a download.
      if (ids.length > 0 && !run.cancelled) this.announce(run)
      this.downloadBusy--
      run.downloadWorkEnded()
      this.politePause()
      this.emit('work-ended', run)
      this.pump()
    }
  }

  private async runExtract(run: JobRun, videoId: number): Promise<void> {
    this.extractBusy++
    let held: number[] = []
    let requeued = false
    try {
      held = await this.leased(run, 'extract', [videoId])
      if (held.length === 0) return
      const finished = await extractOne(run, videoId)
      requeued = !finished && !run.cancelled
      if (requeued) run.requeueExtraction(videoId)
    } catch (err) {
      const message = err instanceof ToolMissingError ? err.message : `extraction worker failed: ${err instanceof Error ? err.message : err}`
      this.ctx.log(`job ${run.id}: ${message}`)
      run.requeueExtraction(videoId)
      requeued = true
      this.emit('phase-error', run, 'extract', message, err)
    } finally {
      await this.leases.drop(held).catch((err) => this.ctx.log(`job ${run.id}: could not release item leases: ${err}`))
      if (requeued && held.length > 0 && !run.cancelled) this.announce(run)
      this.extractBusy--
      run.extractWorkEnded()
      this.emit('work-ended', run)
      this.pump()
    }
  }

  /**
   * The items of `taken` this node got a lease on. The others are running on another node:
   * they leave this run's queue, and the run follows the shared rows from now on (see
   * NodeAgent), which bring them back if that node dies.
   */
  private async leased(run: JobRun, phase: 'download' | 'extract', taken: number[]): Promise<number[]> {
    const got = await this.leases.take(phase, taken)
    if (got.length < taken.length) run.shared = true
    return got
  }
}
