import type { AppContext } from '../context'
import { claimedWork, claimOwnDownloaded, unclaimDownloads } from '../db/claims'
import { addEvent } from '../db/events'
import { claimDownloads, claimExtractions, claimMoreDownloads, claimReextractions, downloadTotals, missingAmong } from '../db/videos'
import { reindexPlaylist } from '../playlists/service'
import { AUDIO_EXT, formatFor } from './extract-worker'
import type { JobRun } from './job-run'
import { reextractOffer } from './reextract'

// What a job takes on before (and while) its workers run, as named steps. The manager
// calls them in order (see JobManager.prepare); each claims in the database first, then
// tells the run (whose counters follow from the claims).

/** A resumed or retry job: the work it already owns, counted from its items. */
export async function resumeClaims(ctx: AppContext, run: JobRun): Promise<void> {
  await claimOwnDownloaded(ctx.db, run.job)
  const work = await claimedWork(ctx.db, run.job)
  run.resumeWith(work)
  if (run.hasDownload) {
    run.countBatch(await downloadTotals(ctx.db, run.playlist.id), run.job.batch_total !== null)
    run.setPhase('download', work.download.length > 0 ? 'running' : 'completed')
  }
  if (run.hasExtract) run.setPhase('extract', work.extract.length > 0 || work.download.length > 0 ? 'running' : 'completed')
}

/** A fresh job with an extract phase: the downloaded items still without audio. */
export async function claimReadyExtractions(ctx: AppContext, run: JobRun): Promise<void> {
  run.claimExtractions(await claimExtractions(ctx.db, run.playlist.id, run.id))
  if (run.job.type === 'both') run.delayExtraction(Date.now() + ctx.config.extractDelaySeconds * 1000)
}

/**
 * A re-extract job: the extracted entries whose file is in another format than the
 * playlist's, made again from their videos (the worker replaces each old file once the new
 * one is valid). Entries whose video is gone are left with their file, and the log says so.
 */
export async function claimForReextract(ctx: AppContext, run: JobRun): Promise<void> {
  const format = formatFor(run)
  const { video_gone } = await reextractOffer(ctx, run.playlist)
  if (video_gone > 0)
    await addEvent(ctx.db, run.id, 'info', `kept ${video_gone} file(s) as they are: their videos were deleted ("Audio only"), so they cannot be re-extracted`)
  const ids = await claimReextractions(ctx.db, run.playlist.id, run.id, AUDIO_EXT[format])
  await addEvent(ctx.db, run.id, 'info', `re-extracting ${ids.length} file(s) as ${format}`)
  run.claimExtractions(ids)
}

/**
 * Entries already in the stored index start downloading while yt-dlp re-reads the
 * playlist: the re-index (one more yt-dlp start, ~0.4 s) no longer delays the downloads.
 * Returns the items claimed (none for a playlist never indexed).
 */
export async function startEarly(ctx: AppContext, run: JobRun): Promise<number[]> {
  run.setPhase('download', 'running')
  if (!run.playlist.indexed_at) return []
  const before = await downloadTotals(ctx.db, run.playlist.id)
  run.countBatch(before, before.total - before.downloaded > ctx.config.batchSize)
  const early = await claimDownloads(ctx.db, run.playlist.id, run.id, ctx.config.batchSize)
  if (early.length > 0) run.claimDownloads(early)
  return early
}

/** Re-reads the playlist upstream, then settles the batch: early claims gone upstream go back, the rest of the batch is claimed. */
export async function reindexThenClaim(ctx: AppContext, run: JobRun, early: number[]): Promise<void> {
  const { db, config } = ctx
  await addEvent(db, run.id, 'info', 'indexing the playlist')
  const { diff, playlist } = await reindexPlaylist(ctx, run.playlist)
  run.playlist = playlist
  if (diff.added || diff.missing || diff.restored)
    await addEvent(db, run.id, 'info', `index: ${diff.added} new, ${diff.missing} gone upstream, ${diff.restored} back`)
  const startedEarly = early.length > 0
  // Claimed early but gone upstream, and not handed to yt-dlp yet: give them back.
  const gone = new Set(run.releaseDownloads(startedEarly && diff.missing > 0 ? await missingAmong(db, run.stillQueued(early)) : []))
  if (gone.size > 0) await unclaimDownloads(db, [...gone])
  const kept = early.filter((id) => !gone.has(id))
  const totals = await downloadTotals(db, run.playlist.id)
  const added = startedEarly
    ? await claimMoreDownloads(db, run.playlist.id, run.id, config.batchSize - kept.length)
    : await claimDownloads(db, run.playlist.id, run.id, config.batchSize)
  const pending = totals.total - Math.max(0, totals.downloaded - run.job.download_completed)
  run.countBatch(totals, pending > config.batchSize)
  run.claimDownloads(added)
  const claimed = kept.length + added.length
  await addEvent(
    db,
    run.id,
    'info',
    `downloading ${claimed} item(s)${run.job.batch_total !== null ? ` of ${pending} pending (batch size ${config.batchSize})` : ''}`,
  )
}
