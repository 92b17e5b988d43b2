import { copyFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { findPlaylist } from '../db/playlists'
import type { Playlist, Video } from '../db/types'
import { firstThumbnail } from '../db/videos'
import { isShowLayout, layoutOf, nfoBeside, nfoPath, SHOW_FILES } from '../library/layout'
import { episodeNfo, tvshowNfo } from '../library/nfo'
import { playlistDir, resolveInside, mediaRoot } from '../library/paths'
import type { AppContext } from '../context'

/**
 * The files a show layout adds beside the media (NFOs, poster, fanart, folder.jpg). They are
 * made from the database, never moved: a relayout deletes the old ones and writes new ones.
 * Failing to write one never fails an item or a job; the media files are what matters.
 */

/** Written beside as a dot-file ending in .part, then renamed: a reader never sees half a file, and the start-up sweep takes leftovers. */
async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.part`)
  await writeFile(tmp, data)
  await rename(tmp, file)
}

async function copyAtomic(from: string, to: string): Promise<void> {
  const tmp = join(dirname(to), `.${basename(to)}.part`)
  await copyFile(from, tmp)
  await rename(tmp, to)
}

/** The episode NFO beside a video (show layouts only), its thumb named when the image sits beside it. */
export async function writeEpisodeNfo(ctx: AppContext, playlist: Playlist, video: Video): Promise<void> {
  const rel = video.video_path ? nfoPath(playlist, video.video_path) : null
  if (!rel) return
  const thumb = video.thumbnail_path && dirname(video.thumbnail_path) === dirname(rel) ? basename(video.thumbnail_path) : null
  try {
    await writeAtomic(join(mediaRoot(ctx.config), rel), episodeNfo(playlist, video, thumb))
  } catch (err) {
    ctx.log(`${rel}: could not write the NFO: ${err instanceof Error ? err.message : err}`)
  }
}

/** Deletes the NFO beside a video (a relayout moves the video, or the playlist left the show layouts). */
export async function removeEpisodeNfo(ctx: AppContext, videoPath: string): Promise<void> {
  const file = resolveInside(mediaRoot(ctx.config), nfoBeside(videoPath))
  if (file) await rm(file, { force: true })
}

const isDir = (p: string) =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  )

/**
 * `tvshow.nfo`, and `poster.jpg`, `fanart.jpg`, `folder.jpg` from the first entry's thumbnail,
 * at the top of a show-layout playlist's folder. A plain folder is left as it is: only a
 * relayout to plain removes them (removeShowFiles), never a download job.
 */
export async function writeShowFiles(ctx: AppContext, playlistId: number): Promise<void> {
  const playlist = await findPlaylist(ctx.db, playlistId)
  if (!playlist) return
  const dir = playlistDir(mediaRoot(ctx.config), playlist.folder)
  if (!(await isDir(dir))) return
  if (!isShowLayout(layoutOf(playlist))) return
  try {
    await writeAtomic(join(dir, 'tvshow.nfo'), tvshowNfo({ title: playlist.title, uploader: playlist.uploader, url: playlist.url }))
    const rel = await firstThumbnail(ctx.db, playlistId)
    const cover = rel ? resolveInside(mediaRoot(ctx.config), rel) : null
    if (cover) for (const name of ['poster.jpg', 'fanart.jpg', 'folder.jpg']) await copyAtomic(cover, join(dir, name))
  } catch (err) {
    ctx.log(`${playlist.folder}: could not write the show's NFO and artwork: ${err instanceof Error ? err.message : err}`)
  }
}

/** A playlist back in plain keeps none of the show's files. */
export async function removeShowFiles(ctx: AppContext, folder: string): Promise<void> {
  const dir = playlistDir(mediaRoot(ctx.config), folder)
  for (const name of SHOW_FILES) await rm(join(dir, name), { force: true })
}
