import { mkdir } from 'node:fs/promises'
import { findVideos, updateVideo } from '../db/videos'
import type { Video } from '../db/types'
import { stagingDir } from '../library/paths'
import { entryTargetError } from '../library/urls'
import { spawnTool } from '../tools/spawn'
import { buildDownloadArgs, cleanYtdlpError, downloadUrl, isErrorLine, isRateLimitError, parseDownloadLine } from '../tools/ytdlp'
import { addEvent } from '../db/events'
import { watchdog } from '../tools/watchdog'
import { readLines } from '../tools/lines'
import type { JobRun } from './job-run'
import { recordDownloaded, recordDownloadFailed } from './item-results'
import { ytdlpInvocation } from '../ytdlp/which'

const announced = new WeakMap<JobRun, string>()

export interface ChunkOutcome {
  /** Items that were not attempted (stopped early, or refused with 429) and go back to the queue. */
  requeue: number[]
  rateLimited: boolean
  downloaded: number
}

/**
 * Downloads a chunk of one job's items with a single yt-dlp process, mapping the
 * per-item lines it prints back to rows. `stop` is asked at each item boundary
 * (pause, cancel, another job waiting): the process is then stopped between items.
 */
export async function downloadChunk(run: JobRun, ids: number[], stop: { now(): boolean; yieldSlot(): boolean }): Promise<ChunkOutcome> {
  const { config, db } = run.ctx
  const byId = new Map((await findVideos(db, ids)).map((v) => [v.id, v]))
  const listed = ids.map((id) => byId.get(id)).filter((v): v is Video => v !== undefined)
  const items = await refuseInternalTargets(run, listed)
  if (items.length === 0) return { requeue: [], rateLimited: false, downloaded: 0 }
  const staging = stagingDir(config.dataDir, run.playlist.folder)
  await mkdir(staging, { recursive: true })
  const ytdlp = await ytdlpInvocation(run.ctx)
  const which = `yt-dlp ${ytdlp.version ?? '(version unknown)'} at ${ytdlp.path} (${ytdlp.source})`
  // Said once per job, and again when an update switched it between two chunks.
  if (announced.get(run) !== which) {
    announced.set(run, which)
    await addEvent(db, run.id, 'info', `downloading with ${which}`)
  }
  const args = buildDownloadArgs(
    ytdlp.path,
    items.map((v) => downloadUrl(v.source_url, v.source_id)),
    {
      socketTimeout: config.socketTimeout,
      cookiesFile: config.cookiesFile,
      format: config.ytdlpFormat,
      ffmpegLocation: config.ffmpegPath.includes('/') ? config.ffmpegPath : Bun.which(config.ffmpegPath),
      stagingDir: staging,
      retries: 2,
      // RATE_LIMIT is for the whole server: each concurrent process gets its share.
      rateLimit: config.rateLimit > 0 ? Math.max(1, Math.floor(config.rateLimit / config.downloadConcurrency)) : 0,
      extractor: items.every((v) => v.extractor === 'generic') ? 'generic' : null,
      runtimeArgs: ytdlp.args,
    },
  )
  const proc = spawnTool(args, { env: ytdlp.env, label: 'yt-dlp' }) // throws ToolMissingError: the caller fails the phase
  run.procs.add(proc)
  const stallMs = config.stallTimeoutSeconds * 1000
  let stalled = false
  const dog = watchdog(stallMs, () => {
    stalled = true
    stopping = true
    proc.kill('SIGKILL')
  })

  const state = new Map<number, 'waiting' | 'started' | 'ended'>(items.map((v) => [v.id, 'waiting']))
  const bySource = new Map(items.map((v) => [v.source_id, v]))
  let cursor = 0 // index of the first item that has not ended
  let stopping = false
  let rateLimited = false
  let downloaded = 0
  const refused: number[] = [] // answered 429 / bot check: not the item's fault, retried after a back-off
  const failures: Video[] = [] // failed items still waiting for their ERROR line
  const errors: string[] = []
  const stderrTail: string[] = []
  const work: Promise<void>[] = []

  const pairErrors = (final: boolean) => {
    while (failures.length > 0 && (errors.length > 0 || final)) {
      const v = failures.shift()!
      const msg = errors.shift() ?? (stderrTail.length ? cleanYtdlpError(stderrTail.join('\n')) : 'yt-dlp stopped before finishing this item')
      if (isRateLimitError(msg)) {
        rateLimited = true
        refused.push(v.id)
        work.push(addEvent(db, run.id, 'warn', `rate limited on ${v.title}: ${msg}; backing off`))
        // Hammering on would only deepen the block: stop this process now.
        if (!stopping) {
          stopping = true
          proc.kill('SIGTERM')
        }
        continue
      }
      work.push(recordDownloadFailed(run, v, msg))
    }
  }
  /** Items before `upto` that never reached "done" have failed: yt-dlp moves strictly in order. */
  const failBefore = (upto: number) => {
    for (; cursor < upto; cursor++) {
      const v = items[cursor]
      if (state.get(v.id) !== 'ended') {
        state.set(v.id, 'ended')
        failures.push(v)
      }
    }
    pairErrors(false)
  }
  const itemFor = (id: string): number => {
    const v = bySource.get(id)
    if (v) return items.indexOf(v)
    // An extractor whose id differs from the index: fall back to order.
    const next = items.findIndex((x, i) => i >= cursor && state.get(x.id) === 'waiting')
    return next
  }
  const maybeStop = (afterItem: boolean) => {
    // Pause, cancel and shutdown stop before any new item; yielding to another job
    // happens only after an item finished, so every turn makes progress.
    if (!stopping && (stop.now() || (afterItem && stop.yieldSlot()))) {
      stopping = true
      proc.kill('SIGTERM')
    }
  }

  const readErr = (async () => {
    for await (const line of readLines(proc.stderr, { carriageReturnBreaks: false })) {
      dog.touch()
      stderrTail.push(line)
      if (stderrTail.length > 20) stderrTail.shift()
      if (isErrorLine(line)) {
        errors.push(cleanYtdlpError(line))
        pairErrors(false)
      }
    }
  })()

  for await (const line of readLines(proc.stdout)) {
    dog.touch()
    const ev = parseDownloadLine(line)
    if (!ev || stopping) continue
    const idx = itemFor(ev.id)
    if (idx < 0) continue
    const v = items[idx]
    if (ev.kind === 'start') {
      failBefore(idx)
      // Paused or asked to yield between items: this item has not really begun, so it
      // goes back to the queue instead of starting (a pause starts no new items).
      maybeStop(false)
      if (stopping) continue
      state.set(v.id, 'started')
      work.push(updateVideo(db, v.id, { download_state: 'downloading' }))
      run.setItem({ video_id: v.id, title: v.title, phase: 'download', percent: 0 })
    } else if (ev.kind === 'progress') {
      if (state.get(v.id) === 'ended') continue
      const percent = ev.total_bytes && ev.downloaded_bytes !== null ? Math.min(100, Math.round((ev.downloaded_bytes / ev.total_bytes) * 1000) / 10) : null
      run.setItem({ video_id: v.id, title: v.title, phase: 'download', percent, downloaded_bytes: ev.downloaded_bytes, total_bytes: ev.total_bytes, speed: ev.speed, eta: ev.eta })
    } else {
      failBefore(idx)
      state.set(v.id, 'ended')
      if (cursor === idx) cursor++
      downloaded++
      const moved = recordDownloaded(run, v, ev.path).catch((err) => recordDownloadFailed(run, v, `could not store the file: ${err.message ?? err}`))
      work.push(moved)
      await moved
      maybeStop(true)
    }
  }
  await proc.exited
  await readErr
  dog.stop()
  run.procs.delete(proc)

  if (stalled) {
    // The item it hung on fails; the ones after it were never tried and go back to the queue.
    const hung = items.find((v) => state.get(v.id) === 'started') ?? items.find((v) => state.get(v.id) === 'waiting')
    if (hung) {
      state.set(hung.id, 'ended')
      work.push(recordDownloadFailed(run, hung, `yt-dlp showed no progress for ${Math.round(stallMs / 1000)} s and was stopped`))
    }
  }
  const requeue: number[] = []
  if (stopping || run.cancelled) {
    // Stopped on purpose: whatever had not finished is not a failure, just not done yet.
    for (const v of items) {
      if (state.get(v.id) === 'ended') continue
      requeue.push(v.id)
      run.clearItem(v.id, 'download')
      work.push(updateVideo(db, v.id, { download_state: 'pending' }))
    }
    // Failures found before the stop still get their messages.
    pairErrors(true)
  } else {
    failBefore(items.length)
    pairErrors(true)
  }
  for (const id of refused) {
    requeue.push(id)
    run.clearItem(id, 'download')
    work.push(updateVideo(db, id, { download_state: 'pending' }))
  }
  await Promise.all(work)
  // Refused items first, then the untouched rest, in playlist order.
  requeue.sort((a, b) => ids.indexOf(a) - ids.indexOf(b))
  return { requeue, rateLimited, downloaded }
}

/** Entries aimed at this machine or its network fail before yt-dlp sees them (SSRF). */
async function refuseInternalTargets(run: JobRun, items: Video[]): Promise<Video[]> {
  const allow = run.ctx.config.allowPrivateUrls
  if (allow) return items
  const hosts = new Map<string, Promise<string[] | null>>()
  const verdicts = await Promise.all(items.map((v) => entryTargetError(v.source_url, allow, hosts)))
  const kept: Video[] = []
  for (const [i, v] of items.entries()) {
    if (verdicts[i] === null) kept.push(v)
    else await recordDownloadFailed(run, v, verdicts[i]!)
  }
  return kept
}
