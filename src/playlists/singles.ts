import { Invalid } from '../errors'
import { insertPlaylist } from '../db/playlists'
import { appendEntry, findSingleBySource, findSinglesCollection, singlesUrls } from '../db/singles'
import { now } from '../db/time'
import type { Playlist } from '../db/types'
import { urlKey } from '../library/urls'
import type { IndexResult } from '../tools/ytdlp'
import type { AppContext } from '../context'

/**
 * A URL that names one video joins the built-in "Singles" collection: one playlist row
 * flagged `singles`, its entries added one by one by URL, never re-read upstream (there is
 * no list to re-read). A job on it downloads what is pending there, which after a paste
 * is the new entry: the others are done or failed already.
 */
export const SINGLES_TITLE = 'Singles'
/** Not a web address: the collection has none. Unique like every playlist URL. */
export const SINGLES_URL = 'yt-serve:singles'

export const isSingles = (p: Pick<Playlist, 'singles'>) => p.singles

/** The Singles collection, created on first use (the partial unique index keeps it one). */
export async function singlesCollection(ctx: AppContext, folderFor: (title: string) => Promise<string>): Promise<Playlist> {
  const found = await findSinglesCollection(ctx.db)
  if (found) return found
  try {
    return await insertPlaylist(ctx.db, {
      url: SINGLES_URL,
      title: SINGLES_TITLE,
      uploader: null,
      extractor: null,
      folder: await folderFor(SINGLES_TITLE),
      singles: 1,
      library_layout: ctx.config.libraryLayout,
      name_template: ctx.config.nameTemplate,
      indexed_at: now(),
    })
  } catch (err) {
    // Another request created it meanwhile.
    const again = await findSinglesCollection(ctx.db)
    if (again) return again
    throw err
  }
}

/** The Singles entry a URL was added as, by the same URL key playlists use; null when none. */
export async function findSingleByUrl(ctx: AppContext, url: string): Promise<{ playlist: Playlist; video_id: number } | null> {
  const playlist = await findSinglesCollection(ctx.db)
  if (!playlist) return null
  const key = urlKey(url)
  const hit = (await singlesUrls(ctx.db, playlist.id)).find((v) => urlKey(v.source_url) === key)
  return hit ? { playlist, video_id: hit.id } : null
}

/** Adds the one video of `index` to Singles; `added` is false when it was there already (under another URL, say). */
export async function addSingle(
  ctx: AppContext,
  index: IndexResult,
  folderFor: (title: string) => Promise<string>,
): Promise<{ playlist: Playlist; video_id: number; added: boolean }> {
  const entry = index.entries[0]
  if (!entry) throw new Invalid('yt-dlp found no video at this URL')
  const playlist = await singlesCollection(ctx, folderFor)
  const known = await findSingleBySource(ctx.db, playlist.id, entry.source_id)
  if (known) return { playlist, video_id: known.id, added: false }
  const { id, added } = await appendEntry(ctx.db, playlist.id, { ...entry, position: 0 })
  return { playlist, video_id: id, added }
}
