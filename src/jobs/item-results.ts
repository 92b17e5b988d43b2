import { mkdir, rename, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { addEvent } from '../db/events'
import { updateVideo } from '../db/videos'
import type { Video } from '../db/types'
import { itemBaseName, uniqueName } from '../library/names'
import { relativeTo, resolveInside, videosDir } from '../library/paths'
import type { AppContext } from '../context'
import type { JobRun } from './job-run'
import { coverPathFor } from './cover'

/** Names handed out but maybe not yet on disk, per playlist folder: two workers must not pick the same one. */
const reserved = new Map<string, Set<string>>()

async function freeName(dir: string, base: string, ext: string): Promise<string> {
  const taken = reserved.get(dir) ?? new Set<string>()
  reserved.set(dir, taken)
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base} (${i})`
    if (taken.has(candidate.toLowerCase())) continue
    const exists = await stat(join(dir, candidate + ext)).then(
      () => true,
      () => false,
    )
    if (!exists) return uniqueName(candidate, taken)
  }
}

export async function recordDownloaded(run: JobRun, video: Video, stagedPath: string): Promise<void> {
  const { dataDir } = run.ctx.config
  const dir = videosDir(dataDir, run.playlist.folder)
  await mkdir(dir, { recursive: true })
  const ext =
    extname(stagedPath)
      .replace(/[^.\w]/g, '')
      .slice(0, 8) || '.bin'
  const width = Math.max(3, String(run.batch.total || video.position).length)
  const name = await freeName(dir, itemBaseName(video.position, video.title, width), ext)
  const final = join(dir, name + ext)
  const rel = relativeTo(dataDir, final)
  // The destination is recorded before the move: a crash in between leaves a row that
  // recovery can match to its file (see adoptMovedDownloads), not an orphan file.
  await updateVideo(run.ctx.db, video.id, { video_path: rel })
  await rename(stagedPath, final)
  // yt-dlp's thumbnail sits beside the staged file under the same id.
  await rename(coverPathFor(stagedPath), coverPathFor(final)).catch(() => {})
  // A download finished is no longer "left out", whatever the filters said while it ran.
  await updateVideo(run.ctx.db, video.id, { download_state: 'downloaded', error: null, skip_reason: null })
  run.clearItem(video.id, 'download')
  run.job.download_completed++
  run.update({ download_batch_info: run.batchInfo() })
  run.itemEnded({ video_id: video.id, title: video.title, phase: 'download', ok: true, error: null })
  if (run.hasExtract && !run.cancelled) {
    if (video.extract_state === 'extracted' && video.audio_path) {
      // Fetched again only because its video file had gone (see verifyFiles): the audio is still there.
      run.update({ extract_total: Math.max(0, run.job.extract_total - 1) })
      return
    }
    await updateVideo(run.ctx.db, video.id, { extract_job_id: run.id, extract_state: 'pending' })
    run.extractQueue.push(video.id)
  }
}

/**
 * After a crash: a download caught between its recorded destination and its state change
 * is done if the file is there (it was moved), else the destination is forgotten.
 */
export async function adoptMovedDownloads(ctx: AppContext): Promise<number> {
  const rows = await ctx.db
    .selectFrom('videos')
    .select(['id', 'video_path'])
    .where('download_state', '=', 'downloading')
    .where('video_path', 'is not', null)
    .execute()
  let adopted = 0
  for (const r of rows) {
    const file = resolveInside(ctx.config.dataDir, r.video_path!)
    if (file) adopted++
    await updateVideo(ctx.db, r.id, file ? { download_state: 'downloaded', error: null, skip_reason: null } : { video_path: null })
  }
  return adopted
}

/** `raw`: yt-dlp's own line when `error` is our reading of it; the job log shows both. */
export async function recordDownloadFailed(run: JobRun, video: Video, error: string, raw?: string): Promise<void> {
  // A destination recorded for a move that then failed points at nothing.
  await updateVideo(run.ctx.db, video.id, { download_state: 'failed', error, video_path: null })
  run.clearItem(video.id, 'download')
  const patch: Parameters<JobRun['update']>[0] = { download_failed: run.job.download_failed + 1 }
  // In "both" this item was counted as one to extract; it no longer is.
  if (run.hasExtract) patch.extract_total = Math.max(0, run.job.extract_total - 1)
  run.update(patch)
  run.itemEnded({ video_id: video.id, title: video.title, phase: 'download', ok: false, error })
  await addEvent(run.ctx.db, run.id, 'error', `download failed: ${video.title}: ${error}${raw && raw !== error ? ` (yt-dlp: ${raw})` : ''}`)
}

export async function recordExtracted(run: JobRun, video: Video, audioPath: string): Promise<void> {
  await updateVideo(run.ctx.db, video.id, { extract_state: 'extracted', audio_path: relativeTo(run.ctx.config.dataDir, audioPath), error: null })
  run.clearItem(video.id, 'extract')
  run.update({ extract_completed: run.job.extract_completed + 1 })
  run.itemEnded({ video_id: video.id, title: video.title, phase: 'extract', ok: true, error: null })
}

export async function recordExtractFailed(run: JobRun, video: Video, error: string): Promise<void> {
  await updateVideo(run.ctx.db, video.id, { extract_state: 'failed', error })
  run.clearItem(video.id, 'extract')
  run.update({ extract_failed: run.job.extract_failed + 1 })
  run.itemEnded({ video_id: video.id, title: video.title, phase: 'extract', ok: false, error })
  await addEvent(run.ctx.db, run.id, 'error', `extraction failed: ${video.title}: ${error}`)
}

/** Left out by the length filter once the file's length was known: not extracted, not failed, kept with its reason. */
export async function recordExtractSkipped(run: JobRun, video: Video, reason: string): Promise<void> {
  await updateVideo(run.ctx.db, video.id, { extract_state: 'pending', skip_reason: reason })
  run.clearItem(video.id, 'extract')
  run.update({ extract_total: Math.max(0, run.job.extract_total - 1) })
  await addEvent(run.ctx.db, run.id, 'info', `not extracted: ${video.title}: ${reason}`)
}

export const audioBaseName = (videoPath: string) => basename(videoPath).replace(/\.[^.]+$/, '')
