// The player page of one entry, after a real job (real yt-dlp and ffmpeg against the
// fixture media server): the page, hostile titles, Previous/Next across entries without
// a video file, 404s, subtitles beside the video, chapters written into the file.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Video } from '../../src/db/types'
import { updateVideo } from '../../src/db/videos'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { request } from './ui-helpers'

const HOSTILE = '<script>alert("x")</script> & <b>Co</b>'

let t: TestContext
let media: MediaServer
let playlistId: number
let other: number
/** The entries by their fixture name. */
const by: Record<string, Video> = {}

beforeAll(async () => {
  t = await testContext()
  media = await startMediaServer()
  const feed = await media.addFeed('player', {
    title: 'Player Mix',
    items: [
      { name: 'pl-1', title: 'First Light', uploader: 'Aurora', seconds: 3 },
      { name: 'pl-2', title: 'Never Here', kind: 'missing' },
      { name: 'pl-3', title: HOSTILE, seconds: 2, container: 'webm' },
      { name: 'pl-4', title: 'In Matroska', seconds: 2, container: 'mkv' },
    ],
  })
  playlistId = (await t.addPlaylist(feed)).id
  const job = await t.runJob(playlistId, 'download')
  expect(job.status).toBe('completed')
  const rows = await t.ctx.db.selectFrom('videos').selectAll().where('playlist_id', '=', playlistId).orderBy('position').execute()
  for (const [i, name] of ['pl-1', 'pl-2', 'pl-3', 'pl-4'].entries()) by[name] = rows[i]
  // This yt-dlp reads no uploader or date from a feed item; the page shows what the index stored.
  await updateVideo(t.ctx.db, by['pl-1'].id, { uploader: 'Aurora <i>Borealis</i>', upload_date: '2024-05-06' })
  other = (await t.addPlaylist(await media.addFeed('player-other', { title: 'Other', items: [{ name: 'po-1', title: 'Elsewhere' }] }))).id
}, 90_000)

afterAll(async () => {
  await t?.close()
  await media?.stop()
})

const pageOf = (name: string, query = '') => request(t, `/playlists/${playlistId}/entries/${by[name].id}${query}`)
/** The href of the link with that rel, or null. */
const rel = (html: string, r: string) => new RegExp(`<a[^>]*rel="${r}"[^>]*href="([^"]+)"`).exec(html)?.[1] ?? null

describe('the player page', () => {
  test('the fixture as expected: three downloaded, one failed, in feed order', () => {
    expect([by['pl-1'], by['pl-2'], by['pl-3'], by['pl-4']].map((v) => v.download_state)).toEqual(['downloaded', 'failed', 'downloaded', 'downloaded'])
    expect(by['pl-4'].video_path).toEndWith('.mkv')
  })

  test('renders the video with its media URL, preload=metadata, one h1, the facts and a source link', async () => {
    const page = await pageOf('pl-1')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toStartWith('text/html')
    const v = by['pl-1']
    expect(page.text).toContain(`<video class="player" controls preload="metadata" src="/media/${v.id}/video"`)
    expect(page.text.match(/<h1/g)?.length).toBe(1)
    expect(page.text).toContain('<h1>First Light</h1>')
    expect(page.text).toContain('<span>Aurora &lt;i&gt;Borealis&lt;/i&gt;</span><span>uploaded 2024-05-06</span><span>0:03</span>')
    expect(page.text).toContain(`href="${v.source_url}"`)
    expect(page.text).toContain(`href="/playlists/${playlistId}"`)
    // No chapters in the fixture's files: no chapter list at all.
    expect(page.text).not.toContain('Chapters')
  })

  test('the video answers Range with 206 and its type, as the <video> asks', async () => {
    for (const [name, type] of [
      ['pl-1', 'video/mp4'],
      ['pl-3', 'video/webm'],
      ['pl-4', 'video/x-matroska'],
    ]) {
      const res = await request(t, `/media/${by[name].id}/video`, { headers: { range: 'bytes=0-' } })
      expect({ name, status: res.status, type: res.headers.get('content-type') }).toEqual({ name, status: 206, type })
    }
  })

  test('a hostile title is escaped everywhere it appears', async () => {
    const page = await pageOf('pl-3')
    expect(page.status).toBe(200)
    // Inside a quoted attribute (its quotes escaped) the text is inert; anywhere else it must be escaped.
    const markup = (html: string) => html.replace(/="[^"]*"/g, '=""')
    expect(page.text).toContain('aria-label="Source: <script>alert(&#34;x&#34;)</script> & <b>Co</b>"')
    expect(markup(page.text)).not.toContain('<script>alert')
    expect(markup(page.text)).not.toContain('<b>Co</b>')
    expect(page.text).toContain('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;</h1>')
    // Its neighbour's Next link names it.
    const first = (await pageOf('pl-1')).text
    expect(first).toContain('aria-label="Next: <script>alert(&#34;x&#34;)</script> & <b>Co</b>"')
    expect(markup(first)).not.toContain('<script>alert')
  })

  test('Previous and Next follow the playlist order and skip the entry without a video', async () => {
    const first = await pageOf('pl-1')
    expect(rel(first.text, 'prev')).toBeNull()
    expect(rel(first.text, 'next')).toBe(`/playlists/${playlistId}/entries/${by['pl-3'].id}`)
    const middle = await pageOf('pl-3')
    expect(rel(middle.text, 'prev')).toBe(`/playlists/${playlistId}/entries/${by['pl-1'].id}`)
    expect(rel(middle.text, 'next')).toBe(`/playlists/${playlistId}/entries/${by['pl-4'].id}`)
    const last = await pageOf('pl-4')
    expect(rel(last.text, 'prev')).toBe(`/playlists/${playlistId}/entries/${by['pl-3'].id}`)
    expect(rel(last.text, 'next')).toBeNull()
    // The failed entry has a page too (no video), and the way on from it.
    const failed = await pageOf('pl-2')
    expect(failed.text).toContain('not downloaded yet')
    expect(failed.text).not.toContain('<video')
    expect(rel(failed.text, 'prev')).toBe(`/playlists/${playlistId}/entries/${by['pl-1'].id}`)
    expect(rel(failed.text, 'next')).toBe(`/playlists/${playlistId}/entries/${by['pl-3'].id}`)
  })

  test('Matroska: no <video>, a note that browsers cannot play it, and the download link', async () => {
    const page = await pageOf('pl-4')
    expect(page.text).not.toContain('<video')
    expect(page.text).toContain('Browsers cannot play this file type')
    expect(page.text).toContain(`href="/media/${by['pl-4'].id}/video?download=1"`)
  })

  test('the playlist table links each downloaded entry to its page, by name', async () => {
    const html = await t.page(`/playlists/${playlistId}/entries`)
    expect(html).toContain(`<a class="file-link" href="/playlists/${playlistId}/entries/${by['pl-1'].id}" aria-label="Play: First Light">`)
    expect(html).not.toContain(`/entries/${by['pl-2'].id}"`)
  })

  test('404 pages, in words: unknown playlist, unknown entry, an entry of another playlist', async () => {
    const foreign = (await t.ctx.db.selectFrom('videos').select('id').where('playlist_id', '=', other).executeTakeFirstOrThrow()).id
    for (const path of [
      `/playlists/999999/entries/${by['pl-1'].id}`,
      `/playlists/${playlistId}/entries/999999`,
      `/playlists/${playlistId}/entries/${foreign}`,
    ]) {
      const page = await request(t, path)
      expect({ path, status: page.status }).toEqual({ path, status: 404 })
      expect(page.headers.get('content-type')).toStartWith('text/html')
      expect(page.text).toContain('<!doctype html>')
      expect(page.text).toContain('<h1>Not found</h1>')
      expect(page.text).toMatch(/(playlist|entry) \d+ (of playlist \d+ )?not found/)
    }
  })
})

describe('subtitles beside the video', () => {
  const vtt = 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello <b>there</b>\n'
  beforeAll(() => {
    const video = join(t.dataDir, by['pl-1'].video_path as string)
    const stem = video.replace(/\.mp4$/, '')
    writeFileSync(`${stem}.en.vtt`, vtt)
    writeFileSync(`${stem}.pt-BR.vtt`, vtt)
    // Not a subtitle of this entry: no language part, or a dot in it.
    writeFileSync(`${stem}.vtt`, vtt)
    writeFileSync(`${stem}.live.en.vtt`, vtt)
  })

  test('each becomes a <track> with its language and a human label; the first is the default', async () => {
    const page = await pageOf('pl-1')
    const id = by['pl-1'].id
    const tracks = page.text.match(/<track[^>]*\/>/g) ?? []
    expect(tracks).toEqual([
      `<track kind="subtitles" src="/media/${id}/subtitles/en" srclang="en" label="English" default=""/>`,
      `<track kind="subtitles" src="/media/${id}/subtitles/pt-BR" srclang="pt-BR" label="Brazilian Portuguese"/>`,
    ])
  })

  test('served 200 as text/vtt, with Range; an unknown language or a video without subtitles is a 404', async () => {
    const id = by['pl-1'].id
    const res = await request(t, `/media/${id}/subtitles/en`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/vtt; charset=utf-8')
    expect(res.text).toBe(vtt)
    expect((await request(t, `/media/${id}/subtitles/en`, { headers: { range: 'bytes=0-5' } })).status).toBe(206)
    expect((await request(t, `/media/${id}/subtitles/de`)).status).toBe(404)
    expect((await request(t, `/media/${by['pl-3'].id}/subtitles/en`)).status).toBe(404)
    expect((await request(t, '/media/999999/subtitles/en')).status).toBe(404)
    // The language is a tag, never a path.
    expect((await request(t, `/media/${id}/subtitles/..%2F..%2Fyt-serve.db`)).status).toBe(422)
  })
})

describe('chapters written into the file', () => {
  beforeAll(async () => {
    const video = join(t.dataDir, by['pl-3'].video_path as string)
    const meta = join(t.dataDir, 'chapters.txt')
    writeFileSync(
      meta,
      ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=Intro <i>loud</i>\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1000\nEND=2000\ntitle=Outro\n',
    )
    const out = `${video}.with-chapters.webm`
    const ff = Bun.spawnSync(['ffmpeg', '-nostdin', '-v', 'error', '-y', '-i', video, '-i', meta, '-map', '0', '-map_chapters', '1', '-c', 'copy', out])
    expect(ff.exitCode).toBe(0)
    Bun.spawnSync(['mv', out, video])
  })

  test('a chapter list with start times and escaped titles, each link starting the video there', async () => {
    const page = await pageOf('pl-3')
    expect(page.text).toContain('<h2 id="chapters-heading">Chapters</h2>')
    expect(page.text).toContain('Intro &lt;i&gt;loud&lt;/i&gt;')
    const links = [...page.text.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1])
    const base = `/playlists/${playlistId}/entries/${by['pl-3'].id}`
    expect(links).toEqual([`${base}?t=0`, `${base}?t=1`])
    const atOne = await pageOf('pl-3', '?t=1')
    expect(atOne.text).toContain(`src="/media/${by['pl-3'].id}/video#t=1"`)
    expect((await pageOf('pl-3', '?t=abc')).status).toBe(422)
  })
})
