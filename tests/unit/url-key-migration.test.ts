import { expect, test } from 'bun:test'
import { forEachDialect } from '../helpers/dialects'
import * as m0006 from '../../migrations/0006_url_key'
import { findPlaylistByUrl, insertPlaylist, PlaylistUrlTaken } from '../../src/db/playlists'

forEachDialect('0006 url_key', (dialect) => {
  test('0006 backfills url_key; of legacy duplicates the oldest keeps it, and no new spelling gets in', async () => {
    const db = await dialect.open()
    await m0006.down(db as any) // back to the schema before it, to add rows as older versions did
    const t = '2026-01-01T00:00:00.000Z'
    for (const [i, url] of ['http://Example.com/feed/', 'HTTP://example.com/feed', 'https://other.example/x'].entries())
      await (db as any)
        .insertInto('playlists')
        .values({ url, title: `P${i}`, folder: `P${i}`, created_at: t, updated_at: t })
        .execute()
    await m0006.up(db as any)
    const rows = await db.selectFrom('playlists').select(['id', 'url', 'url_key']).orderBy('id').execute()
    expect(rows.map((r) => r.url_key)).toEqual(['http://example.com/feed', null, 'https://other.example/x'])
    expect(rows.map((r) => r.url)).toEqual(['http://Example.com/feed/', 'HTTP://example.com/feed', 'https://other.example/x'])
    expect((await findPlaylistByUrl(db, 'http://example.com:80/feed'))?.id).toBe(rows[0].id)
    expect((await findPlaylistByUrl(db, 'HTTP://example.com/feed'))?.id).toBe(rows[0].id)
    const again = insertPlaylist(db, { url: 'http://EXAMPLE.com/feed//', title: 'Again', folder: 'Again', uploader: null, indexed_at: null })
    await expect(again).rejects.toBeInstanceOf(PlaylistUrlTaken)
    await db.destroy()
  })
})
