import { rename, stat, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { findPlaylist } from '../db/playlists'
import type { Playlist, Video } from '../db/types'
import { extractedVideos } from '../db/videos'
import { playlistDir, mediaRoot } from '../library/paths'
import type { AppContext } from '../context'
import { requirePlaylist } from './require-playlist'

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim()

/**
 * An extended M3U of the extracted files in playlist order. Without `base` (the file in
 * the playlist folder) the paths are relative to that folder, so it works wherever the
 * folder is copied; with `base` (the served one) each entry is its absolute
 * `/media/:id/audio` URL, since a player resolves relative lines against the M3U's own URL.
 */
export function buildM3u(playlist: Playlist, videos: Video[], root: string, base?: string): string {
  const lines = ['#EXTM3U', `#PLAYLIST:${oneLine(playlist.title)}`]
  const folder = playlistDir(root, playlist.folder)
  for (const v of videos) {
    if (!v.audio_path) continue
    // The audio's own length: shorter than the video's when SponsorBlock cut segments out.
    const length = v.audio_duration ?? v.duration
    const seconds = length ? Math.round(length) : -1
    const artist = v.uploader ?? playlist.uploader
    lines.push(`#EXTINF:${seconds},${oneLine(artist ? `${artist} - ${v.title}` : v.title)}`)
    lines.push(base !== undefined ? `${base}/media/${v.id}/audio` : relative(folder, join(root, v.audio_path)).split('\\').join('/'))
  }
  return `${lines.join('\n')}\n`
}

export const M3U_NAME = 'playlist.m3u8'

/** `base`: the server's origin for the served M3U; none for the file in the folder. */
export async function playlistM3u(ctx: AppContext, playlistId: number, base: string): Promise<string> {
  const playlist = await requirePlaylist(ctx.db, playlistId)
  return buildM3u(playlist, await extractedVideos(ctx.db, playlistId), mediaRoot(ctx.config), base)
}

/**
 * Rewrites `<folder>/playlist.m3u8` (atomically) so music players watching the folder see it.
 * A folder that is not there (nothing downloaded yet, or removed) gets no list, and is not created.
 */
export async function writeM3uFile(ctx: AppContext, playlistId: number): Promise<void> {
  // The playlist may have been removed while its job ended: then there is no folder to write to.
  const playlist = await findPlaylist(ctx.db, playlistId)
  if (!playlist) return
  const dir = playlistDir(mediaRoot(ctx.config), playlist.folder)
  if (
    !(await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    return
  const tmp = join(dir, `.${M3U_NAME}.part`)
  await writeFile(tmp, buildM3u(playlist, await extractedVideos(ctx.db, playlistId), mediaRoot(ctx.config)))
  await rename(tmp, join(dir, M3U_NAME))
}
