// DNS rebinding in a real browser: Chromium resolves evil.example to 127.0.0.1 (as a rebinding
// DNS server would after the page has loaded), so a page "from" evil.example is same-origin
// with whatever listens there. Only the Host check stands between it and a tokenless server.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { parseConfig } from '../../src/config'
import { startServer, type RunningServer } from '../../src/server'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'

let media: MediaServer
let server: RunningServer
let dataDir: string
let profileDir: string
let context: BrowserContext

beforeAll(async () => {
  media = await startMediaServer()
  dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-rebind-'))
  profileDir = mkdtempSync(join(tmpdir(), 'yt-serve-rebind-profile-'))
  server = await startServer(parseConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ALLOW_PRIVATE_URLS: 'true', YTDLP_AUTO_UPDATE: 'off' }), {
    handleSignals: false,
  })
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    // Only this one name is mapped, and only to loopback: no lookup or request leaves the machine.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--host-resolver-rules=MAP evil.example 127.0.0.1',
    ],
  })
})

afterAll(async () => {
  await context?.close()
  await server?.stop()
  await media?.stop()
  for (const d of [dataDir, profileDir]) if (d) rmSync(d, { recursive: true, force: true })
})

test('a page on a rebound name can neither read, add nor delete; the real name still works', async () => {
  const feed = await media.addFeed('rebind', { title: 'Rebind', items: [{ name: 'r1', title: 'r1' }] })
  const add = await fetch(`${server.url}/api/playlists`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: feed }),
  })
  const playlist = await add.json()
  expect(add.status).toBe(201)
  mkdirSync(join(dataDir, playlist.folder), { recursive: true })
  const kept = join(dataDir, playlist.folder, 'keep.txt')
  writeFileSync(kept, 'mine')

  const page = await context.newPage()
  const nav = await page.goto(`http://evil.example:${server.port}/`)
  expect(nav!.status()).toBe(421)
  expect(await page.textContent('body')).toContain('does not answer to the host name "evil.example')
  // The attacker's script, running in that page: same origin, so the browser lets it try.
  const statuses = await page.evaluate(async (id) => {
    const json = { 'content-type': 'application/json' }
    const read = await fetch('/api/playlists')
    const create = await fetch('/api/playlists', { method: 'POST', headers: json, body: JSON.stringify({ url: 'http://127.0.0.1:9/x' }) })
    const remove = await fetch(`/api/playlists/${id}?delete_files=true`, { method: 'DELETE' })
    return { read: read.status, body: await read.text(), create: create.status, remove: remove.status }
  }, playlist.id)
  expect(statuses).toMatchObject({ read: 421, create: 421, remove: 421 })
  expect(statuses.body).not.toContain('Rebind')
  expect(existsSync(kept)).toBe(true)
  const after = await (await fetch(`${server.url}/api/playlists`)).json()
  expect(after.map((p: { id: number }) => p.id)).toEqual([playlist.id])

  // The same browser on the server's own name is served as ever.
  const own = await page.goto(`${server.url}/`)
  expect(own!.status()).toBe(200)
  expect(await page.textContent('body')).toContain('Rebind')
  await page.close()
}, 60_000)
