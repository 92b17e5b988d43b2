import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { updateVideo } from '../../src/db/videos'
import { startForwardProxy, type ForwardProxy } from '../fixtures/forward-proxy'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'

// Real yt-dlp against the fixture media server on 127.0.0.1, through a proxy on 127.0.0.1.
let media: MediaServer
let proxy: ForwardProxy
beforeAll(async () => {
  media = await startMediaServer()
  proxy = await startForwardProxy()
})
afterAll(async () => {
  await proxy.stop()
  await media.stop()
})

const SECRET = 's3cret-proxy-pass'

/** Cookies for the fixture host, as a browser extension exports them. */
const COOKIES = [
  '# Netscape HTTP Cookie File',
  '# This is a generated file! Do not edit.',
  '',
  '127.0.0.1\tFALSE\t/\tFALSE\t2147483647\tSID\tfixture-session-value',
  '#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t2147483647\tHSID\tfixture-httponly',
  '.youtube.com\tTRUE\t/\tTRUE\t2147483647\tPREF\tf6=40000000',
  '',
].join('\n')

async function runJob(t: TestContext, feed: string): Promise<{ playlistId: number; jobId: number }> {
  const add = await t.addPlaylist(feed)
  const job = await t.startJob(add.id, 'download')
  await t.manager.waitFor(job.id)
  return { playlistId: add.id, jobId: job.id }
}

describe('PROXY', () => {
  let t: TestContext
  afterAll(() => t?.close())

  test('every yt-dlp request goes through it; its password shows up nowhere', async () => {
    const withAuth = proxy.url.replace('http://', `http://yts:${SECRET}@`)
    t = await testContext({ PROXY: withAuth })
    const feed = await media.addFeed('proxied', {
      title: 'Proxied',
      items: [
        { name: 'px1', title: 'Through the proxy' },
        { name: 'px2', title: 'Gone', kind: 'missing' },
      ],
    })
    const before = proxy.forwarded.length
    const { playlistId, jobId } = await runJob(t, feed)
    const seen = proxy.forwarded.slice(before)
    // The index (the feed) and the download (the media file) both came through the proxy.
    expect(seen).toContain(feed)
    expect(seen).toContain(media.mediaUrl('px1'))
    expect(media.requests('px1').total).toBeGreaterThan(0)
    // The credentials reached the proxy, as Basic auth, and nothing else.
    expect(proxy.proxyAuth.at(-1)).toBe(`Basic ${Buffer.from(`yts:${SECRET}`).toString('base64')}`)
    const detail = await t.api('GET', `/api/playlists/${playlistId}`)
    expect(detail.json.videos.map((v: { download_state: string }) => v.download_state)).toEqual(['downloaded', 'failed'])
    const log = await t.api('GET', `/api/jobs/${jobId}/log`)
    const job = await t.api('GET', `/api/jobs/${jobId}`)
    for (const out of [detail.json, log.json, job.json]) expect(JSON.stringify(out)).not.toContain(SECRET)
    // The failed item says what happened in words; the job log keeps yt-dlp's own line.
    expect(detail.json.videos[1].error).toBe('not found on the site (HTTP 404): the page or file is gone')
    expect(JSON.stringify(log.json)).toMatch(/download failed: Gone: not found on the site \(HTTP 404\)[^"]*\(yt-dlp: ERROR: [^"]*HTTP Error 404: Not Found/)
  }, 60_000)
})

describe('cookies uploaded from the UI', () => {
  let t: TestContext
  afterAll(() => t?.close())

  test('PUT stores them 0600 and answers with counts only; yt-dlp sends them to the site', async () => {
    t = await testContext()
    expect((await t.api('GET', '/api/cookies')).json).toEqual({ source: 'none', uploaded: null })
    const put = await t.api('PUT', '/api/cookies', COOKIES, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(COOKIES)) })
    expect(put.status).toBe(200)
    expect(put.json).toMatchObject({ source: 'uploaded', uploaded: { cookies: 3, domains: 2 } })
    expect(JSON.stringify(put.json)).not.toContain('fixture-session-value')
    const path = join(t.dataDir, 'cookies.txt')
    expect(statSync(path).mode & 0o777).toBe(0o600)

    media.resetCounts()
    const feed = await media.addFeed('cookied', { title: 'cookies.txt', items: [{ name: 'ck1', title: 'With cookies' }] })
    const { playlistId } = await runJob(t, feed)
    const mediaGets = media.requestLog().filter((r) => r.path === '/media/ck1.mp4' && r.method === 'GET')
    expect(mediaGets.length).toBeGreaterThan(0)
    for (const r of mediaGets) expect(r.headers.cookie).toContain('SID=fixture-session-value')
    const feedGet = media.requestLog().find((r) => r.path === '/feeds/cookied.xml')
    expect(feedGet?.headers.cookie).toContain('HSID=fixture-httponly')

    // A playlist titled like the data dir's own file gets another folder.
    const detail = await t.api('GET', `/api/playlists/${playlistId}`)
    expect(detail.json.folder).toBe('cookies.txt (2)')
    // And no row pointing at it can have it served.
    await updateVideo(t.ctx.db, detail.json.videos[0].id, { audio_path: 'cookies.txt', extract_state: 'extracted' })
    const res = await t.app.handle(new Request(`http://localhost/media/${detail.json.videos[0].id}/audio`))
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('fixture-session-value')
  }, 60_000)

  test('the settings page: multipart upload, a refused file inline, Remove', async () => {
    const form = new FormData()
    form.append('file', new Blob([COOKIES], { type: 'text/plain' }), 'cookies.txt')
    const up = await t.app.handle(new Request('http://localhost/settings/cookies', { method: 'POST', body: form, headers: { 'hx-request': 'true' } }))
    expect(up.status).toBe(200)
    const html = await up.text()
    expect(html).toMatch(/set on \d{4}-\d\d-\d\d \d\d:\d\d UTC · 3 cookies for 2 domains/)
    expect(html).toContain('Saved')
    expect(html).not.toContain('fixture-session-value')

    const bad = new FormData()
    bad.append('file', new Blob(['[{"domain": ".youtube.com", "name": "SID", "value": "x"}]'], { type: 'application/json' }), 'cookies.json')
    const refused = await t.app.handle(new Request('http://localhost/settings/cookies', { method: 'POST', body: bad, headers: { 'hx-request': 'true' } }))
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain('JSON cookie export')
    expect((await t.api('GET', '/api/cookies')).json.uploaded.cookies).toBe(3)

    // The home page's status line links here.
    const home = await t.app.handle(new Request('http://localhost/'))
    expect(await home.text()).toContain('<a class="cookies-status" href="/settings/cookies">cookies: set</a>')

    const removed = await t.app.handle(new Request('http://localhost/settings/cookies/remove', { method: 'POST', headers: { 'hx-request': 'true' } }))
    expect(await removed.text()).toContain('no cookies file uploaded')
    expect((await t.api('GET', '/api/cookies')).json).toEqual({ source: 'none', uploaded: null })
    expect((await t.api('DELETE', '/api/cookies')).status).toBe(200)
  })

  test('COOKIES_FILE wins over an upload, and the page says so', async () => {
    const envFile = join(t.dataDir, 'env-cookies.txt')
    await Bun.write(envFile, COOKIES)
    await using ct = await testContext({ COOKIES_FILE: envFile })
    await ct.api('PUT', '/api/cookies', COOKIES, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(COOKIES)) })
    expect((await ct.api('GET', '/api/cookies')).json).toMatchObject({ source: 'env', uploaded: { cookies: 3 } })
    const text = await (await ct.app.handle(new Request('http://localhost/settings/cookies'))).text()
    expect(text).toContain('COOKIES_FILE is set')
    expect(text).not.toContain(envFile)
  })

  test('a file that is not Netscape cookies is a 422 naming the line, and nothing is stored', async () => {
    const body = 'hello world\nthis is not a cookie file\n'
    const res = await t.api('PUT', '/api/cookies', body, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(body)) })
    expect(res.status).toBe(422)
    expect(res.json.error).toContain('line 1')
    expect((await t.api('GET', '/api/cookies')).json.uploaded).toBeNull()
  })
})

describe('yt-dlp errors in words', () => {
  let t: TestContext
  afterAll(() => t?.close())

  test('adding an unreadable URL: a 422 with the sentence', async () => {
    t = await testContext()
    const res = await t.api('POST', '/api/playlists', { url: `${media.url}/feeds/never-there.xml` })
    expect(res.status).toBe(422)
    expect(res.json.error).toBe('yt-dlp cannot read this URL: not found on the site (HTTP 404): the page or file is gone')
  })

  test('a re-index that fails: the job says it in words, its log keeps the raw line', async () => {
    const feed = await media.addFeed('flaky', { title: 'Flaky', items: [{ name: 'fl1' }] })
    const rss = await (await fetch(feed)).text()
    const url = media.addRaw('/raw/flaky.xml', rss, 'application/rss+xml')
    const add = await t.api('POST', '/api/playlists', { url })
    expect(add.status).toBe(201)
    media.addRaw('/raw/flaky.xml', '<html><body>moved away</body></html>', 'text/html')
    const job = await t.runJob(add.json.id, 'download')
    expect(job.status).toBe('failed')
    expect(job.error).toStartWith('yt-dlp cannot read this URL: Unsupported URL')
    expect(job.error).not.toContain('ERROR:')
    const log = JSON.stringify((await t.api('GET', `/api/jobs/${job.id}/log`)).json)
    expect(log).toContain('(yt-dlp: ERROR: Unsupported URL: ')
  })
})
