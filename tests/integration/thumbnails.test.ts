import { afterAll, beforeAll, expect, test } from 'bun:test'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { formatUtc } from '../../views/format'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

const HOSTILE_PLAYLIST = '<img src=x onerror=alert(1)> Bench'
const HOSTILE_ENTRY = '<script>alert("t")</script> Song'

/** The page's markup with attribute values emptied: a title inside a quoted attribute (an aria-label) is text, not markup. */
const markup = (html: string) => html.replace(/="[^"]*"/g, '=""')

/** Every <img> on a page points at our own thumbnail route, never at a remote URL. */
const imgSources = (html: string) => [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1])

test('a real job keeps each thumbnail in the data dir, serves it, embeds the same bytes as the cover, and shows it on rows and cards', async () => {
  await using t = await testContext({ AUDIO_FORMAT: 'mp3' })
  const feed = await media.addFeed('thumbs-bench', {
    title: HOSTILE_PLAYLIST,
    items: [
      { name: 'thumb-none', title: 'No Picture', seconds: 2, uploader: 'Someone' },
      { name: 'thumb-yes', title: HOSTILE_ENTRY, thumbnail: true, seconds: 2, pubDate: 'Tue, 02 Jan 2024 10:00:00 GMT' },
    ],
  })
  const add = await t.addPlaylist(feed)
  const job = await t.runJob(add.id, 'both')
  expect(job).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 2 })
  const [none, yes]: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos

  // On disk, under the playlist's thumbnails folder, named like the video; the fixture's very JPEG.
  expect(none.thumbnail_path).toBeNull()
  expect(yes.thumbnail_path).toMatch(/^[^/]+\/thumbnails\/[^/]+\.jpg$/)
  const stem = (p: string) => p.replace(/^.*\//, '').replace(/\.[^.]+$/, '')
  expect(stem(yes.thumbnail_path)).toBe(stem(yes.video_path))
  const file = join(t.dataDir, yes.thumbnail_path)
  const fixture = new Uint8Array(await (await fetch(`${media.url}/thumbs/thumb-yes.jpg`)).arrayBuffer())
  expect(Buffer.compare(readFileSync(file), fixture)).toBe(0)
  // Nothing is left beside the video or in staging.
  expect(existsSync(join(t.dataDir, yes.video_path.replace(/\.[^./]+$/, '.jpg')))).toBe(false)

  // Served from our own route, as a JPEG; an entry without one is a 404.
  const served = await t.app.handle(new Request(`http://localhost/media/${yes.id}/thumbnail`))
  expect(served.status).toBe(200)
  expect(served.headers.get('content-type')).toBe('image/jpeg')
  expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), readFileSync(file))).toBe(0)
  expect((await t.app.handle(new Request(`http://localhost/media/${none.id}/thumbnail`))).status).toBe(404)

  // The MP3's attached picture is byte for byte that file.
  const out = join(t.dataDir, 'cover-back.jpg')
  const x = Bun.spawnSync(['ffmpeg', '-v', 'error', '-y', '-i', join(t.dataDir, yes.audio_path), '-map', '0:v', '-c', 'copy', out])
  expect(x.exitCode).toBe(0)
  expect(Buffer.compare(readFileSync(out), readFileSync(file))).toBe(0)

  // The playlist page: the row's thumbnail, uploader and upload date; the hostile title escaped.
  const page = await t.page(`/playlists/${add.id}`)
  expect(page).toContain(`<img class="entry-thumb" src="/media/${yes.id}/thumbnail" alt="" loading="lazy"`)
  expect(page).not.toContain(`src="/media/${none.id}/thumbnail"`)
  expect(page).toContain('<time class="entry-date" datetime="2024-01-02">2024-01-02</time>')
  expect(markup(page)).not.toContain('<script>alert(')
  expect(page).toContain('&lt;script&gt;alert(')

  // The home page's card: the playlist's thumbnail, the source host, the last and next sync.
  expect((await t.api('PATCH', `/api/playlists/${add.id}`, { sync_interval: 'daily' })).status).toBe(200)
  const playlist = (await t.api('GET', `/api/playlists/${add.id}`)).json
  expect(playlist.indexed_at).toBeString()
  expect(playlist.next_sync_at).toBeString()
  const home = await t.page('/')
  const card = home.slice(home.indexOf(`id="playlist-${add.id}"`))
  expect(card).toContain(`<img class="playlist-thumb" src="/media/${yes.id}/thumbnail" alt=""`)
  expect(card).toContain(`>${new URL(media.url).host}</span>`)
  expect(card).toContain(`last sync <time datetime="${playlist.indexed_at}">${formatUtc(playlist.indexed_at)}</time>`)
  expect(card).toContain(`next sync <time datetime="${playlist.next_sync_at}">${formatUtc(playlist.next_sync_at)}</time>`)
  expect(markup(home)).not.toContain('<img src=x')
  expect(home).toContain('&lt;img src=x onerror=alert(1)&gt; Bench')

  for (const html of [page, home]) for (const src of imgSources(html)) expect(src).toMatch(/^\/media\/\d+\/thumbnail$/)
})
