import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { isPrivateAddress } from '../../src/library/urls'

describe('hostile playlist URLs are refused before any process runs', () => {
  let t: TestContext
  beforeAll(async () => {
    t = await testContext()
    rmSync('/tmp/x', { force: true })
  })
  afterAll(() => t.close())
  test.each([
    ['--exec=touch /tmp/x', 'must not start with'],
    ['-o/etc/x', 'must not start with'],
    ['file:///etc/passwd', 'only http and https'],
    ['http://127.0.0.1/a\n--exec=touch /tmp/x', 'spaces or control characters'],
    ['http://127.0.0.1/a --exec=touch /tmp/x', 'spaces or control characters'],
    ['http://127.0.0.1/' + 'a'.repeat(2050), 'longer than 2048'],
  ])('refuses hostile URL #%#', async (url, message) => {
    const res = await t.api('POST', '/api/playlists', { url })
    expect(res.status).toBe(422)
    expect(res.json.error).toContain(message)
    expect(existsSync('/tmp/x')).toBe(false)
    expect(existsSync('/etc/x')).toBe(false)
  })
  test('bad JSON bodies get 4xx JSON errors', async () => {
    expect((await t.api('POST', '/api/playlists', '{not json')).status).toBe(400)
    expect((await t.api('POST', '/api/playlists', { url: 5 })).json.error).toContain('url')
    expect((await t.api('POST', '/api/playlists', {})).status).toBe(422)
    expect((await t.api('GET', '/api/playlists/abc')).status).toBe(422)
    expect((await t.api('GET', '/api/playlists/999')).status).toBe(404)
    expect((await t.api('POST', '/api/playlists/999/jobs', { type: 'both' })).status).toBe(404)
    expect((await t.api('POST', '/api/jobs/999/cancel')).status).toBe(404)
  })
  test('oversized bodies get 413', async () => {
    const res = await t.api('POST', '/api/playlists', { url: 'http://x/' + 'a'.repeat(70_000) })
    expect(res.status).toBe(413)
    expect(res.json.error).toContain('larger')
  })
})

describe('SSRF guard', () => {
  test('loopback and private targets are refused unless allowed', async () => {
    const t = await testContext({ ALLOW_PRIVATE_URLS: 'false' })
    try {
      for (const url of ['http://127.0.0.1:9/feed', 'http://169.254.169.254/latest/meta-data/', 'http://localhost/x', 'http://[::1]/x', 'http://10.0.0.1/x']) {
        const res = await t.api('POST', '/api/playlists', { url })
        expect(res.status).toBe(422)
        expect(res.json.error).toContain('ALLOW_PRIVATE_URLS')
      }
    } finally {
      await t.close()
    }
  })
})

describe('SSRF guard on the entries a feed lists', () => {
  let media: MediaServer
  let outside: MediaServer
  beforeAll(async () => {
    media = await startMediaServer()
    outside = await startMediaServer({ host: '127.0.0.2' })
  })
  afterAll(async () => {
    await media.stop()
    await outside.stop()
  })

  test('entries aimed at a private address fail with a reason and are never fetched', async () => {
    const t = await testContext({ ALLOW_PRIVATE_URLS: 'false' })
    // A feed on a public host (127.0.0.2 plays one) listing entries that point inside.
    t.ctx.urlGuard = { isPrivate: (ip) => ip !== '127.0.0.2' && isPrivateAddress(ip) }
    try {
      await media.addItem({ name: 'in-a' })
      await media.addItem({ name: 'in-b' })
      const items = ['in-a', 'in-b'].map((name) => ({ name: `${name}-entry`, title: name.slice(-1), enclosureUrl: media.mediaUrl(name) }))
      const feed = await outside.addFeed('inward', { title: 'Inward', items })
      const add = await t.api('POST', '/api/playlists', { url: feed })
      expect(add.status).toBe(201)
      media.resetCounts()
      const job = await t.manager.waitFor((await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })).json.id)
      expect(job).toMatchObject({ status: 'completed', download_failed: 2, download_completed: 0, extract_total: 0 })
      const videos: any[] = (await t.api('GET', `/api/playlists/${add.json.id}`)).json.videos
      expect(videos.map((v) => v.download_state)).toEqual(['failed', 'failed'])
      for (const v of videos) expect(v.error).toContain('private or local address')
      for (const name of ['in-a', 'in-b']) expect(media.requests(name).total).toBe(0)
    } finally {
      await t.close()
    }
  })
})

describe('cross-site requests cannot change state', () => {
  let t: TestContext
  beforeAll(async () => (t = await testContext()))
  afterAll(() => t.close())
  test('a foreign Origin or Sec-Fetch-Site is refused with 403', async () => {
    const a = await t.api('POST', '/api/playlists', { url: 'http://127.0.0.1:9/x' }, { origin: 'https://evil.example' })
    expect(a.status).toBe(403)
    const b = await t.api('POST', '/api/playlists', { url: 'http://127.0.0.1:9/x' }, { 'sec-fetch-site': 'cross-site' })
    expect(b.status).toBe(403)
    // Same origin passes the check (and fails later for its own reasons).
    const c = await t.api('POST', '/api/playlists', { url: 'nope' }, { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' })
    expect(c.status).toBe(422)
    // Behind a reverse proxy that rewrites Host: the browser's Sec-Fetch-Site, or X-Forwarded-Host, vouches for it.
    const proxied = { origin: 'https://yt.example.org', host: '127.0.0.1:8000' }
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, { ...proxied, 'sec-fetch-site': 'same-origin' })).status).toBe(422)
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, { ...proxied, 'x-forwarded-host': 'yt.example.org' })).status).toBe(422)
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, proxied)).status).toBe(403)
  })
  test('no permissive CORS headers', async () => {
    const res = await t.app.handle(new Request('http://localhost/api/playlists', { headers: { origin: 'https://evil.example' } }))
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('AUTH_TOKEN', () => {
  const token = 'correct-horse-battery-staple'
  let t: TestContext
  beforeAll(async () => (t = await testContext({ AUTH_TOKEN: token })))
  afterAll(() => t.close())
  test('the API needs the bearer token', async () => {
    expect((await t.api('GET', '/api/playlists')).status).toBe(401)
    expect((await t.api('GET', '/api/playlists', undefined, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401)
    expect((await t.api('GET', '/api/playlists', undefined, { authorization: `Bearer ${token}` })).status).toBe(200)
  })
  test('pages redirect to a login form that sets a strict HttpOnly cookie', async () => {
    const page = await t.app.handle(new Request('http://localhost/'))
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toBe('/login')
    const bad = await t.app.handle(new Request('http://localhost/login', { method: 'POST', body: new URLSearchParams({ token: 'nope' }) }))
    expect(bad.status).toBe(401)
    const good = await t.app.handle(new Request('http://localhost/login', { method: 'POST', body: new URLSearchParams({ token }) }))
    expect(good.status).toBe(303)
    const cookie = good.headers.get('set-cookie')!
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).not.toContain(token)
    expect(cookie).not.toContain('Secure') // plain http: a Secure cookie would never come back
    const behindTls = await t.app.handle(
      new Request('http://localhost/login', { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: new URLSearchParams({ token }) }),
    )
    expect(behindTls.headers.get('set-cookie')).toContain('Secure')
    const session = cookie.split(';')[0]
    expect((await t.api('GET', '/api/playlists', undefined, { cookie: session })).status).toBe(200)
  })
})

describe('deleting a playlist', () => {
  test('409 while a job is active; files kept unless delete_files=true', async () => {
    const t = await testContext()
    const { startMediaServer } = await import('../fixtures/media-server')
    const media = await startMediaServer({ throttleBytesPerSec: 100_000 })
    try {
      const feed = await media.addFeed('del', { title: 'Del', items: [{ name: 'd1', title: 'd1', seconds: 3 }, { name: 'd2', title: 'd2' }] })
      const add = await t.api('POST', '/api/playlists', { url: feed })
      const job = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
      const busy = await t.api('DELETE', `/api/playlists/${add.json.id}`)
      expect(busy.status).toBe(409)
      expect(busy.json.job_id).toBe(job.json.id)
      media.setThrottle(null)
      await t.manager.waitFor(job.json.id)
      const kept = await t.api('DELETE', `/api/playlists/${add.json.id}`)
      expect(kept.json).toEqual({ deleted: add.json.id, files_deleted: false })
      expect(existsSync(join(t.dataDir, 'Del', 'videos'))).toBe(true)
      expect((await t.api('GET', `/api/playlists/${add.json.id}`)).status).toBe(404)
      // Added again and deleted with its files: the folder goes, nothing outside it.
      const again = await t.api('POST', '/api/playlists', { url: feed })
      expect(again.json.folder).toBe('Del (2)')
      await t.manager.waitFor((await t.api('POST', `/api/playlists/${again.json.id}/jobs`, { type: 'download' })).json.id)
      expect((await t.api('DELETE', `/api/playlists/${again.json.id}?delete_files=true`)).json.files_deleted).toBe(true)
      expect(existsSync(join(t.dataDir, 'Del (2)'))).toBe(false)
      expect(existsSync(join(t.dataDir, 'Del', 'videos'))).toBe(true)
      expect(existsSync(join(t.dataDir, 'yt-serve.db'))).toBe(true)
    } finally {
      await media.stop()
      await t.close()
    }
  })
})
