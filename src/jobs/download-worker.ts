import { mkdir } from 'node:fs/promises'
import { findVideos, updateVideo } from '../db/videos'
import type { Video } from '../db/types'
import { stagingDir } from '../library/paths'
import { entryTargetError } from '../library/urls'
import { spawnTool } from '../tools/spawn'
import { buildDownloadArgs, cleanYtdlpError, downloadUrl, isErrorLine, isGenericSourceId, isRateLimitError, parseDownloadLine } from '../tools/ytdlp'
import { addEvent } from '../db/events'
import { watchdog } from '../tools/watchdog'
import { readLines } from '../tools/lines'
import { urlGuardOf } from '../context'
import type { JobRun } from './job-run'
import { recordDownloaded, recordDownloadFailed } from './item-results'
import { explainYtdlpError } from '../ytdlp/failure'
import { humanYtdlpError } from '../tools/ytdlp-errors'
import { ytdlpCommon } from '../ytdlp/options'

/** A yt-dlp that keeps dying before reaching an item gives it back this often, then the item fails. */
export const MAX_CRASH_REQUEUES = 3
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
  let writeFailed: unknown = null
  /**
   * Item writes run beside the stream. If the database refuses one (disk full), yt-dlp is
   * stopped at once: downloads that can no longer be recorded would only be fetched again.
   */
  const track = (p: Promise<unknown>): Promise<void> => {
    const tracked = p.then(
      () => {},
      (err) => {
        writeFailed ??= err
        stopping = true
        proc.kill('SIGTERM')
      },
    )
    work.push(tracked)
    return tracked
  }

  const pairErrors = (final: boolean) => {
    while (failures.length > 0 && (errors.length > 0 || final)) {
      const v = failures.shift()!
      const raw = errors.shift() ?? (stderrTail.length ? stderrTail.join('\n') : null)
      if (raw === null) {
        track(recordDownloadFailed(run, v, 'yt-dlp stopped before finishing this item'))
        continue
      }
      const msg = cleanYtdlpError(raw)
      if (isRateLimitError(raw)) {
        rateLimited = true
        refused.push(v.id)
        track(addEvent(db, run.id, 'warn', `rate limited on ${v.title}: ${humanYtdlpError(raw)}; backing off (yt-dlp: ${msg})`))
        // Hammering on would only deepen the block: stop this process now.
        if (!stopping) {
          stopping = true
          proc.kill('SIGTERM')
        }
        continue
      }
      // The item gets a sentence a person can act on; the job log keeps yt-dlp's line.
      track(explainYtdlpError(ytdlp.path, raw, v.source_url).then((f) => recordDownloadFailed(run, v, f.human, f.raw)))
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
        errors.push(line)
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
      track(updateVideo(db, v.id, { download_state: 'downloading' }))
      run.setItem({ video_id: v.id, title: v.title, phase: 'download', percent: 0 })
    } else if (ev.kind === 'progress') {
      if (state.get(v.id) === 'ended') continue
      const percent = ev.total_bytes && ev.downloaded_bytes !== null ? Math.min(100, Math.round((ev.downloaded_bytes / ev.total_bytes) * 1000) / 10) : null
      run.setItem({
        video_id: v.id,
        title: v.title,
        phase: 'download',
        percent,
        downloaded_bytes: ev.downloaded_bytes,
        total_bytes: ev.total_bytes,
        speed: ev.speed,
        eta: ev.eta,
      })
    } else {
      failBefore(idx)
      state.set(v.id, 'ended')
      if (cursor === idx) cursor++
      downloaded++
      await track(recordDownloaded(run, v, ev.path).catch((err) => recordDownloadFailed(run, v, `could not store the file: ${err.message ?? err}`)))
      maybeStop(true)
    }
  }
  await proc.exited
  await readErr
  dog.stop()
  run.procs.delete(proc)
  if (writeFailed) {
    await Promise.all(work)
    // The caller stops the whole job (see JobManager.interrupt); its items are put right there.
    throw writeFailed
  }

  if (stalled) {
    // The item it hung on fails; the ones after it were never tried and go back to the queue.
    const hung = items.find((v) => state.get(v.id) === 'started') ?? items.find((v) => state.get(v.id) === 'waiting')
    if (hung) {
      state.set(hung.id, 'ended')
      track(recordDownloadFailed(run, hung, `yt-dlp showed no progress for ${Math.round(stallMs / 1000)} s and was stopped`))
    }
  }
  const requeue: number[] = []
  const giveBack = (v: Video) => {
    requeue.push(v.id)
    run.clearItem(v.id, 'download')
    track(updateVideo(db, v.id, { download_state: 'pending' }))
  }
  // Killed from outside (the OOM killer, kill -9): not a verdict on the items it never reached.
  const killedBy = stopping || stalled || run.cancelled ? null : proc.signal()
  if (stopping || run.cancelled) {
    // Stopped on purpose: whatever had not finished is not a failure, just not done yet.
    for (const v of items) if (state.get(v.id) !== 'ended') giveBack(v)
    // Failures found before the stop still get their messages.
    pairErrors(true)
  } else if (killedBy) {
    const inFlight = items.find((v) => state.get(v.id) === 'started')
    if (inFlight) {
      state.set(inFlight.id, 'ended')
      track(recordDownloadFailed(run, inFlight, `yt-dlp was killed (${killedBy}) while downloading this item; out of memory?`))
    }
    pairErrors(true)
    let back = 0
    let given = 0
    for (const v of items) {
      if (state.get(v.id) !== 'waiting') continue
      const deaths = (run.crashRequeues.get(v.id) ?? 0) + 1
      run.crashRequeues.set(v.id, deaths)
      state.set(v.id, 'ended')
      if (deaths > MAX_CRASH_REQUEUES) {
        given++
        track(recordDownloadFailed(run, v, `yt-dlp was killed ${deaths} times before reaching this item`))
      } else {
        giveBack(v)
        back++
      }
    }
    const parts = [inFlight ? `"${inFlight.title}" failed` : 'no item had started']
    if (back) parts.push(`${back} item(s) it had not reached go back to the queue`)
    if (given) parts.push(`${given} item(s) fail: it was killed ${MAX_CRASH_REQUEUES + 1} times before reaching them`)
    track(addEvent(db, run.id, 'warn', `yt-dlp was killed (${killedBy}) mid-chunk: ${parts.join('; ')}`))
  } else {
    failBefore(items.length)
    pairErrors(true)
  }
  for (const id of refused) giveBack(byId.get(id)!)
  await Promise.all(work)
  if (writeFailed) throw writeFailed
  // Refused items first, then the untouched rest, in playlist order.
  requeue.sort((a, b) => ids.indexOf(a) - ids.indexOf(b))
  return { requeue, rateLimited, downloaded }
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
