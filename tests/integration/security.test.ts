import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, rmSync } from 'node:fs'
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
    await using t = await testContext({ ALLOW_PRIVATE_URLS: 'false' })
    for (const url of ['http://127.0.0.1:9/feed', 'http://169.254.169.254/latest/meta-data/', 'http://localhost/x', 'http://[::1]/x', 'http://10.0.0.1/x']) {
      const res = await t.api('POST', '/api/playlists', { url })
      expect(res.status).toBe(422)
      expect(res.json.error).toContain('ALLOW_PRIVATE_URLS')
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
    await using t = await testContext({ ALLOW_PRIVATE_URLS: 'false' })
    // A feed on a public host (127.0.0.2 plays one) listing entries that point inside.
    t.ctx.urlGuard = { isPrivate: (ip) => ip !== '127.0.0.2' && isPrivateAddress(ip) }
    await media.addItem({ name: 'in-a' })
    await media.addItem({ name: 'in-b' })
    const items = ['in-a', 'in-b'].map((name) => ({ name: `${name}-entry`, title: name.slice(-1), enclosureUrl: media.mediaUrl(name) }))
    const feed = await outside.addFeed('inward', { title: 'Inward', items })
    const add = await t.addPlaylist(feed)
    media.resetCounts()
    const job = await t.runJob(add.id, 'both')
    expect(job).toMatchObject({ status: 'completed', download_failed: 2, download_completed: 0, extract_total: 0 })
    const videos: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    expect(videos.map((v) => v.download_state)).toEqual(['failed', 'failed'])
    for (const v of videos) expect(v.error).toContain('private or local address')
    for (const name of ['in-a', 'in-b']) expect(media.requests(name).total).toBe(0)
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
    // Behind a reverse proxy that rewrites Host: the browser's Sec-Fetch-Site vouches for it.
    const proxied = { origin: 'https://yt.example.org', host: '127.0.0.1:8000' }
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, { ...proxied, 'sec-fetch-site': 'same-origin' })).status).toBe(422)
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, proxied)).status).toBe(403)
    // X-Forwarded-* are anyone's to send: without TRUST_PROXY they vouch for nothing.
    const forwarded = { ...proxied, 'x-forwarded-host': 'yt.example.org', 'x-forwarded-proto': 'https' }
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, forwarded)).status).toBe(403)
  })
  test('the whole origin must match: another port or scheme on the same host is another site', async () => {
    const sameHost = { host: 'localhost:8000' }
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, { ...sameHost, origin: 'http://localhost:8000' })).status).toBe(422)
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, { ...sameHost, origin: 'http://localhost:8001' })).status).toBe(403)
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, { ...sameHost, origin: 'https://localhost:8000' })).status).toBe(403)
    expect((await t.api('POST', '/api/playlists', { url: 'nope' }, { ...sameHost, origin: 'null' })).status).toBe(403)
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
    // X-Forwarded-Proto is believed only with TRUST_PROXY (see "behind a trusted proxy").
    const spoofed = await t.app.handle(
      new Request('http://localhost/login', { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: new URLSearchParams({ token }) }),
    )
    expect(spoofed.headers.get('set-cookie')).not.toContain('Secure')
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
      const feed = await media.addFeed('del', {
        title: 'Del',
        items: [
          { name: 'd1', title: 'd1', seconds: 3 },
          { name: 'd2', title: 'd2' },
        ],
      })
      const add = await t.addPlaylist(feed)
      const job = await t.startJob(add.id, 'download')
      const busy = await t.api('DELETE', `/api/playlists/${add.id}`)
      expect(busy.status).toBe(409)
      expect(busy.json.job_id).toBe(job.id)
      media.setThrottle(null)
      await t.manager.waitFor(job.id)
      const kept = await t.api('DELETE', `/api/playlists/${add.id}`)
      expect(kept.json).toEqual({ deleted: add.id, files_deleted: false })
      expect(existsSync(join(t.dataDir, 'Del', 'videos'))).toBe(true)
      expect((await t.api('GET', `/api/playlists/${add.id}`)).status).toBe(404)
      // Added again and deleted with its files: the folder goes, nothing outside it.
      const again = await t.addPlaylist(feed)
      expect(again.folder).toBe('Del (2)')
      await t.runJob(again.id, 'download')
      expect((await t.api('DELETE', `/api/playlists/${again.id}?delete_files=true`)).json.files_deleted).toBe(true)
      expect(existsSync(join(t.dataDir, 'Del (2)'))).toBe(false)
      expect(existsSync(join(t.dataDir, 'Del', 'videos'))).toBe(true)
      expect(existsSync(join(t.dataDir, 'yt-serve.db'))).toBe(true)
    } finally {
      await media.stop()
      await t.close()
    }
  })
})

describe('behind a trusted proxy', () => {
  test('TRUST_PROXY: X-Forwarded-Proto https makes the cookie Secure; X-Forwarded-For tells clients apart', async () => {
    const token = 'proxy-test-token-0123456789'
    await using t = await testContext({ AUTH_TOKEN: token, TRUST_PROXY: 'true' })
    const tls = await t.app.handle(
      new Request('http://localhost/login', { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: new URLSearchParams({ token }) }),
    )
    expect(tls.headers.get('set-cookie')).toContain('Secure')
    const bearer = (auth: string, ip: string) =>
      t.api('GET', '/api/playlists', undefined, { authorization: `Bearer ${auth}`, 'x-forwarded-for': `6.6.6.6, ${ip}` })
    for (let i = 0; i < 7; i++) await bearer('wrong-token-wrong-token', '203.0.113.9')
    expect((await bearer(token, '203.0.113.9')).status).toBe(429)
    // The spoofable first entry is not the key: only what our proxy appended counts.
    expect((await bearer(token, '198.51.100.7')).status).toBe(200)
  })
})

describe('login sessions', () => {
  const token = 'session-test-token-0123456789'
  let t: TestContext
  beforeAll(async () => (t = await testContext({ AUTH_TOKEN: token, SESSION_DAYS: '2' })))
  afterAll(() => t.close())
  const login = async (app = t.app) => {
    const res = await app.handle(new Request('http://localhost/login', { method: 'POST', body: new URLSearchParams({ token }) }))
    expect(res.status).toBe(303)
    return res.headers.get('set-cookie')!
  }
  const get = async (cookie: string, app = t.app) => (await app.handle(new Request('http://localhost/api/playlists', { headers: { cookie } }))).status

  test('each login gets its own random id, with the configured lifetime; a forged one is nothing', async () => {
    const [a, b] = [await login(), await login()]
    expect(a.split(';')[0]).not.toBe(b.split(';')[0])
    expect(a).toContain(`Max-Age=${2 * 86_400}`)
    expect([await get(a.split(';')[0]), await get(b.split(';')[0])]).toEqual([200, 200])
    // The old scheme's value, derived from the token, no longer opens anything.
    const derived = new Bun.CryptoHasher('sha256').update(`yt-serve-session:${token}`).digest('hex')
    expect(await get(`yt_serve_session=${derived}`)).toBe(401)
    expect(await get('yt_serve_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe(401)
  })
  test('a session ends when it expires', async () => {
    const cookie = (await login()).split(';')[0]
    expect(await get(cookie)).toBe(200)
    await t.ctx.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute()
    expect(await get(cookie)).toBe(401)
  })
  test('sign out: a POST from the page ends the session server-side; cross-site it is refused', async () => {
    const cookie = (await login()).split(';')[0]
    const page = await t.app.handle(new Request('http://localhost/', { headers: { cookie } }))
    expect(await page.text()).toContain('<form class="sign-out" method="post" action="/logout">')
    const foreign = await t.app.handle(new Request('http://localhost/logout', { method: 'POST', headers: { cookie, origin: 'https://evil.example' } }))
    expect(foreign.status).toBe(403)
    expect(await get(cookie)).toBe(200)
    const out = await t.app.handle(
      new Request('http://localhost/logout', { method: 'POST', headers: { cookie, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' } }),
    )
    expect([out.status, out.headers.get('location')]).toEqual([303, '/login'])
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    // The browser forgets the cookie; a copy kept elsewhere is dead too.
    expect(await get(cookie)).toBe(401)
  })
  test('a new AUTH_TOKEN revokes every session made under the old one', async () => {
    const cookie = (await login()).split(';')[0]
    const { createApp } = await import('../../src/app')
    const rotated = createApp({ ctx: { ...t.ctx, config: { ...t.ctx.config, authToken: 'a-brand-new-token-0123456789' } }, manager: t.manager })
    expect(await get(cookie, rotated)).toBe(401)
    // Revoked for good: going back to the old token does not bring it back.
    expect(await get(cookie)).toBe(401)
  })
  test('the sessions table holds hashes, never the cookie or the token', async () => {
    const cookie = (await login()).split(';')[0].split('=')[1]
    const rows = await t.ctx.db.selectFrom('sessions').selectAll().execute()
    const dump = JSON.stringify(rows)
    expect(dump).not.toContain(cookie)
    expect(dump).not.toContain(token)
  })
})
