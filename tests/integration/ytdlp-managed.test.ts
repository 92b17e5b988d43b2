// The managed yt-dlp end to end, through the CLI entry (`bun src/index.ts ytdlp …`) and
// the API: a real release (zipapps of Debian's yt_dlp, stamped with recent versions)
// served on 127.0.0.1, the real yt-dlp it installs downloading from the fixture media server.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listEvents } from '../../src/db/events'
import { writeYtdlpState } from '../../src/db/ytdlp'
import { YtdlpAutoUpdate } from '../../src/ytdlp/auto-update'
import { YtdlpUpdater } from '../../src/ytdlp/updater'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { buildZipapp, startReleaseServer, versionDaysAgo, type ReleaseServer } from '../fixtures/ytdlp-release'
import { testContext, type TestContext } from '../helpers/context'
import { freePort, waitUntil } from '../helpers/server-process'

const ROOT = join(import.meta.dir, '../..')
let work: string
let media: MediaServer
let rel: ReleaseServer
const OLD = versionDaysAgo(200)
const NEW = versionDaysAgo(3)
const NEWER = versionDaysAgo(1)

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'yt-serve-ytdlp-'))
  media = await startMediaServer()
  rel = startReleaseServer()
  const build = join(work, 'build')
  for (const v of [OLD, NEW, NEWER])
    rel.addRelease('yt-dlp', v, { 'yt-dlp': await buildZipapp(build, v), 'yt-dlp_linux': new TextEncoder().encode('not this one') })
  rel.setLatest('yt-dlp', NEW)
  rmSync(build, { recursive: true, force: true })
}, 60_000)

afterAll(async () => {
  rel?.stop()
  await media?.stop()
  rmSync(work, { recursive: true, force: true })
})

/** The newer yt-dlp is a 2023 yt-dlp inside: no JS runtime flags for it in these tests. */
const BASE_ENV = { JS_RUNTIME: 'none', REMOTE_COMPONENTS: '', YTDLP_AUTO_UPDATE: 'off' }

async function yt(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn(['bun', join(ROOT, 'src/index.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, YTDLP_RELEASES_URL: rel.releasesUrl, ...BASE_ENV, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { code, stdout, stderr }
}

const status = async (dataDir: string) => JSON.parse((await yt(dataDir, ['ytdlp', 'status', '--json'])).stdout)
const binFiles = (dataDir: string) => (existsSync(join(dataDir, 'bin')) ? readdirSync(join(dataDir, 'bin')).sort() : [])

describe('yt-serve ytdlp', () => {
  let t: TestContext
  beforeAll(async () => {
    t = await testContext({ ...BASE_ENV, YTDLP_RELEASES_URL: rel.releasesUrl })
  })
  afterAll(() => t.close())

  test('offline: refused with a clear message, the system yt-dlp stays', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/yt-dlp/yt-dlp/releases`
    const r = await yt(t.dataDir, ['ytdlp', 'update'], { YTDLP_RELEASES_URL: closed })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /^yt-serve: cannot reach http:\/\/127\.0\.0\.1:\d+\/yt-dlp\/yt-dlp\/releases\/latest\/download\/SHA2-256SUMS: .* \(is this machine online\?\)$/m,
    )
    const s = await status(t.dataDir)
    expect(s.in_use).toMatchObject({ path: 'yt-dlp', source: 'system', version: '2023.03.04', stale: true })
    expect(s.managed.error).toContain('cannot reach')
    expect(binFiles(t.dataDir)).toEqual([])
    // Nothing to roll back to: a 4xx JSON error, and a readable CLI message.
    const api = await t.api('POST', '/api/ytdlp/rollback')
    expect(api).toEqual({ status: 409, json: { error: 'there is no previous yt-dlp to roll back to' } })
    const cli = await yt(t.dataDir, ['ytdlp', 'rollback'])
    expect(cli.code).toBe(2)
    expect(cli.stderr).toStartWith('yt-serve: there is no previous yt-dlp to roll back to\n')
  })

  test('update: verified, installed, switched by rename, and used by the next job', async () => {
    const before = rel.requests.length
    const r = await yt(t.dataDir, ['ytdlp', 'update'])
    expect(r.stdout).toBe(`yt-dlp ${NEW} installed\n`)
    expect(r.code).toBe(0)
    // The checksum list and the file of the same release, through the latest/ redirect.
    expect(rel.requests.slice(before)).toEqual([
      '/yt-dlp/yt-dlp/releases/latest/download/SHA2-256SUMS',
      `/yt-dlp/yt-dlp/releases/download/${NEW}/SHA2-256SUMS`,
      '/yt-dlp/yt-dlp/releases/latest/download/yt-dlp',
      `/yt-dlp/yt-dlp/releases/download/${NEW}/yt-dlp`,
    ])
    expect(binFiles(t.dataDir)).toEqual(['yt-dlp', `yt-dlp-${NEW}`])
    expect(readlinkSync(join(t.dataDir, 'bin', 'yt-dlp'))).toBe(`yt-dlp-${NEW}`)
    const s = await status(t.dataDir)
    expect(s.in_use).toMatchObject({ path: join(t.dataDir, 'bin', `yt-dlp-${NEW}`), source: 'managed', version: NEW, stale: false })
    expect(s.managed).toMatchObject({ version: NEW, asset: 'yt-dlp', channel: 'stable', error: null, previous_version: null })

    const feed = await media.addFeed('managed', { title: 'Managed', items: [{ name: 'mg1', title: 'one' }] })
    const add = await t.addPlaylist(feed)
    const job = await t.startJob(add.id, 'download')
    expect(await t.manager.waitFor(job.id)).toMatchObject({ status: 'completed', download_completed: 1 })
    expect(media.requests('mg1').total).toBeGreaterThanOrEqual(1)
    const events = (await listEvents(t.ctx.db, job.id)).map((e) => e.message)
    expect(events).toContain(`downloading with yt-dlp ${NEW} at ${join(t.dataDir, 'bin', `yt-dlp-${NEW}`)} (managed)`)
    const health = await t.api('GET', '/api/health')
    expect(health.json).toMatchObject({ ytdlp: { version: NEW, source: 'managed' }, ytdlp_stale: false })
  })

  test('up to date: only the checksum list is fetched', async () => {
    const before = rel.requests.length
    const r = await yt(t.dataDir, ['ytdlp', 'update'])
    expect(r).toMatchObject({ code: 0, stdout: `yt-dlp ${NEW} is up to date\n` })
    expect(rel.requests.slice(before).every((p) => p.endsWith('/SHA2-256SUMS'))).toBe(true)
  })

  test('tampered, truncated, 404: refused, the installed one kept, nothing left behind', async () => {
    rel.setLatest('yt-dlp', NEWER)
    const cases = [
      ['tampered', new RegExp(`^yt-serve: checksum mismatch for yt-dlp: SHA2-256SUMS says [0-9a-f]{64}, the download is [0-9a-f]{64}; it was discarded$`, 'm')],
      ['truncated', /^yt-serve: the download of yt-dlp (is truncated: \d+ of \d+ bytes|broke off after \d+ bytes: .*)$/m],
      [
        'missing',
        new RegExp(
          `^yt-serve: http://127\\.0\\.0\\.1:\\d+/yt-dlp/yt-dlp/releases/latest/download/yt-dlp answered HTTP 404 \\(no such release or file: check YTDLP_CHANNEL and YTDLP_ASSET\\)$`,
          'm',
        ),
      ],
    ] as const
    try {
      for (const [fault, message] of cases) {
        rel.setFault(fault)
        const r = await yt(t.dataDir, ['ytdlp', 'update'])
        expect(r.code).toBe(1)
        expect(r.stderr).toMatch(message)
        expect(binFiles(t.dataDir)).toEqual(['yt-dlp', `yt-dlp-${NEW}`])
        const s = await status(t.dataDir)
        expect(s.in_use).toMatchObject({ version: NEW, source: 'managed' })
        expect(s.managed.error).toBe(r.stderr.split('\n')[0].replace('yt-serve: ', ''))
      }
    } finally {
      rel.setFault('none')
    }
    const r = await yt(t.dataDir, ['ytdlp', 'update'])
    expect(r).toMatchObject({ code: 0, stdout: `yt-dlp ${NEWER} installed (${NEW} kept for rollback)\n` })
    expect((await status(t.dataDir)).managed).toMatchObject({ version: NEWER, previous_version: NEW, error: null })
  })

  test('rollback restores the previous version; API and CLI agree', async () => {
    const r = await yt(t.dataDir, ['ytdlp', 'rollback', '--json'])
    expect(r.code).toBe(0)
    const s = JSON.parse(r.stdout)
    expect(s.in_use).toMatchObject({ version: NEW, source: 'managed' })
    expect(s.managed).toMatchObject({ version: NEW, previous_version: NEWER })
    expect(readlinkSync(join(t.dataDir, 'bin', 'yt-dlp'))).toBe(`yt-dlp-${NEW}`)
    const api = await t.api('POST', '/api/ytdlp/rollback')
    expect(api.status).toBe(200)
    expect(api.json.in_use).toMatchObject({ version: NEWER })
  })

  test('pin: YTDLP_CHANNEL=<tag> installs that release; doctor fails on it when stale, passes after update', async () => {
    const pinned = await yt(t.dataDir, ['ytdlp', 'update'], { YTDLP_CHANNEL: OLD })
    expect(pinned).toMatchObject({ code: 0, stdout: `yt-dlp ${OLD} installed (${NEWER} kept for rollback)\n` })
    expect(binFiles(t.dataDir)).toEqual(['yt-dlp', `yt-dlp-${NEWER}`, `yt-dlp-${OLD}`].sort())
    const stale = await yt(t.dataDir, ['doctor'])
    expect(stale.code).toBe(1)
    expect(stale.stdout).toMatch(
      new RegExp(
        `^✗ yt-dlp: ${OLD.replaceAll('.', '\\.')} \\(.*bin/yt-dlp-${OLD}; the managed yt-dlp in .*\\) was released 200 days ago \\(more than 90\\): sites such as YouTube break old versions$`,
        'm',
      ),
    )
    expect(stale.stdout).toContain('    fix: yt-serve ytdlp update')
    expect(stale.stdout).toMatch(/^✓ js runtime: JS_RUNTIME=none/m)
    const health = await t.api('GET', '/api/ytdlp')
    expect(health.json.in_use).toMatchObject({ version: OLD, stale: true, age_days: 200 })

    expect((await yt(t.dataDir, ['ytdlp', 'update'])).code).toBe(0)
    const fresh = await yt(t.dataDir, ['doctor'])
    expect(fresh.stdout).toMatch(new RegExp(`^✓ yt-dlp: ${NEWER.replaceAll('.', '\\.')} \\(`, 'm'))
    expect(fresh.code).toBe(0)
  })

  test('use-system: the yt-dlp on the PATH runs again, and says why', async () => {
    expect((await t.api('GET', '/api/health')).json.ytdlp.source).toBe('managed')
    const r = await yt(t.dataDir, ['ytdlp', 'use-system'])
    expect(r.code).toBe(0)
    const s = await status(t.dataDir)
    expect(s.in_use).toMatchObject({ path: 'yt-dlp', source: 'system', why: 'chosen with "yt-serve ytdlp use-system"', version: '2023.03.04' })
    // /api/health caches tool versions for a minute, but not across a switch.
    expect((await t.api('GET', '/api/health')).json).toMatchObject({ ytdlp: { path: 'yt-dlp', source: 'system', version: '2023.03.04' }, ytdlp_stale: true })
    // YTDLP_PATH set by the user wins over everything.
    const env = await yt(t.dataDir, ['ytdlp', 'status', '--json'], { YTDLP_PATH: '/usr/bin/yt-dlp' })
    expect(JSON.parse(env.stdout).in_use).toMatchObject({ path: '/usr/bin/yt-dlp', source: 'YTDLP_PATH', why: 'YTDLP_PATH is set' })
    const back = await yt(t.dataDir, ['ytdlp', 'update'])
    expect(back.code).toBe(0)
    expect((await status(t.dataDir)).in_use).toMatchObject({ source: 'managed', version: NEWER })
  })

  test('nightly: the same layout in the yt-dlp-nightly-builds repository', async () => {
    rel.addRelease('yt-dlp-nightly-builds', `${NEWER}.120000`, { 'yt-dlp': await Bun.file(join(t.dataDir, 'bin', `yt-dlp-${NEWER}`)).bytes() })
    rel.setLatest('yt-dlp-nightly-builds', `${NEWER}.120000`)
    const before = rel.requests.length
    // The nightly's file is the one installed: its checksum says so, no download needed.
    const r = await yt(t.dataDir, ['ytdlp', 'update'], { YTDLP_CHANNEL: 'nightly' })
    expect(r).toMatchObject({ code: 0, stdout: `yt-dlp ${NEWER} is up to date\n` })
    expect(rel.requests.slice(before)).toEqual([
      '/yt-dlp/yt-dlp-nightly-builds/releases/latest/download/SHA2-256SUMS',
      `/yt-dlp/yt-dlp-nightly-builds/releases/download/${NEWER}.120000/SHA2-256SUMS`,
    ])
  })
})

test('no switch while a chunk runs: the update waits for it, the next job uses the new one', async () => {
  rel.setLatest('yt-dlp', NEW)
  const t = await testContext({ ...BASE_ENV, YTDLP_RELEASES_URL: rel.releasesUrl })
  // Slow enough that the chunk cannot end before the update is ready to switch; lifted below.
  media.setThrottle(5_000)
  try {
    const feed = await media.addFeed('during', {
      title: 'During',
      items: [
        { name: 'du1', seconds: 6 },
        { name: 'du2', seconds: 2 },
      ],
    })
    const add = await t.addPlaylist(feed)
    const job = await t.startJob(add.id, 'download')
    await waitUntil('a download in flight', async () => (await t.manager.get(job.id)).current.some((c) => c.phase === 'download'))
    const started = await t.api('POST', '/api/ytdlp/update')
    expect(started.status).toBe(202)
    const waiting = await waitUntil('the switch to wait', async () => {
      const s = (await t.api('GET', '/api/ytdlp')).json
      return s.updating?.phase === 'waiting' ? s : undefined
    })
    expect(waiting.updating.note).toBe('waiting for 1 running yt-dlp to finish its chunk')
    // Downloaded and tested, but not switched: the chunk still runs the system yt-dlp.
    expect(waiting.in_use).toMatchObject({ source: 'system' })
    expect(existsSync(join(t.dataDir, 'bin', 'yt-dlp'))).toBe(false)
    expect((await t.manager.get(job.id)).status).toBe('running')
    media.setThrottle(null)
    const done = await t.manager.waitFor(job.id)
    expect(done).toMatchObject({ status: 'completed', download_completed: 2 })
    const after = await waitUntil('the switch', async () => {
      const s = (await t.api('GET', '/api/ytdlp')).json
      return s.updating === null && s.in_use.source === 'managed' ? s : undefined
    })
    expect(after.in_use.version).toBe(NEW)
    await media.addFeed('during', { title: 'During', items: [{ name: 'du1', seconds: 6 }, { name: 'du2', seconds: 2 }, { name: 'du3' }] })
    const next = await t.startJob(add.id, 'download')
    expect(await t.manager.waitFor(next.id)).toMatchObject({ status: 'completed', download_completed: 1 })
    expect(media.requests('du3').total).toBeGreaterThanOrEqual(1)
    expect((await listEvents(t.ctx.db, next.id)).map((e) => e.message)).toContain(
      `downloading with yt-dlp ${NEW} at ${join(t.dataDir, 'bin', `yt-dlp-${NEW}`)} (managed)`,
    )
  } finally {
    media.setThrottle(null)
    await t.close()
  }
})

test('auto-update: due a day after the last check (fake clock), never fatal offline, off when told', async () => {
  rel.setLatest('yt-dlp', NEW)
  await using t = await testContext({ ...BASE_ENV, YTDLP_RELEASES_URL: rel.releasesUrl })
  let clock = Date.now()
  const logs: string[] = []
  const ctx = { ...t.ctx, config: { ...t.ctx.config, ytdlpAutoUpdate: 'daily' as const }, log: (m: string) => logs.push(m) }
  const auto = new YtdlpAutoUpdate(ctx, t.manager.ytdlp, () => clock)
  expect(await auto.tick()).toBe('installed')
  expect(await auto.tick()).toBe('not due')
  clock += 23 * 3600_000
  expect(await auto.tick()).toBe('not due')
  clock += 2 * 3600_000
  expect(await auto.tick()).toBe('up-to-date')
  // Offline: logged, the installed one stays.
  const offlineCtx = { ...ctx, config: { ...ctx.config, ytdlpReleasesUrl: `http://127.0.0.1:${await freePort()}/x` } }
  const offlineAuto = new YtdlpAutoUpdate(offlineCtx, new YtdlpUpdater(offlineCtx), () => clock + 2 * 86_400_000)
  expect(await offlineAuto.tick()).toBe('failed')
  expect(logs.at(-1)).toMatch(/^yt-dlp auto-update failed, keeping the yt-dlp in use: cannot reach /)
  expect((await t.api('GET', '/api/ytdlp')).json.in_use).toMatchObject({ source: 'managed', version: NEW })
  const off = new YtdlpAutoUpdate({ ...ctx, config: { ...ctx.config, ytdlpAutoUpdate: 'off' } }, t.manager.ytdlp, () => clock + 30 * 86_400_000)
  expect(await off.tick()).toBe('off')
  await writeYtdlpState(t.ctx.db, { source: 'system' })
  expect(await auto.tick()).toBe('skipped')
})

test('a release host that accepts and never answers: refused after the silence timeout, nothing changed', async () => {
  const silent = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const t = await testContext({ ...BASE_ENV, YTDLP_RELEASES_URL: `http://127.0.0.1:${silent.port}/yt-dlp/yt-dlp/releases` })
  try {
    const updater = new YtdlpUpdater(t.ctx, { fetchTimeoutMs: 1000 })
    await expect(updater.update()).rejects.toThrow(
      `cannot reach http://127.0.0.1:${silent.port}/yt-dlp/yt-dlp/releases/latest/download/SHA2-256SUMS: no answer within 1 s (is this machine online?)`,
    )
    expect((await updater.status()).in_use).toMatchObject({ source: 'system', path: 'yt-dlp' })
  } finally {
    silent.stop(true)
    await t.close()
  }
})
