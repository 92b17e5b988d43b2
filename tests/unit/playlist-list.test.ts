import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { type CompiledQuery, Kysely } from 'kysely'
import { BunSqliteDialect } from 'kysely-bun-sqlite'
import { migrateToLatest } from '../../src/db/migrate'
import { insertPlaylist, listPlaylists, playlistTitles } from '../../src/db/playlists'
import type { Database as Schema } from '../../src/db/types'
import { applyIndex, type IndexedEntry } from '../../src/db/videos'
import { forEachDialect } from '../helpers/dialects'

const entry = (n: number): IndexedEntry => ({
  source_id: `s${n}`,
  position: n,
  title: `T${n}`,
  uploader: null,
  duration: 2,
  source_url: `http://h/${n}.mp4`,
  thumbnail_url: null,
  upload_date: null,
  extractor: null,
})

const newPlaylist = (n: number) => ({
  url: `http://h/list${n}.xml`,
  title: `List ${n}`,
  uploader: null,
  extractor: null,
  folder: `List ${n}`,
  library_layout: 'plain' as const,
  name_template: null,
  indexed_at: new Date().toISOString(),
})

forEachDialect('listPlaylists', (dialect) => {
  test('each playlist: its counts, and its cover = the first entry by position (then id) that has a thumbnail', async () => {
    const db = await dialect.open()
    try {
      const a = await insertPlaylist(db, newPlaylist(1))
      const b = await insertPlaylist(db, newPlaylist(2))
      const c = await insertPlaylist(db, newPlaylist(3)) // no entries at all
      await applyIndex(db, a.id, [1, 2, 3, 4].map(entry))
      await applyIndex(db, b.id, [1, 2].map(entry))
      const ids = async (playlistId: number) =>
        Object.fromEntries(
          (await db.selectFrom('videos').select(['id', 'position']).where('playlist_id', '=', playlistId).execute()).map((v) => [v.position, v.id]),
        )
      const va = await ids(a.id)
      // a: positions 3 and 4 have thumbnails, 2 is downloaded; position 3 is moved to 4's place, so the tie goes to the lower id.
      await db.updateTable('videos').set({ thumbnail_path: 'x.jpg' }).where('id', 'in', [va[3], va[4]]).execute()
      await db.updateTable('videos').set({ position: 4 }).where('id', '=', va[3]).execute()
      await db.updateTable('videos').set({ download_state: 'downloaded' }).where('id', '=', va[2]).execute()
      await db.updateTable('videos').set({ missing_since: new Date().toISOString() }).where('id', '=', va[1]).execute()

      const list = await listPlaylists(db)
      expect(list.map((p) => p.id)).toEqual([a.id, b.id, c.id])
      const [pa, pb, pc] = list
      expect(pa.thumbnail_video_id).toBe(Math.min(va[3], va[4]))
      expect(pb.thumbnail_video_id).toBeNull()
      expect(pc.thumbnail_video_id).toBeNull()
      expect(pa.counts).toEqual({ entries: 3, downloaded: 1, extracted: 0, failed: 0, missing: 1, skipped: 0, pruned: 0 })
      expect(pb.counts.entries).toBe(2)
      expect(pc.counts.entries).toBe(0)
      // A Playlist, not a row: flags are booleans, and nothing of the query leaks in.
      expect(typeof pa.include_shorts).toBe('boolean')
      expect(Object.keys(pa).sort()).toEqual(
        Object.keys({ ...(await db.selectFrom('playlists').selectAll().executeTakeFirstOrThrow()), counts: 0, thumbnail_video_id: 0 }).sort(),
      )
      expect(await playlistTitles(db)).toEqual([
        { id: a.id, title: 'List 1' },
        { id: b.id, title: 'List 2' },
        { id: c.id, title: 'List 3' },
      ])
    } finally {
      await db.destroy()
    }
  })
})

// The home page counts every entry of every playlist. On 100,000 entries, fetching each row
// from the table cost SQLite ~10× what walking an index that holds the counted columns does
// (bench/cluster-scale.ts), and a cover found through videos_playlist_position read every entry
// of a playlist without a thumbnail: every read of `videos` here must be index-only.
test('listPlaylists reads no row of videos from the table on SQLite (covering and partial indexes)', async () => {
  const queries: CompiledQuery[] = []
  const sqlite = new Database(':memory:')
  const db = new Kysely<Schema>({ dialect: new BunSqliteDialect({ database: sqlite }), log: (e) => void queries.push(e.query) })
  try {
    await migrateToLatest(db)
    // Some rows, some with thumbnails: the planner's choice on an empty table is not the one that matters.
    for (let p = 1; p <= 3; p++) {
      const playlist = await insertPlaylist(db, newPlaylist(p))
      await applyIndex(
        db,
        playlist.id,
        Array.from({ length: 200 }, (_, i) => entry(i + 1)),
      )
    }
    await db.updateTable('videos').set({ thumbnail_path: 't.jpg' }).where('position', '>', 150).execute()
    queries.length = 0
    await listPlaylists(db)
    const reads = queries.filter((q) => /from "videos"/.test(q.sql))
    expect(reads.length).toBe(2)
    for (const q of reads) {
      const plan = sqlite
        .query(`explain query plan ${q.sql}`)
        .all(...(q.parameters as never[]))
        .map((r) => (r as { detail: string }).detail)
      const tableReads = plan.filter((line) => /\b(SCAN|SEARCH) videos\b/.test(line) && !/COVERING INDEX/.test(line))
      expect({ sql: q.sql, tableReads }).toEqual({ sql: q.sql, tableReads: [] })
    }
  } finally {
    await db.destroy()
  }
})
