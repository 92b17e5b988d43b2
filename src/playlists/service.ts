import { existsSync } from 'node:fs'
import { Conflict, NotFound } from '../errors'
import { activeJobForPlaylist } from '../db/jobs'
import { PlaylistUrlTaken, deletePlaylist, findPlaylist, findPlaylistByUrl, folderTaken, insertPlaylist, playlistCounts, updatePlaylist } from '../db/playlists'
import { applyIndex, type IndexDiff } from '../db/videos'
import type { Playlist } from '../db/types'
import { sanitizeFileName } from '../library/names'
import { removePlaylistFolder, type FolderRemoval } from '../library/folder-removal'
import { isReservedName, playlistDir } from '../library/paths'
import { checkUrlSyntax, checkUrlTarget } from '../library/urls'
import { now } from '../db/time'
import { urlGuardOf, type AppContext } from '../context'
import { applyDownloadFilters } from './download-filters'
import { indexPlaylist } from './indexer'

/** A folder no playlist uses and nothing occupies on disk (a deleted playlist's kept files, say). */
export async function uniqueFolder(ctx: AppContext, title: string): Promise<string> {
  const base = sanitizeFileName(title, 80)
  const taken = async (f: string) => isReservedName(f) || (await folderTaken(ctx.db, f)) || existsSync(playlistDir(ctx.config.dataDir, f))
  let folder = base
  for (let i = 2; await taken(folder); i++) folder = `${base} (${i})`
  return folder
}

/** Validates, indexes and stores a playlist. Nothing is written unless yt-dlp could read it. */
export async function addPlaylist(ctx: AppContext, rawUrl: unknown): Promise<Playlist & { added: number }> {
  const url = checkUrlSyntax(rawUrl)
  const existing = await findPlaylistByUrl(ctx.db, url)
  if (existing) throw new Conflict(`this playlist was already added as #${existing.id}`, { id: existing.id })
  await checkUrlTarget(url, urlGuardOf(ctx))
  const index = await indexPlaylist(ctx, url, { refuseWhenBusy: true })
  const again = await findPlaylistByUrl(ctx.db, url) // another request may have added it meanwhile
  if (again) throw new Conflict(`this playlist was already added as #${again.id}`, { id: again.id })
  const playlist = await insertPlaylist(ctx.db, {
    url,
    title: index.title,
    uploader: index.uploader,
    extractor: index.extractor,
    folder: await uniqueFolder(ctx, index.title),
    indexed_at: now(),
  }).catch(async (err) => {
    if (!(err instanceof PlaylistUrlTaken)) throw err
    const taken = await findPlaylistByUrl(ctx.db, url)
    throw new Conflict(`this playlist was already added as #${taken?.id}`, { id: taken?.id })
  })
  const diff = await applyIndex(ctx.db, playlist.id, index.entries)
  return { ...playlist, added: diff.added }
}

/** Re-reads the playlist upstream: new entries are added, vanished ones marked missing. */
export async function reindexPlaylist(ctx: AppContext, playlist: Playlist): Promise<IndexDiff> {
  // Checked again each time: the host's DNS may point inside by now, and a row stored before
  // the guard knew every address spelling may never have been refused.
  await checkUrlTarget(playlist.url, urlGuardOf(ctx))
  const index = await indexPlaylist(ctx, playlist.url, {
    extractor: playlist.extractor,
    tabs: { shorts: playlist.include_shorts === 1, live: playlist.include_live === 1 },
  })
  const diff = await applyIndex(ctx.db, playlist.id, index.entries)
  const patch: Partial<Playlist> = { indexed_at: now() }
  // Read afresh: the user may have renamed it while yt-dlp read the list, and their title wins.
  const before = await findPlaylist(ctx.db, playlist.id)
  if (before && before.renamed === 0 && index.title !== before.title) patch.title = index.title
  if (index.extractor !== playlist.extractor) patch.extractor = index.extractor
  await updatePlaylist(ctx.db, playlist.id, patch)
  // New entries meet the playlist's download filters before any job claims them; the
  // filters are read afresh, since `playlist` is as the job loaded it and may predate a change.
  const current = await findPlaylist(ctx.db, playlist.id)
  if (current) await applyDownloadFilters(ctx, current)
  return diff
}

export async function getPlaylistOr404(ctx: AppContext, id: number): Promise<Playlist> {
  const p = await findPlaylist(ctx.db, id)
  if (!p) throw new NotFound(`playlist ${id}`)
  return p
}

/**
 * Forgets a playlist; with `deleteFiles`, also its folder. Says what it forgot and what
 * went on disk (files: null when the files were not asked for).
 */
export async function removePlaylist(ctx: AppContext, id: number, deleteFiles: boolean): Promise<{ playlist: Playlist; files: FolderRemoval | null }> {
  const p = await getPlaylistOr404(ctx, id)
  const active = await activeJobForPlaylist(ctx.db, id)
  if (active) throw new Conflict(`a job of this playlist is running (#${active.id}); cancel it first, or wait for it to end`, { job_id: active.id })
  await deletePlaylist(ctx.db, id)
  return { playlist: p, files: deleteFiles ? await removePlaylistFolder(ctx.config.dataDir, p.folder) : null }
}

export { playlistCounts }
