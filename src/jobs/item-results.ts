import { mkdir, stat } from 'node:fs/promises'
import { moveIntoPlace } from '../library/move'
import { extname, join } from 'node:path'
import { downloadsMidMove } from '../db/claims'
import { addEvent } from '../db/events'
import { now } from '../db/time'
import { updateVideo } from '../db/videos'
import type { Playlist, Video } from '../db/types'
import { type NamingEntry, numberWidth, videoTarget } from '../library/layout'
import { uniqueName } from '../library/names'
import { relativeTo, resolveInside, mediaRoot } from '../library/paths'
import type { AppContext } from '../context'
import type { JobRun } from './job-run'
import { coverPathFor, storeThumbnail } from './cover'
import { writeEpisodeNfo } from './library-files'
import { moveSubtitles } from './subtitle-files'

/** Names handed out but maybe not yet on disk, per playlist folder: two workers must not pick the same one. */
const reserved = new Map<string, Set<string>>()

export async function freeName(dir: string, base: string, ext: string): Promise<string> {
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

/**
 * Where a video file of the entry goes in the archive (a download, an import): a free name
 * in the playlist's layout (videoTarget), its folder created if need be. `entryCount` sets
 * the number's width.
 */
export async function videoDestination(root: string, playlist: Playlist, video: NamingEntry, file: string, entryCount: number): Promise<string> {
  const target = videoTarget(playlist, video, numberWidth(entryCount, video.position))
  const dir = join(root, target.dir)
  await mkdir(dir, { recursive: true })
  const ext =
    extname(file)
      .replace(/[^.\w]/g, '')
      .slice(0, 8) || '.bin'
  const name = await freeName(dir, target.stem, ext)
  return join(dir, name + ext)
}

export async function recordDownloaded(run: JobRun, video: Video, stagedPath: string): Promise<void> {
  const root = mediaRoot(run.ctx.config)
  const final = await videoDestination(root, run.playlist, video, stagedPath, run.entryCount)
  const rel = relativeTo(root, final)
  // The destination is recorded before the move: a crash in between leaves a row that
  // recovery can match to its file (see adoptMovedDownloads), not an orphan file.
  await updateVideo(run.ctx.db, video.id, { video_path: rel })
  await moveIntoPlace(stagedPath, final)
  await moveSubtitles(stagedPath, final)
  // yt-dlp's thumbnail sits beside the staged file under the same id; the index's URL stands in when it wrote none.
  await storeThumbnail(run, video, final, coverPathFor(stagedPath))
  video.video_path = rel
  await writeEpisodeNfo(run.ctx, run.playlist, video)
  // A download finished is no longer "left out", whatever the filters said while it ran.
  await updateVideo(run.ctx.db, video.id, { download_state: 'downloaded', downloaded_at: now(), error: null, skip_reason: null, video_cut_at: null })
  run.downloadEnded({ video_id: video.id, title: video.title, phase: 'download', ok: true, error: null })
  if (run.hasExtract && !run.cancelled) {
    if (video.extract_state === 'extracted' && video.audio_path) {
      // Fetched again only because its video file had gone (see verifyFiles): the audio is still there.
      run.extractionDropped(video.id)
      return
    }
    await updateVideo(run.ctx.db, video.id, { extract_job_id: run.id, extract_state: 'pending' })
    run.queueExtraction(video.id)
  }
}

/**
 * After a crash: a download caught between its recorded destination and its state change
 * is done if the file is there (it was moved), else the destination is forgotten.
 */
export async function adoptMovedDownloads(ctx: AppContext): Promise<number> {
  let adopted = 0
  for (const r of await downloadsMidMove(ctx.db, ctx.config.nodeName)) {
    const file = resolveInside(mediaRoot(ctx.config), r.video_path)
    if (file) adopted++
    await updateVideo(ctx.db, r.id, file ? { download_state: 'downloaded', downloaded_at: now(), error: null, skip_reason: null } : { video_path: null })
  }
  return adopted
}

/** `raw`: yt-dlp's own line when `error` is our reading of it; the job log shows both. */
export async function recordDownloadFailed(run: JobRun, video: Video, error: string, raw?: string): Promise<void> {
  // A destination recorded for a move that then failed points at nothing.
  await updateVideo(run.ctx.db, video.id, { download_state: 'failed', error, video_path: null })
  run.downloadEnded({ video_id: video.id, title: video.title, phase: 'download', ok: false, error })
  await addEvent(run.ctx.db, run.id, 'error', `download failed: ${video.title}: ${error}${raw && raw !== error ? ` (yt-dlp: ${raw})` : ''}`)
}

/** `audioDuration`: the audio's own length when it differs from the video's (segments cut out). */
export async function recordExtracted(run: JobRun, video: Video, audioPath: string, audioDuration: number | null = null): Promise<void> {
  await updateVideo(run.ctx.db, video.id, {
    extract_state: 'extracted',
    audio_path: relativeTo(mediaRoot(run.ctx.config), audioPath),
    audio_duration: audioDuration,
    error: null,
  })
  run.extractEnded({ video_id: video.id, title: video.title, phase: 'extract', ok: true, error: null })
}

export async function recordExtractFailed(run: JobRun, video: Video, error: string): Promise<void> {
  await updateVideo(run.ctx.db, video.id, { extract_state: 'failed', error })
  run.extractEnded({ video_id: video.id, title: video.title, phase: 'extract', ok: false, error })
  await addEvent(run.ctx.db, run.id, 'error', `extraction failed: ${video.title}: ${error}`)
}

/** Left out by the length filter once the file's length was known: not extracted, not failed, kept with its reason. */
export async function recordExtractSkipped(run: JobRun, video: Video, reason: string): Promise<void> {
  await updateVideo(run.ctx.db, video.id, { extract_state: 'pending', skip_reason: reason })
  run.extractionDropped(video.id)
  await addEvent(run.ctx.db, run.id, 'info', `not extracted: ${video.title}: ${reason}`)
}
