import { expect, test } from 'bun:test'
import { forEachDialect } from '../helpers/dialects'
import * as m0009 from '../../migrations/0009_clean_source_urls'
import { insertPlaylist } from '../../src/db/playlists'

forEachDialect('0009 clean source URLs', (dialect) => {
  test("0009 takes yt-dlp's smuggled data out of stored source URLs, keeping what the download needs besides the id", async () => {
    const db = await dialect.open()
    const p = await insertPlaylist(db, { url: 'http://127.0.0.1:9/feed.xml', title: 'Old', folder: 'Old', uploader: null, indexed_at: null })
    await m0009.down(db as any) // back to the schema before it, to add rows as older versions stored them
    const t = '2026-01-01T00:00:00.000Z'
    const urls = [
      'http://127.0.0.1:9/media/a.mp4#__youtubedl_smuggle=%7B%22force_videoid%22%3A+%22guid-a%22%7D',
      'https://v.example/1#__youtubedl_smuggle=%7B%22referer%22%3A+%22https%3A%2F%2Fpage.example%2F%22%2C+%22force_videoid%22%3A+%22x%22%7D',
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      'http://127.0.0.1:9/media/b.mp4#__youtubedl_smuggle=%7Bnot-json',
    ]
    for (const [i, source_url] of urls.entries())
      await (db as any)
        .insertInto('videos')
        .values({ playlist_id: p.id, source_id: `s${i}`, position: i + 1, title: `T${i}`, source_url, created_at: t, updated_at: t })
        .execute()
    await m0009.up(db as any)
    const rows = await db.selectFrom('videos').select(['source_url', 'smuggled_data']).orderBy('position').execute()
    expect(rows).toEqual([
      { source_url: 'http://127.0.0.1:9/media/a.mp4', smuggled_data: null },
      { source_url: 'https://v.example/1', smuggled_data: '{"referer":"https://page.example/"}' },
      { source_url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', smuggled_data: null },
      { source_url: 'http://127.0.0.1:9/media/b.mp4', smuggled_data: null },
    ])
    await db.destroy()
  })
})
