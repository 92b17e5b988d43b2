import { rm } from 'node:fs/promises'
import { addEvent } from '../db/events'
import { now } from '../db/time'
import type { Video } from '../db/types'
import { updateVideo } from '../db/videos'
import { resolveInside, mediaRoot } from '../library/paths'
import { buildProbeArgs, parseProbe } from '../tools/ffmpeg'
import { runTool } from '../tools/spawn'
import type { JobRun } from './job-run'

/** The audio ffmpeg just wrote reads back as audio with a length: only then may the video go. */
export async function audioIsValid(run: JobRun, audioFile: string): Promise<boolean> {
  try {
    const probe = await runTool(buildProbeArgs(run.ctx.config.ffprobePath, audioFile), { timeoutMs: 60_000 })
    if (probe.code !== 0) return false
    const probed = parseProbe(probe.stdout)
    return probed.audioCodec !== null && (probed.duration ?? 0) > 0
  } catch {
    return false
  }
}

/**
 * "Audio only": once a video's audio is extracted and reads back as valid, its video file is
 * deleted, but only for a job that asked (delete_videos) and only a video this job downloaded
 * itself: a video the archive already held, or one a "Video only" paste put into Singles,
 * is never deleted by another paste's job.
 *
 * The row stays `downloaded`, with video_path null and video_deleted_at set: the file is gone
 * on purpose, so "Check files" does not count it missing and no job downloads it again. The
 * row is written before the file goes; a crash in between leaves a stray file, never a row
 * that claims a deleted file.
 */
export async function deleteVideoIfAsked(run: JobRun, video: Video, audioFile: string): Promise<void> {
  if (run.job.delete_videos !== 1 || video.download_job_id !== run.id || !video.video_path) return
  const file = resolveInside(mediaRoot(run.ctx.config), video.video_path)
  if (!file) return
  if (!(await audioIsValid(run, audioFile))) {
    await addEvent(run.ctx.db, run.id, 'warn', `kept the video of "${video.title}": its audio did not read back as valid`)
    return
  }
  await updateVideo(run.ctx.db, video.id, { video_path: null, video_deleted_at: now() })
  await rm(file, { force: true })
}
