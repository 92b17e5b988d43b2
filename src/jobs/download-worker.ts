import { mkdir } from 'node:fs/promises'
import { findVideos, updateVideo } from '../db/videos'
import type { Video } from '../db/types'
import { stagingDir } from '../library/paths'
import { entryTargetError } from '../library/urls'
import { type RunningTool, spawnTool } from '../tools/spawn'
import { buildDownloadArgs, cleanYtdlpError, downloadUrl, isGenericSourceId } from '../tools/ytdlp'
import { type ChunkEvent, ChunkTracker, MAX_CRASH_REQUEUES } from '../tools/ytdlp-chunk'
import { addEvent } from '../db/events'
import { watchdog } from '../tools/watchdog'
import { readLines } from '../tools/lines'
import { urlGuardOf } from '../context'
import type { JobRun } from './job-run'
import { recordDownloaded, recordDownloadFailed } from './item-results'
import { explainYtdlpError } from '../ytdlp/failure'
import { humanYtdlpError } from '../tools/ytdlp-errors'
import { ytdlpCommon } from '../ytdlp/options'
import { ytdlpInvocation } from '../ytdlp/which'
import { mediaExtrasOf } from '../playlists/media-extras'
import type { SubtitleChoice } from '../library/subtitle-langs'

/** Re-exported: the crash-requeue rule lives with the tracker. */
export { MAX_CRASH_REQUEUES }

const announced = new WeakMap<JobRun, string>()

export interface ChunkOutcome {
  /** Items that were not attempted (stopped early, or refused with 429) and go back to the queue. */
  requeue: number[]
  rateLimited: boolean
  downloaded: number
}

/**
 * Downloads a chunk of one job's items with a single yt-dlp process. A ChunkTracker reads
 * the lines it prints into per-item events; this file applies them (rows, files, the run).
 * `stop` is asked at each item boundary (pause, cancel, another job waiting): the process
 * is then stopped between items.
 */
export async function downloadChunk(run: JobRun, ids: number[], stop: { now(): boolean; yieldSlot(): boolean }): Promise<ChunkOutcome> {
  const { config, db } = run.ctx
  const byId = new Map((await findVideos(db, ids)).map((v) => [v.id, v]))
  const listed = ids.map((id) => byId.get(id)).filter((v): v is Video => v !== undefined)
  const items = await refuseInternalTargets(run, listed)
  if (items.length === 0) return { requeue: [], rateLimited: false, downloaded: 0 }
  const staging = stagingDir(config, run.playlist.folder)
  await mkdir(staging, { recursive: true })
  const ytdlp = await ytdlpInvocation(run.ctx)
  await announce(run, ytdlp)
  const proc = spawnTool(downloadArgs(run, items, staging, ytdlp), { env: ytdlp.env, label: 'yt-dlp' }) // throws ToolMissingError: the caller fails the phase
  run.procs.add(proc)
  const tracker = new ChunkTracker(items, {
    stopAsked: (afterItem) => stop.now() || (afterItem && stop.yieldSlot()),
    stallSeconds: Math.round(config.stallTimeoutSeconds),
  })
  const chunk = new Chunk(run, byId, ytdlp.path, proc, tracker)
  const dog = watchdog(config.stallTimeoutSeconds * 1000, () => chunk.applyAll(tracker.stall()))

  const readErr = (async () => {
    for await (const line of readLines(proc.stderr, { carriageReturnBreaks: false })) {
      dog.touch()
      chunk.applyAll(tracker.stderr(line))
    }
  })()
  for await (const line of readLines(proc.stdout)) {
    dog.touch()
    for (const ev of tracker.stdout(line)) {
      // Only a finished item is waited for: its file is stored before the next line is read.
      const stored = chunk.apply(ev)
      if (stored) await stored
    }
  }
  await proc.exited
  await readErr
  dog.stop()
  run.procs.delete(proc)
  if (chunk.writeFailed) {
    await Promise.all(chunk.work)
    // The caller stops the whole job (see JobManager.interrupt); its items are put right there.
    throw chunk.writeFailed
  }
  chunk.applyAll(tracker.exit({ signal: proc.signal(), cancelled: run.cancelled, crashes: run.crashRequeues }))
  await Promise.all(chunk.work)
  if (chunk.writeFailed) throw chunk.writeFailed
  // Refused items first, then the untouched rest, in playlist order.
  chunk.requeue.sort((a, b) => ids.indexOf(a) - ids.indexOf(b))
  return { requeue: chunk.requeue, rateLimited: chunk.rateLimited, downloaded: chunk.downloaded }
}

type Invocation = Awaited<ReturnType<typeof ytdlpInvocation>>

/** Said once per job, and again when an update switched yt-dlp between two chunks. */
async function announce(run: JobRun, ytdlp: Invocation): Promise<void> {
  const which = `yt-dlp ${ytdlp.version ?? '(version unknown)'} at ${ytdlp.path} (${ytdlp.source})`
  if (announced.get(run) === which) return
  announced.set(run, which)
  await addEvent(run.ctx.db, run.id, 'info', `downloading with ${which}`)
}

/** The playlist's subtitle choice as yt-dlp's request; null when off. */
function subtitleRequest(choice: SubtitleChoice, auto: boolean) {
  if (choice.kind === 'off') return null
  return { langs: choice.kind === 'all' ? ('all' as const) : choice.langs, auto }
}

function downloadArgs(run: JobRun, items: Video[], staging: string, ytdlp: Invocation): string[] {
  const { config } = run.ctx
  const extras = mediaExtrasOf(run.playlist, config)
  return buildDownloadArgs(
    ytdlp.path,
    items.map((v) => downloadUrl(v.source_url, v.source_id, v.smuggled_data)),
    {
      ...ytdlpCommon(config),
      format: config.ytdlpFormat,
      ffmpegLocation: config.ffmpegPath.includes('/') ? config.ffmpegPath : Bun.which(config.ffmpegPath),
      stagingDir: staging,
      retries: 2,
      // RATE_LIMIT is for the whole server: each concurrent process gets its share.
      rateLimit: config.rateLimit > 0 ? Math.max(1, Math.floor(config.rateLimit / config.downloadConcurrency)) : 0,
      extractor: items.every((v) => v.extractor === 'generic') ? 'generic' : null,
      runtimeArgs: ytdlp.args,
      subtitles: subtitleRequest(extras.subtitles, extras.auto_subtitles),
      // A split needs the chapters in the video it cuts from, whether or not the whole audio keeps them.
      embedChapters: extras.chapters || extras.split_chapters,
    },
  )
}

/** One chunk's effects: each tracker event becomes row writes, file moves and run updates. */
class Chunk {
  readonly work: Promise<void>[] = []
  readonly requeue: number[] = []
  writeFailed: unknown = null
  rateLimited = false
  downloaded = 0

  constructor(
    private readonly run: JobRun,
    private readonly byId: Map<number, Video>,
    private readonly ytdlpPath: string,
    private readonly proc: RunningTool,
    private readonly tracker: ChunkTracker,
  ) {}

  applyAll(events: ChunkEvent[]): void {
    for (const ev of events) void this.apply(ev)
  }

  /** Returns a promise only for `finished`, the one event the stdout reader waits for. */
  apply(ev: ChunkEvent): Promise<void> | undefined {
    switch (ev.kind) {
      case 'finished':
        return this.finished(this.video(ev.videoId), ev.path)
      case 'started':
        this.started(this.video(ev.videoId))
        break
      case 'progress':
        this.progress(this.video(ev.videoId), ev)
        break
      case 'failed':
        this.track(recordDownloadFailed(this.run, this.video(ev.videoId), ev.error))
        break
      case 'ytdlp-error':
        this.explainFailure(this.video(ev.videoId), ev.text)
        break
      case 'rate-limited':
        this.refused(this.video(ev.videoId), ev.text)
        break
      case 'requeued':
        this.giveBack(this.video(ev.videoId))
        break
      case 'crashed-before':
        this.run.crashRequeues.set(ev.videoId, ev.deaths)
        break
      case 'crashed':
        this.crashed(ev)
        break
      case 'stop-process':
        this.proc.kill(ev.signal)
        break
    }
  }

  private video(id: number): Video {
    return this.byId.get(id)!
  }

  /**
   * Item writes run beside the stream. If the database refuses one (disk full), yt-dlp is
   * stopped at once: downloads that can no longer be recorded would only be fetched again.
   */
  private track(p: Promise<unknown>): Promise<void> {
    const tracked = p.then(
      () => {},
      (err) => {
        this.writeFailed ??= err
        this.applyAll(this.tracker.abort())
      },
    )
    this.work.push(tracked)
    return tracked
  }

  private started(v: Video): void {
    this.track(updateVideo(this.run.ctx.db, v.id, { download_state: 'downloading' }))
    this.run.setItem({ video_id: v.id, title: v.title, phase: 'download', percent: 0 })
  }

  private progress(v: Video, ev: Extract<ChunkEvent, { kind: 'progress' }>): void {
    const { percent, downloaded_bytes, total_bytes, speed, eta } = ev
    this.run.setItem({ video_id: v.id, title: v.title, phase: 'download', percent, downloaded_bytes, total_bytes, speed, eta })
  }

  private finished(v: Video, stagedPath: string): Promise<void> {
    this.downloaded++
    return this.track(
      recordDownloaded(this.run, v, stagedPath).catch((err) => recordDownloadFailed(this.run, v, `could not store the file: ${err.message ?? err}`)),
    )
  }

  /** The item gets a sentence a person can act on; the job log keeps yt-dlp's line. */
  private explainFailure(v: Video, raw: string): void {
    this.track(explainYtdlpError(this.ytdlpPath, raw, v.source_url).then((f) => recordDownloadFailed(this.run, v, f.human, f.raw)))
  }

  private refused(v: Video, raw: string): void {
    this.rateLimited = true
    const msg = cleanYtdlpError(raw)
    this.track(addEvent(this.run.ctx.db, this.run.id, 'warn', `rate limited on ${v.title}: ${humanYtdlpError(raw)}; backing off (yt-dlp: ${msg})`))
  }

  private giveBack(v: Video): void {
    this.requeue.push(v.id)
    this.run.clearItem(v.id, 'download')
    this.track(updateVideo(this.run.ctx.db, v.id, { download_state: 'pending' }))
  }

  private crashed(ev: Extract<ChunkEvent, { kind: 'crashed' }>): void {
    const parts = [ev.inFlight !== null ? `"${this.video(ev.inFlight).title}" failed` : 'no item had started']
    if (ev.requeued) parts.push(`${ev.requeued} item(s) it had not reached go back to the queue`)
    if (ev.failed) parts.push(`${ev.failed} item(s) fail: it was killed ${MAX_CRASH_REQUEUES + 1} times before reaching them`)
    this.track(addEvent(this.run.ctx.db, this.run.id, 'warn', `yt-dlp was killed (${ev.signal}) mid-chunk: ${parts.join('; ')}`))
  }
}

/** Entries aimed at this machine or its network fail before yt-dlp sees them (SSRF). */
async function refuseInternalTargets(run: JobRun, items: Video[]): Promise<Video[]> {
  const guard = urlGuardOf(run.ctx)
  if (guard.allowPrivate) return items
  const hosts = new Map<string, Promise<string[] | null>>()
  const verdicts = await Promise.all(items.map((v) => entryTargetError(v.source_url, guard, hosts, isGenericSourceId(v.source_id))))
  const kept: Video[] = []
  for (const [i, v] of items.entries()) {
    if (verdicts[i] === null) kept.push(v)
    else await recordDownloadFailed(run, v, verdicts[i]!)
  }
  return kept
}
