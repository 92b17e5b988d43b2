import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { moveIntoPlace } from '../library/move'
import { join } from 'node:path'
import type { Video } from '../db/types'
import { updateVideo } from '../db/videos'
import { thumbnailPath } from '../library/layout'
import { relativeTo, resolveInside, mediaRoot } from '../library/paths'
import { guardedFetch } from '../library/guarded-fetch'
import { urlGuardOf } from '../context'
import type { JobRun } from './job-run'

const MAX_COVER_BYTES = 5 * 1024 * 1024
export const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff

/** The file yt-dlp's --write-thumbnail (converted to JPEG) leaves beside a file: same name, .jpg. */
export const coverPathFor = (videoFile: string) => videoFile.replace(/\.[^./]+$/, '') + '.jpg'

const nonEmptyFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  )

/** Where an entry's thumbnail is kept: named after the video's own file (a name already sanitized), where the layout wants it. */
function thumbnailTarget(run: JobRun, videoFile: string): string {
  const root = mediaRoot(run.ctx.config)
  return join(root, thumbnailPath(run.playlist, relativeTo(root, videoFile)))
}

/** The entry's recorded thumbnail, when it is still a file inside DATA_DIR. */
async function recordedThumbnail(run: JobRun, video: Video): Promise<string | null> {
  const file = video.thumbnail_path ? resolveInside(mediaRoot(run.ctx.config), video.thumbnail_path) : null
  return file && (await nonEmptyFile(file)) ? file : null
}

async function record(run: JobRun, video: Video, file: string): Promise<string> {
  video.thumbnail_path = relativeTo(mediaRoot(run.ctx.config), file)
  await updateVideo(run.ctx.db, video.id, { thumbnail_path: video.thumbnail_path })
  return file
}

/**
 * Keeps an entry's thumbnail once its video is in place (`videoFile`): the JPEG yt-dlp wrote
 * beside the staged download (`staged`), else the index's thumbnail URL fetched once through
 * the SSRF guard. The pages show it and the audio embeds it, so both are the same file.
 * Returns the thumbnail, or a non-JPEG image to embed (re-encoded) that is not recorded;
 * failing to get one never fails the item.
 */
export async function storeThumbnail(run: JobRun, video: Video, videoFile: string, staged: string | null): Promise<string | null> {
  const target = thumbnailTarget(run, videoFile)
  try {
    await mkdir(join(target, '..'), { recursive: true })
    if (staged && (await nonEmptyFile(staged))) {
      await moveIntoPlace(staged, target)
      return await record(run, video, target)
    }
    // Downloads from before thumbnails had their own folder kept it beside the video.
    const beside = coverPathFor(videoFile)
    if (await nonEmptyFile(beside)) {
      await rename(beside, target)
      return await record(run, video, target)
    }
    if (!video.thumbnail_url) return null
    const res = await guardedFetch(video.thumbnail_url, urlGuardOf(run.ctx), { signal: AbortSignal.timeout(15_000) })
    if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('image/')) return null
    const bytes = new Uint8Array(await res.arrayBuffer())
    if (bytes.length === 0 || bytes.length > MAX_COVER_BYTES) return null
    // Non-JPEG images (webp, png) are kept under another name, not shown; ffmpeg re-encodes them to JPEG for the cover.
    const jpeg = isJpeg(bytes)
    const file = jpeg ? target : join(target, '..', `.${video.id}.cover`)
    await writeFile(`${file}.part`, bytes)
    await rename(`${file}.part`, file)
    return jpeg ? await record(run, video, file) : file
  } catch {
    return null
  }
}

/**
 * The cover to embed: the entry's thumbnail, or a non-JPEG image the download kept. A
 * download by this very job already tried (storeThumbnail), so only older downloads try now.
 */
export async function coverFor(run: JobRun, video: Video): Promise<string | null> {
  const kept = await recordedThumbnail(run, video)
  if (kept) return kept
  const file = video.video_path ? resolveInside(mediaRoot(run.ctx.config), video.video_path) : null
  if (!file) return null
  const other = join(thumbnailTarget(run, file), '..', `.${video.id}.cover`)
  if (await nonEmptyFile(other)) return other
  return video.download_job_id === run.id ? null : storeThumbnail(run, video, file, null)
}
