import { rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Video } from '../db/types'
import { resolveInside } from '../library/paths'
import { guardedFetch } from '../library/guarded-fetch'
import { urlGuardOf } from '../context'
import type { JobRun } from './job-run'

const MAX_COVER_BYTES = 5 * 1024 * 1024
export const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff

/** Where a video's cover sits: beside the video file, same name, .jpg. */
export const coverPathFor = (videoFile: string) => videoFile.replace(/\.[^./]+$/, '') + '.jpg'

/**
 * The cover to embed: the thumbnail yt-dlp wrote (--write-thumbnail, converted to JPEG),
 * else the thumbnail URL from the index fetched once. Failing to get one never fails the item.
 */
export async function coverFor(run: JobRun, video: Video): Promise<string | null> {
  const file = video.video_path ? resolveInside(run.ctx.config.dataDir, video.video_path) : null
  if (!file) return null
  const cover = coverPathFor(file)
  if (
    await stat(cover).then(
      (s) => s.size > 0,
      () => false,
    )
  )
    return cover
  if (!video.thumbnail_url) return null
  try {
    const res = await guardedFetch(video.thumbnail_url, urlGuardOf(run.ctx), { signal: AbortSignal.timeout(15_000) })
    if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('image/')) return null
    const bytes = new Uint8Array(await res.arrayBuffer())
    if (bytes.length === 0 || bytes.length > MAX_COVER_BYTES) return null
    // Non-JPEG images (webp, png) are kept under another name; ffmpeg re-encodes them to JPEG.
    const target = isJpeg(bytes) ? cover : join(file.replace(/\/[^/]+$/, ''), `.${video.id}.cover`)
    await writeFile(`${target}.part`, bytes)
    await rename(`${target}.part`, target)
    return target
  } catch {
    return null
  }
}
