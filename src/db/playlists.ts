import { sql } from 'kysely'
import type { DB } from './open'
import { type NewPlaylist, PLAYLIST_DEFAULTED_FLAGS, PLAYLIST_FLAGS, type Playlist, type PlaylistRow, type PlaylistUpdate } from './types'
import { now } from './time'
import { urlKey } from '../library/urls'
import { uniqueViolation } from './dialect'

export interface PlaylistCounts {
  entries: number
  downloaded: number
  extracted: number
  failed: number
  missing: number
  /** Left out by the playlist's download filters. */
  skipped: number
  /** Files deleted by retention (download_state 'pruned'). */
  pruned: number
}

/** `thumbnail_video_id`: the entry whose thumbnail stands for the playlist (the first one that has one); null when none has. */
export type PlaylistWithCounts = Playlist & { counts: PlaylistCounts; thumbnail_video_id: number | null }

/** SQLite has no booleans: the tab switches turn into them here, so nothing above sees 0/1. */
/** The one way a stored row becomes a Playlist: its 0/1 flags turn into booleans. */
export const toPlaylist = (row: PlaylistRow): Playlist => {
  const flags = Object.fromEntries(PLAYLIST_FLAGS.map((f) => [f, row[f] === 1])) as Record<(typeof PLAYLIST_FLAGS)[number], boolean>
  const defaulted = Object.fromEntries(PLAYLIST_DEFAULTED_FLAGS.map((f) => [f, row[f] === null ? null : row[f] === 1])) as Record<
    (typeof PLAYLIST_DEFAULTED_FLAGS)[number],
    boolean | null
  >
  return { ...row, ...flags, ...defaulted }
}

/** A playlist whose URL, however spelled, is already stored (the unique url_key refused the insert). */
export class PlaylistUrlTaken extends Error {}

export async function insertPlaylist(db: DB, p: Omit<NewPlaylist, 'created_at' | 'updated_at' | 'url_key'>): Promise<Playlist> {
  const t = now()
  try {
    const row = await db
      .insertInto('playlists')
      .values({ ...p, url_key: urlKey(p.url), created_at: t, updated_at: t })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toPlaylist(row)
  } catch (err) {
    // url or url_key: "playlists.url…" on SQLite, playlists_url_unique / playlists_url_key on PostgreSQL.
    if (/^playlists[._]url/.test(uniqueViolation(err) ?? '')) throw new PlaylistUrlTaken(p.url)
    throw err
  }
}

export async function findPlaylist(db: DB, id: number): Promise<Playlist | undefined> {
  const row = await db.selectFrom('playlists').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toPlaylist(row)
}

export async function findPlaylistByUrl(db: DB, url: string): Promise<Playlist | undefined> {
  const row = await db
    .selectFrom('playlists')
    .selectAll()
    .where((eb) => eb.or([eb('url_key', '=', urlKey(url)), eb('url', '=', url)]))
    .orderBy('id')
    .executeTakeFirst()
  return row && toPlaylist(row)
}

export async function playlistFolders(db: DB): Promise<string[]> {
  return (await db.selectFrom('playlists').select('folder').execute()).map((r) => r.folder)
}

export async function folderTaken(db: DB, folder: string): Promise<boolean> {
  const row = await db.selectFrom('playlists').select('id').where('folder', '=', folder).executeTakeFirst()
  return row !== undefined
}

export async function updatePlaylist(db: DB, id: number, patch: PlaylistUpdate): Promise<void> {
  await db
    .updateTable('playlists')
    .set({ ...patch, updated_at: now() })
    .where('id', '=', id)
    .execute()
}

export async function deletePlaylist(db: DB, id: number): Promise<void> {
  await db.deleteFrom('playlists').where('id', '=', id).execute()
}

const countsSelect = (db: DB) =>
  db
    .selectFrom('videos')
    .select((eb) => [
      'playlist_id',
      sql<number>`count(*) filter (where missing_since is null)`.as('entries'),
      sql<number>`count(*) filter (where download_state = 'downloaded')`.as('downloaded'),
      sql<number>`count(*) filter (where extract_state = 'extracted')`.as('extracted'),
      sql<number>`count(*) filter (where missing_since is null and ((download_state = 'failed' and skip_reason is null) or extract_state = 'failed'))`.as(
        'failed',
      ),
      sql<number>`count(*) filter (where missing_since is not null)`.as('missing'),
      sql<number>`count(*) filter (where missing_since is null and skip_reason is not null)`.as('skipped'),
      sql<number>`count(*) filter (where download_state = 'pruned')`.as('pruned'),
      eb.fn.countAll<number>().as('all'),
    ])
    .groupBy('playlist_id')

function toCounts(row: Partial<PlaylistCounts> | undefined): PlaylistCounts {
  return {
    entries: row?.entries ?? 0,
    downloaded: row?.downloaded ?? 0,
    extracted: row?.extracted ?? 0,
    failed: row?.failed ?? 0,
    missing: row?.missing ?? 0,
    skipped: row?.skipped ?? 0,
    pruned: row?.pruned ?? 0,
  }
}

export async function playlistCounts(db: DB, id: number): Promise<PlaylistCounts> {
  return toCounts(await countsSelect(db).where('playlist_id', '=', id).executeTakeFirst())
}

export async function listPlaylists(db: DB): Promise<PlaylistWithCounts[]> {
  const [rows, counts] = await Promise.all([
    db
      .selectFrom('playlists')
      .selectAll('playlists')
      // Its first entry (by position) with a thumbnail: one seek in videos_playlist_thumbnail per playlist.
      .select((eb) =>
        eb
          .selectFrom('videos')
          .select('videos.id')
          .whereRef('videos.playlist_id', '=', 'playlists.id')
          .where('videos.thumbnail_path', 'is not', null)
          .orderBy('videos.position')
          .orderBy('videos.id')
          .limit(1)
          .as('thumbnail_video_id'),
      )
      .orderBy('playlists.id', 'asc')
      .execute(),
    countsSelect(db).execute(),
  ])
  const byId = new Map(counts.map((c) => [c.playlist_id, c]))
  return rows.map(({ thumbnail_video_id, ...p }) => ({ ...toPlaylist(p), counts: toCounts(byId.get(p.id)), thumbnail_video_id: thumbnail_video_id ?? null }))
}

/** Every playlist's id and title, in id order: for a picker, without counting any entries. */
export async function playlistTitles(db: DB): Promise<{ id: number; title: string }[]> {
  return db.selectFrom('playlists').select(['id', 'title']).orderBy('id', 'asc').execute()
}

export async function duePlaylists(db: DB, at: string): Promise<Playlist[]> {
  const rows = await db
    .selectFrom('playlists')
    .selectAll()
    .where('sync_interval', '!=', 'off')
    .where('next_sync_at', '<=', at)
    .orderBy('next_sync_at')
    .execute()
  return rows.map(toPlaylist)
}
