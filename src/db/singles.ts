import type { DB } from './open'
import type { IndexedEntry } from './videos'
import type { Playlist } from './types'
import { now } from './time'
import { toPlaylist } from './playlists'

/** The built-in collection single videos join; undefined until the first one is added. */
export async function findSinglesCollection(db: DB): Promise<Playlist | undefined> {
  const row = await db.selectFrom('playlists').selectAll().where('singles', '=', 1).executeTakeFirst()
  return row && toPlaylist(row)
}

/** The Singles entry with this source id (yt-dlp's id, or "g" + hash for a plain media URL). */
export async function findSingleBySource(db: DB, playlistId: number, sourceId: string): Promise<{ id: number } | undefined> {
  return db.selectFrom('videos').select('id').where('playlist_id', '=', playlistId).where('source_id', '=', sourceId).executeTakeFirst()
}

/** Every Singles entry's id and URL: the caller compares URL keys, which SQL cannot compute. */
export async function singlesUrls(db: DB, playlistId: number): Promise<{ id: number; source_url: string }[]> {
  return db.selectFrom('videos').select(['id', 'source_url']).where('playlist_id', '=', playlistId).execute()
}

/**
 * Appends one entry at the end of a collection and returns its id; an entry with the same
 * source id (a concurrent add of the same video) is left as it is and its id returned.
 */
export async function appendEntry(db: DB, playlistId: number, entry: IndexedEntry): Promise<{ id: number; added: boolean }> {
  return db.transaction().execute(async (trx) => {
    const same = await findSingleBySource(trx, playlistId, entry.source_id)
    if (same) return { id: same.id, added: false }
    const last = await trx
      .selectFrom('videos')
      .select((eb) => eb.fn.max<number | null>('position').as('max'))
      .where('playlist_id', '=', playlistId)
      .executeTakeFirst()
    const t = now()
    const row = await trx
      .insertInto('videos')
      .values({ ...entry, smuggled_data: entry.smuggled_data ?? null, position: (last?.max ?? 0) + 1, playlist_id: playlistId, created_at: t, updated_at: t })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: row.id, added: true }
  })
}
