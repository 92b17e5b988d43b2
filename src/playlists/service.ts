import { existsSync } from 'node:fs'
import { Conflict } from '../errors'
import { activeJobForPlaylist } from '../db/jobs'
import { PlaylistUrlTaken, deletePlaylist, findPlaylist, findPlaylistByUrl, folderTaken, insertPlaylist, playlistCounts, updatePlaylist } from '../db/playlists'
import { applyIndex, type IndexDiff } from '../db/videos'
import type { Playlist } from '../db/types'
import { sanitizeFileName } from '../library/names'
import { removePlaylistFolder, type FolderRemoval } from '../library/folder-removal'
import { isReservedName, playlistDir, mediaRoot } from '../library/paths'
import { checkUrlSyntax, checkUrlTarget } from '../library/urls'
import { now } from '../db/time'
import { urlGuardOf, type AppContext } from '../context'
import { applyDownloadFilters } from './download-filters'
import { indexPlaylist } from './indexer'
import { addSingle, findSingleByUrl, isSingles } from './singles'
import { requirePlaylist } from './require-playlist'

/** A folder no playlist uses and nothing occupies on disk (a deleted playlist's kept files, say). */
export async function uniqueFolder(ctx: AppContext, title: string): Promise<string> {
  const base = sanitizeFileName(title, 80)
  const taken = async (f: string) => isReservedName(f) || (await folderTaken(ctx.db, f)) || existsSync(playlistDir(mediaRoot(ctx.config), f))
  let folder = base
  for (let i = 2; await taken(folder); i++) folder = `${base} (${i})`
  return folder
}

/** What a URL turned out to be: a playlist added now or before, or a video in Singles. */
export interface AddOutcome {
  playlist: Playlist
  /** Entries added now (0 when the URL was known). */
  added: number
  /** The URL was already in the library: as this playlist, or as an entry of Singles. */
  existing: boolean
  /** For a single video, its entry in Singles; null for a playlist. */
  video_id: number | null
}

/** "already added as #2": the words of every duplicate notice and 409, UI and API alike. */
export function alreadyAddedMessage(o: AddOutcome): string {
  return o.video_id !== null
    ? `this video was already added to ${o.playlist.title} (#${o.playlist.id})`
    : `this playlist was already added as #${o.playlist.id}`
}

const existingPlaylist = (playlist: Playlist): AddOutcome => ({ playlist, added: 0, existing: true, video_id: null })

/**
 * Finds the URL in the library (same url_key), or reads it with yt-dlp and stores it: a list
 * becomes a playlist, a single video an entry of Singles. Nothing is written unless yt-dlp
 * could read it.
 */
export async function findOrAddPlaylist(ctx: AppContext, rawUrl: unknown): Promise<AddOutcome> {
  const url = checkUrlSyntax(rawUrl)
  const existing = await findPlaylistByUrl(ctx.db, url)
  if (existing) return existingPlaylist(existing)
  const single = await findSingleByUrl(ctx, url)
  if (single) return { ...single, added: 0, existing: true }
  await checkUrlTarget(url, urlGuardOf(ctx))
  const index = await indexPlaylist(ctx, url, { refuseWhenBusy: true })
  const folderFor = (title: string) => uniqueFolder(ctx, title)
  if (index.single) {
    const s = await addSingle(ctx, index, folderFor)
    return { playlist: s.playlist, video_id: s.video_id, added: s.added ? 1 : 0, existing: !s.added }
  }
  const again = await findPlaylistByUrl(ctx.db, url) // another request may have added it meanwhile
  if (again) return existingPlaylist(again)
  let playlist: Playlist
  try {
    playlist = await insertPlaylist(ctx.db, {
      url,
      title: index.title,
      uploader: index.uploader,
      extractor: index.extractor,
      folder: await folderFor(index.title),
      library_layout: ctx.config.libraryLayout,
      name_template: ctx.config.nameTemplate,
      indexed_at: now(),
    })
  } catch (err) {
    const taken = err instanceof PlaylistUrlTaken ? await findPlaylistByUrl(ctx.db, url) : undefined
    if (!taken) throw err
    return existingPlaylist(taken)
  }
  const diff = await applyIndex(ctx.db, playlist.id, index.entries)
  return { playlist, added: diff.added, existing: false, video_id: null }
}

/** Adds a URL that must be new (409 with the playlist's id when it is not). */
export async function addPlaylist(ctx: AppContext, rawUrl: unknown): Promise<Playlist & { added: number; video_id: number | null }> {
  const o = await findOrAddPlaylist(ctx, rawUrl)
  if (o.existing) throw new Conflict(alreadyAddedMessage(o), { id: o.playlist.id, ...(o.video_id !== null ? { video_id: o.video_id } : {}) })
  return { ...o.playlist, added: o.added, video_id: o.video_id }
}

/**
 * Re-reads the playlist upstream: new entries are added, vanished ones marked missing.
 * Returns what changed and the playlist as it now stands.
 */
export async function reindexPlaylist(ctx: AppContext, playlist: Playlist): Promise<{ diff: IndexDiff; playlist: Playlist }> {
  // Singles has no list upstream: its entries were added one by one and stay as they are.
  if (isSingles(playlist)) return { diff: { added: 0, updated: 0, missing: 0, restored: 0 }, playlist }
  // Checked again each time: the host's DNS may point inside by now, and a row stored before
  // the guard knew every address spelling may never have been refused.
  await checkUrlTarget(playlist.url, urlGuardOf(ctx))
  const index = await indexPlaylist(ctx, playlist.url, {
    extractor: playlist.extractor,
    tabs: { shorts: playlist.include_shorts, live: playlist.include_live },
  })
  const diff = await applyIndex(ctx.db, playlist.id, index.entries)
  const patch = { indexed_at: now() } as { indexed_at: string; title?: string; extractor?: string | null }
  // Read afresh: the user may have renamed it while yt-dlp read the list, and their title wins.
  const before = await findPlaylist(ctx.db, playlist.id)
  if (before && !before.renamed && index.title !== before.title) patch.title = index.title
  if (index.extractor !== playlist.extractor) patch.extractor = index.extractor
  await updatePlaylist(ctx.db, playlist.id, patch)
  // New entries meet the playlist's download filters before any job claims them; the
  // filters are read afresh, since `playlist` is as the job loaded it and may predate a change.
  const current = await findPlaylist(ctx.db, playlist.id)
  if (current) await applyDownloadFilters(ctx, current)
  return { diff, playlist: current ?? { ...playlist, ...patch } }
}

/**
 * Forgets a playlist; with `deleteFiles`, also its folder. Says what it forgot and what
 * went on disk (files: null when the files were not asked for).
 */
export async function removePlaylist(ctx: AppContext, id: number, deleteFiles: boolean): Promise<{ playlist: Playlist; files: FolderRemoval | null }> {
  const p = await requirePlaylist(ctx.db, id)
  const active = await activeJobForPlaylist(ctx.db, id)
  if (active) throw new Conflict(`a job of this playlist is running (#${active.id}); cancel it first, or wait for it to end`, { job_id: active.id })
  await deletePlaylist(ctx.db, id)
  return { playlist: p, files: deleteFiles ? await removePlaylistFolder(mediaRoot(ctx.config), p.folder) : null }
}

export { playlistCounts }
