// The podcast feed over real HTTP from the real server, read back by the real yt-dlp
// (whose generic extractor is itself an RSS reader), plus the Basic challenge podcast apps need.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../src/config'
import { startServer, type RunningServer } from '../../src/server'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'

const TOKEN = 'podcast-test-token-0123456789'
let media: MediaServer
let server: RunningServer
let dataDir: string
const auth = { authorization: `Bearer ${TOKEN}` }

beforeAll(async () => {
  media = await startMediaServer()
  dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-podcast-'))
  server = await startServer(parseConfig({ DATA_DIR: dataDir, PORT: '0', ALLOW_PRIVATE_URLS: 'true', AUTH_TOKEN: TOKEN, YTDLP_AUTO_UPDATE: 'off' }), {
    handleSignals: false,
  })
})
afterAll(async () => {
  await server?.stop()
  await media?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

test('extracted audio as RSS: escaped, newest first, enclosures that play; yt-dlp reads it as a playlist', async () => {
  const feed = await media.addFeed('cast', {
    title: 'Cast & <Crew>',
    items: [
      { name: 'c1', title: 'First & "quoted"', pubDate: 'Tue, 02 Jan 2024 10:00:00 GMT' },
      { name: 'c2', title: '<b>Second</b>', pubDate: 'Wed, 03 Jan 2024 10:00:00 GMT' },
    ],
  })
  const api = async (method: string, path: string, body?: unknown) =>
    (
      await fetch(`${server.url}${path}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json()
  const playlist = await api('POST', '/api/playlists', { url: feed })
  const job = await api('POST', `/api/playlists/${playlist.id}/jobs`, { type: 'both' })
  await server.manager.waitFor(job.id)

  const url = `${server.url}/playlists/${playlist.id}/podcast.xml`
  // Without credentials: a Basic challenge, not a login page.
  const anon = await fetch(url, { redirect: 'manual' })
  expect(anon.status).toBe(401)
  expect(anon.headers.get('www-authenticate')).toBe('Basic realm="yt-serve", charset="UTF-8"')
  expect((await fetch(url, { headers: { authorization: `Basic ${btoa(`me:wrong-token-0123456789`)}` } })).status).toBe(401)

  const basic = { authorization: `Basic ${btoa(`anyone:${TOKEN}`)}` }
  const res = await fetch(url, { headers: basic })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
  const xml = await res.text()
  expect(xml).toContain('<title>Cast &amp; &lt;Crew&gt;</title>')
  expect(xml).toContain('<title>First &amp; &quot;quoted&quot;</title>')
  expect(xml).not.toContain('<b>Second</b>')
  const titles = [...xml.matchAll(/<item>\n<title>([^<]*)<\/title>/g)].map((m) => m[1])
  expect(titles).toEqual(['&lt;b&gt;Second&lt;/b&gt;', 'First &amp; &quot;quoted&quot;'])
  expect(xml).toContain('<pubDate>Wed, 03 Jan 2024 00:00:00 GMT</pubDate>')
  const enclosures = [...xml.matchAll(/<enclosure url="([^"]+)" length="(\d+)" type="([^"]+)"\/>/g)]
  expect(enclosures).toHaveLength(2)
  for (const [, href, length, type] of enclosures) {
    expect(href).toStartWith(`${server.url}/media/`)
    expect(type).toBe('audio/mpeg')
    const audio = await fetch(href, { headers: basic })
    expect(audio.status).toBe(200)
    expect((await audio.arrayBuffer()).byteLength).toBe(Number(length))
  }

  // The served M3U: absolute /media URLs under the same Basic story, each one audio.
  const m3uUrl = `${server.url}/playlists/${playlist.id}/playlist.m3u8`
  expect((await fetch(m3uUrl)).status).toBe(401)
  const m3u = await (await fetch(m3uUrl, { headers: basic })).text()
  const lines = m3u.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  expect(lines).toHaveLength(2)
  for (const line of lines) {
    expect(line).toMatch(new RegExp(`^${server.url}/media/\\d+/audio$`))
    expect((await fetch(line)).status).toBe(401)
    const audio = await fetch(line, { headers: basic })
    expect([audio.status, audio.headers.get('content-type')]).toEqual([200, 'audio/mpeg'])
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(1000)
  }

  // yt-dlp's generic extractor reads our feed the way it reads any podcast.
  // (Async: the server answering it runs in this very process.)
  const read = Bun.spawn(['yt-dlp', '--ignore-config', '--flat-playlist', '-J', '--add-header', `Authorization:Bearer ${TOKEN}`, '--', url], {
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err, code] = await Promise.all([new Response(read.stdout).text(), new Response(read.stderr).text(), read.exited])
  expect([code, err.includes('ERROR')]).toEqual([0, false])
  const parsed = JSON.parse(out)
  expect(parsed.title).toBe('Cast & <Crew>')
  expect(parsed.entries.map((e: any) => e.title)).toEqual(['<b>Second</b>', 'First & "quoted"'])
}, 60_000)

test('feed links come from PUBLIC_URL, else the Host; X-Forwarded-Proto/Host only with TRUST_PROXY', async () => {
  const { testContext } = await import('../helpers/context')
  const { insertPlaylist } = await import('../../src/db/playlists')
  const link = async (env: Record<string, string>, headers: Record<string, string>) => {
    await using t = await testContext({ ALLOWED_HOSTS: 'yt.example.org', ...env })
    const p = await insertPlaylist(t.ctx.db, { url: 'http://127.0.0.1:9/feed.xml', title: 'Links', folder: 'Links' })
    const res = await t.app.handle(new Request(`http://localhost/playlists/${p.id}/podcast.xml`, { headers }))
    expect(res.status).toBe(200)
    return /<link>([^<]*)<\/link>/.exec(await res.text())![1].replace(/\/playlists\/\d+$/, '')
  }
  const spoof = { host: 'yt.example.org', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }
  expect(await link({}, spoof)).toBe('http://yt.example.org')
  expect(await link({ TRUST_PROXY: 'true', ALLOWED_HOSTS: 'evil.example' }, spoof)).toBe('https://evil.example')
  expect(await link({ PUBLIC_URL: 'https://pub.example.net/yt/' }, spoof)).toBe('https://pub.example.net/yt')
  expect(await link({ PUBLIC_URL: 'https://pub.example.net', TRUST_PROXY: 'true', ALLOWED_HOSTS: 'evil.example' }, spoof)).toBe('https://pub.example.net')
})
