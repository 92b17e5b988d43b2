import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { updateVideo } from '../../src/db/videos'
import { CONTENT_SECURITY_POLICY } from '../../src/http/headers'
import { testContext, type TestContext } from '../helpers/context'
import { request, seedJob, seedPlaylist } from './ui-helpers'

let t: TestContext
let authed: TestContext
let playlistId: number
let jobId: number
let videoId: number
beforeAll(async () => {
  t = await testContext()
  authed = await testContext({ AUTH_TOKEN: 'a-token-of-twenty-chars' })
  const p = await seedPlaylist(t, { title: 'Headers', entries: 3 })
  playlistId = p.id
  // A running "both" job, so the pages carry phase bars and polling attributes.
  jobId = (
    await seedJob(t, p.id, 'both', {
      status: 'running',
      download_status: 'running',
      download_total: 3,
      download_completed: 1,
      download_failed: 1,
      extract_status: 'running',
      extract_total: 1,
    })
  ).id
  const video = (await t.api('GET', `/api/playlists/${p.id}`)).json.videos[0]
  videoId = video.id
  mkdirSync(join(t.dataDir, p.folder, 'audio'), { recursive: true })
  writeFileSync(join(t.dataDir, p.folder, 'audio', 'a.mp3'), 'ID3')
  await updateVideo(t.ctx.db, videoId, { audio_path: `${p.folder}/audio/a.mp3`, extract_state: 'extracted' })
})
afterAll(async () => {
  await t.close()
  await authed.close()
})

const expectHeaders = (h: Headers, what: string) => {
  expect({ what, csp: h.get('content-security-policy'), xfo: h.get('x-frame-options') }).toEqual({ what, csp: CONTENT_SECURITY_POLICY, xfo: 'DENY' })
}

describe('every response forbids framing and carries the CSP', () => {
  test('pages, fragments, JSON, assets, media, feeds and errors', async () => {
    const page = await request(t, '/')
    const css = /href="(\/assets\/app-[^"]+\.css)"/.exec(page.text)![1]
    const paths = [
      '/',
      `/playlists/${playlistId}`,
      `/playlists/${playlistId}/entries`,
      `/jobs/${jobId}/card`,
      `/jobs/${jobId}/log`,
      '/api/playlists',
      `/api/jobs/${jobId}`,
      css,
      '/assets/htmx-4.0.1.min.js',
      `/media/${videoId}/audio`,
      `/playlists/${playlistId}/podcast.xml`,
      `/playlists/${playlistId}/playlist.m3u8`,
      '/no/such/page',
      '/api/playlists/0x1',
      '/login',
    ]
    for (const path of paths) {
      const res = await request(t, path)
      expect(res.status, path).toBeLessThan(path.startsWith('/no/') || path.includes('0x1') ? 500 : 400)
      expectHeaders(res.headers, path)
    }
  })

  test('refusals before any route runs: cross-site 403, and 401/303 without the token', async () => {
    expectHeaders((await request(t, '/api/playlists', { method: 'POST', headers: { origin: 'http://evil.example' } })).headers, 'cross-site')
    expectHeaders((await request(authed, '/api/playlists')).headers, '401')
    expectHeaders((await request(authed, '/')).headers, '303')
  })
})

/** Anything the CSP refuses: inline scripts and styles, event-handler attributes. */
function inlineCode(html: string): string[] {
  const found: string[] = []
  for (const m of html.matchAll(/<script\b[^>]*>/g)) if (!/\ssrc="/.test(m[0])) found.push(m[0])
  for (const m of html.matchAll(/<style\b/g)) found.push(m[0])
  for (const m of html.matchAll(/<[a-z][^>]*\s(style|on[a-z]+)=[^>]*>/g)) found.push(m[0])
  for (const m of html.matchAll(/(href|src|action)="javascript:/gi)) found.push(m[0])
  return found
}

describe('the pages hold nothing the CSP would block', () => {
  test('home, playlist page, entries, job card and log, login: no inline script, style or handler', async () => {
    for (const path of ['/', `/playlists/${playlistId}`, `/playlists/${playlistId}/entries`, `/jobs/${jobId}/card`, `/jobs/${jobId}/log`]) {
      const { text } = await request(t, path)
      expect(text.length, path).toBeGreaterThan(200)
      expect({ path, inline: inlineCode(text) }).toEqual({ path, inline: [] })
    }
    // The running card does draw its bars: as SVG geometry.
    expect((await request(t, `/jobs/${jobId}/card`)).text).toContain('<rect class="bar-done" width="33.3%" height="100%"></rect>')
    const login = await request(authed, '/login')
    expect(inlineCode(login.text)).toEqual([])
    const href = /<link rel="stylesheet" href="(\/assets\/login-[a-z0-9]+\.css)"/.exec(login.text)?.[1]
    expect(href).toBeDefined()
    const css = await request(authed, href!) // public: the login page needs it before any login
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toContain('text/css')
    expect(css.text).toMatch(/place-items: ?center/)
  })

  test('the layout turns off the indicator CSS htmx would inject', async () => {
    expect((await request(t, '/')).text).toContain('<meta name="htmx-config" content="{&#34;includeIndicatorCSS&#34;:false}"/>')
  })
})
