// The HTTP front door over real HTTP: the Host check that stops DNS rebinding, body limits
// answered by our own JSON error, JSON-only API bodies, and the back-off on wrong tokens
// (per client address: a second loopback source address plays the other client).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../src/config'
import { startServer, type RunningServer } from '../../src/server'
import { testContext } from '../helpers/context'
import { rawRequest } from '../helpers/raw-client'
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process'

async function serve(env: Record<string, string>): Promise<{ server: RunningServer; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-front-'))
  const server = await startServer(
    parseConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ALLOW_PRIVATE_URLS: 'true', YTDLP_AUTO_UPDATE: 'off', ...env }),
    { handleSignals: false },
  )
  return {
    server,
    async close() {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

describe('DNS rebinding: a tokenless server answers only to its own names', () => {
  let s: Awaited<ReturnType<typeof serve>>
  let port: number
  beforeAll(async () => {
    s = await serve({})
    port = s.server.port
  })
  afterAll(() => s.close())
  const send = (host: string, path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), host } })

  test('a foreign Host gets 421 on every route and method; nothing changes', async () => {
    const add = await fetch(`http://127.0.0.1:${port}/api/playlists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'nope' }),
    })
    expect(add.status).toBe(422) // the real name passes the check (and fails on the URL)
    const evil = `evil.example:${port}`
    const list = await send(evil, '/api/playlists')
    expect(list.status).toBe(421)
    expect((await list.json()).error).toContain('evil.example')
    const page = await send(evil, '/')
    expect(page.status).toBe(421)
    expect(page.headers.get('content-type')).toStartWith('text/html')
    expect(await page.text()).toContain('ALLOWED_HOSTS')
    const json = { 'content-type': 'application/json', origin: `http://${evil}` }
    expect((await send(evil, '/api/playlists', { method: 'POST', headers: json, body: JSON.stringify({ url: 'http://127.0.0.1:9/x' }) })).status).toBe(421)
    expect((await send(evil, '/api/playlists/1?delete_files=true', { method: 'DELETE', headers: { origin: `http://${evil}` } })).status).toBe(421)
    expect((await send(evil, '/media/1/audio')).status).toBe(421)
  })
  test('loopback names on our port pass; another port or a look-alike does not', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, 'localhost'])
      expect([host, (await send(host, '/api/playlists')).status]).toEqual([host, 200])
    for (const host of [`localhost:${port + 1}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `[::2]:${port}`])
      expect([host, (await send(host, '/api/playlists')).status]).toEqual([host, 421])
  })
  test('a raw request line by line gets the same answer', async () => {
    const evil = await rawRequest(port, `GET /api/playlists HTTP/1.1\r\nHost: evil.example:${port}`)
    expect(evil.status).toBe(421)
    expect(JSON.parse(evil.body).error).toContain('ALLOWED_HOSTS')
    expect((await rawRequest(port, `GET /api/playlists HTTP/1.1\r\nHost: 127.0.0.1:${port}`)).status).toBe(200)
  })
})

describe('ALLOWED_HOSTS, PUBLIC_URL and a token', () => {
  test('ALLOWED_HOSTS adds names (any port, or the one given); PUBLIC_URL adds its own', async () => {
    await using t = await testContext({ ALLOWED_HOSTS: 'yt.example.org, other.example:9443', PUBLIC_URL: 'https://pub.example.net/' })
    const get = async (host: string) => (await t.api('GET', '/api/playlists', undefined, { host })).status
    expect(await get('yt.example.org')).toBe(200)
    expect(await get('yt.example.org:8443')).toBe(200)
    expect(await get('other.example:9443')).toBe(200)
    expect(await get('other.example:9444')).toBe(421)
    expect(await get('pub.example.net')).toBe(200)
    expect(await get('evil.example')).toBe(421)
  })
  test('X-Forwarded-Host is the Host only with TRUST_PROXY', async () => {
    const plain = await testContext()
    const proxied = await testContext({ TRUST_PROXY: 'true', ALLOWED_HOSTS: 'yt.example.org' })
    try {
      // A spoofed X-Forwarded-Host neither sneaks past nor trips the check without TRUST_PROXY.
      expect((await plain.api('GET', '/api/playlists', undefined, { 'x-forwarded-host': 'evil.example' })).status).toBe(200)
      expect((await proxied.api('GET', '/api/playlists', undefined, { 'x-forwarded-host': 'evil.example' })).status).toBe(421)
      expect((await proxied.api('GET', '/api/playlists', undefined, { 'x-forwarded-host': 'yt.example.org' })).status).toBe(200)
      // Behind the proxy the browser's origin is the forwarded one, scheme included.
      const post = (h: Record<string, string>) =>
        proxied.api('POST', '/api/playlists', { url: 'nope' }, { origin: 'https://yt.example.org', 'x-forwarded-host': 'yt.example.org', ...h })
      expect((await post({ 'x-forwarded-proto': 'https' })).status).toBe(422)
      expect((await post({})).status).toBe(403)
    } finally {
      await plain.close()
      await proxied.close()
    }
  })
  test("with AUTH_TOKEN any Host is served to whoever has the token (today's rules)", async () => {
    await using t = await testContext({ AUTH_TOKEN: 'host-test-token-0123456789' })
    expect((await t.api('GET', '/api/playlists', undefined, { host: 'evil.example', authorization: 'Bearer host-test-token-0123456789' })).status).toBe(200)
    expect((await t.api('GET', '/api/playlists', undefined, { host: 'evil.example' })).status).toBe(401)
  })
})

describe('request bodies', () => {
  let p: ServerProcess
  let port: number
  beforeAll(async () => {
    p = await startServerProcess({ DATA_DIR: mkdtempSync(join(tmpdir(), 'yt-serve-body-')), MAX_BODY_BYTES: '4096' })
    port = Number(new URL(p.url).port)
  })
  afterAll(async () => {
    p.proc.kill('SIGTERM')
    await p.proc.exited
  })

  test('an oversized body gets our JSON 413 from the real server, whatever it declares', async () => {
    for (const size of [5000, 2_000_000]) {
      const res = await fetch(`${p.url}/api/playlists`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: `http://x/${'a'.repeat(size)}` }),
      })
      expect(res.status).toBe(413)
      expect((await res.json()).error).toBe('request body larger than 4096 bytes')
    }
    // Declared but never sent: answered from the headers alone.
    const declared = await rawRequest(
      port,
      `POST /api/playlists HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000000000`,
    )
    expect(declared.status).toBe(413)
    expect(JSON.parse(declared.body).error).toContain('larger than 4096')
    // Pages get the message as HTML.
    const form = await fetch(`${p.url}/playlists`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `url=${'a'.repeat(5000)}`,
    })
    expect([form.status, form.headers.get('content-type')]).toEqual([413, 'text/html; charset=utf-8'])
  })
  test('a chunked body (no Content-Length) gets 411 with a reason, small or large', async () => {
    for (const n of [10, 100_000]) {
      const chunk = JSON.stringify({ url: `http://x/${'a'.repeat(n)}` })
      const res = await rawRequest(
        port,
        `POST /api/playlists HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked`,
        `${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
      )
      expect(res.status).toBe(411)
      expect(JSON.parse(res.body).error).toContain('Content-Length')
    }
    expect((await p.json('GET', '/api/playlists')).json).toEqual([])
  })
  test('API bodies must be JSON: a form body gets 415 and creates nothing; bodyless POSTs still work', async () => {
    const form = await fetch(`${p.url}/api/playlists`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'url=http://127.0.0.1:9/x',
    })
    expect(form.status).toBe(415)
    expect((await form.json()).error).toContain('application/json')
    const text = await fetch(`${p.url}/api/playlists`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"url":"http://127.0.0.1:9/x"}' })
    expect(text.status).toBe(415)
    expect((await p.json('GET', '/api/playlists')).json).toEqual([])
    // The media type is compared, not the whole header.
    const utf8 = await fetch(`${p.url}/api/playlists`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: '{"url":"nope"}',
    })
    expect(utf8.status).toBe(422)
    // No body, no content type needed (fetch sends Content-Length: 0, curl -X POST sends none).
    expect((await fetch(`${p.url}/api/jobs/999/cancel`, { method: 'POST' })).status).toBe(404)
    const bare = await rawRequest(port, `POST /api/jobs/999/cancel HTTP/1.1\r\nHost: 127.0.0.1:${port}`)
    expect(bare.status).toBe(404)
    // The cookies upload is the one API body that is a file, never a form.
    const cookiesForm = await fetch(`${p.url}/api/cookies`, { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' })
    expect(cookiesForm.status).toBe(415)
    expect((await cookiesForm.json()).error).toContain('text/plain')
  })
})

describe('back-off after wrong tokens', () => {
  const TOKEN = 'backoff-test-token-0123456789'
  let s: Awaited<ReturnType<typeof serve>>
  let port: number
  beforeAll(async () => {
    s = await serve({ AUTH_TOKEN: TOKEN })
    port = s.server.port
  })
  afterAll(() => s.close())
  const api = (auth: string, from?: string) => rawRequest(port, `GET /api/playlists HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${auth}`, '', from)

  test('per client address: 429 with Retry-After for the guesser, the owner elsewhere is not locked out', async () => {
    // A session made before the attack keeps working from anywhere.
    const login = await fetch(`${s.server.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TOKEN }), redirect: 'manual' })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await api('Bearer wrong-token-wrong-token', '127.0.0.3')).status)
    // Five free tries, the sixth wrong one sets the first 1 s wait, during which even the right token waits.
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401])
    expect(statuses[6]).toBe(429)
    const locked = await api(`Bearer ${TOKEN}`, '127.0.0.3')
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(JSON.parse(locked.body).error).toContain('try again')
    // Basic (podcast apps) and the login form share the same count.
    expect((await api(`Basic ${btoa(`x:${TOKEN}`)}`, '127.0.0.3')).status).toBe(429)
    const form = await rawRequest(
      port,
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${6 + TOKEN.length}`,
      `token=${TOKEN}`,
      '127.0.0.3',
    )
    expect(form.status).toBe(429)
    expect(form.headers.get('retry-after')).not.toBeNull()
    expect(form.body).toContain('try again')
    // Someone else, at another address, with the right token: straight in.
    expect((await api(`Bearer ${TOKEN}`, '127.0.0.4')).status).toBe(200)
    // And the owner's session cookie is not a guess: it works even from the locked address.
    expect((await rawRequest(port, `GET /api/playlists HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}`, '', '127.0.0.3')).status).toBe(200)
    // Once the wait is over the right token gets in, and that clears the count.
    await waitUntil('the back-off to end', async () => (await api(`Bearer ${TOKEN}`, '127.0.0.3')).status === 200, 10_000)
    expect((await api('Bearer wrong-token-wrong-token', '127.0.0.3')).status).toBe(401)
  })
})
