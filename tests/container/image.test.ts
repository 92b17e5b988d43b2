// The container image as self-hosters run it: built from this checkout on a Debian base made
// here, started with the compose defaults, a real "both" job against the fixture media server
// on the host's loopback (host network), and a SIGTERM restart. Minutes long, so `bun run test`
// skips it and .ci/run runs it as its own step (CONTAINER_TESTS=1), counted in the total.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { buildZipapp, startReleaseServer, versionDaysAgo, type ReleaseServer } from '../fixtures/ytdlp-release'
import { cluster as postgresCluster, postgresMissing } from '../helpers/postgres-cluster'
import { freePort, waitUntil } from '../helpers/server-process'
import { BASE_IMAGE, canRunContainers, ensureBaseImage, must, podman, podmanCmd, podmanRun, sh } from './podman'

const repo = join(import.meta.dir, '..', '..')
const IMAGE = 'localhost/yt-serve:test'
const TOKEN = 'container-test-token-0123456789'
const UID = 1000
const enabled = process.env.CONTAINER_TESTS === '1'

let work: string
let media: MediaServer
let rel: ReleaseServer
const containers: string[] = []
const measured: Record<string, string> = {}
let firstBase = ''

/** The container's log, for a failure message. */
async function logsOf(name: string): Promise<string> {
  const r = await sh(podman('logs', name))
  return `${r.stdout}${r.stderr}`.slice(-4000)
}

/** waitUntil on a job, failing with the job and the container's log instead of a bare timeout. */
async function jobUntil(base: string, name: string, jobId: number, what: string, ok: (j: any) => boolean, timeoutMs = 180_000) {
  let last: unknown = null
  try {
    return await waitUntil(
      what,
      async () => {
        const j = (await api(base, 'GET', `/api/jobs/${jobId}`)).json
        last = j
        return ok(j) ? j : undefined
      },
      timeoutMs,
    )
  } catch (err) {
    throw new Error(`${err}\nlast job: ${JSON.stringify(last)}\n${name} log:\n${await logsOf(name)}`)
  }
}

async function startContainer(name: string, dataDir: string, port: number, extra: string[] = [], args: string[] = []): Promise<string> {
  containers.push(name)
  // The image's own CMD (serve --host 0.0.0.0): the token is what lets it listen there.
  await must(
    podmanRun(
      '-d',
      '--name',
      name,
      '--network',
      'host',
      '-v',
      `${dataDir}:/data`,
      '-e',
      `AUTH_TOKEN=${TOKEN}`,
      '-e',
      `PORT=${port}`,
      '-e',
      `YTDLP_RELEASES_URL=${rel.releasesUrl}`,
      // The fixture lives on loopback, which yt-serve refuses by default (SSRF).
      // The test release is Debian's 2023 yt-dlp stamped with a new version: no JS runtime flags.
      '-e',
      'JS_RUNTIME=none',
      '-e',
      'REMOTE_COMPONENTS=',
      '-e',
      'ALLOW_PRIVATE_URLS=true',
      '-e',
      'SOCKET_TIMEOUT=5',
      '-e',
      'EXTRACT_CONCURRENCY=1',
      ...extra,
      IMAGE,
      ...args,
    ),
  )
  return `http://127.0.0.1:${port}`
}

async function api(base: string, method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  let json: any = text
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: res.status, json }
}

async function healthy(base: string, name: string, timeoutMs = 180_000): Promise<void> {
  await waitUntil(
    `${name} to answer /api/health with 200`,
    async () => {
      const state = (await sh(podman('inspect', name, '--format', '{{.State.Status}}'))).stdout.trim()
      if (state === 'exited') throw new Error(`${name} exited:\n${(await sh(podman('logs', name))).stderr.slice(-3000)}`)
      try {
        return (await api(base, 'GET', '/api/health')).status === 200
      } catch {
        return false
      }
    },
    timeoutMs,
  )
}

function dataDirFor(name: string): string {
  const d = join(work, name)
  mkdirSync(d)
  // As compose's docs say: the mounted ./data belongs to the image's user.
  chownSync(d, UID, UID)
  return d
}

const finished = (base: string, name: string, jobId: number) =>
  jobUntil(base, name, jobId, `job ${jobId} to finish`, (j) => ['completed', 'failed', 'cancelled', 'interrupted'].includes(j.status))

describe.skipIf(!enabled)('the container image', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'yt-serve-container-'))
    let t = performance.now()
    await ensureBaseImage()
    const cannot = await canRunContainers()
    if (cannot) throw new Error(`podman cannot run a container on this machine: ${cannot}`)
    measured.base = `${Math.round((performance.now() - t) / 1000)} s`
    t = performance.now()
    await must(['bun', 'run', 'build'], { cwd: repo })
    // --format docker: OCI image configs have no HEALTHCHECK, and podman would drop it.
    await must(podman('build', '--format', 'docker', '--isolation=chroot', '--build-arg', `BASE=${BASE_IMAGE}`, '-t', IMAGE, '-f', 'Containerfile', '.'), {
      cwd: repo,
      timeoutMs: 1_200_000,
    })
    measured.build = `${Math.round((performance.now() - t) / 1000)} s`
    media = await startMediaServer()
    rel = startReleaseServer()
    const v = versionDaysAgo(2)
    rel.addRelease('yt-dlp', v, { 'yt-dlp': await buildZipapp(join(work, 'zipapp'), v) })
    rel.setLatest('yt-dlp', v)
  }, 1_500_000)

  afterAll(async () => {
    for (const c of containers) await sh(podman('rm', '-f', '-t', '0', c))
    await media?.stop()
    rel?.stop()
    if (work) rmSync(work, { recursive: true, force: true })
    console.log(`container measurements: ${JSON.stringify(measured)}`)
  })

  test('the image is small, runs as uid 1000, fetches its own yt-dlp, and wants the token', async () => {
    const size = Number((await must(podman('image', 'inspect', IMAGE, '--format', '{{.Size}}'))).trim())
    const base = Number((await must(podman('image', 'inspect', BASE_IMAGE, '--format', '{{.Size}}'))).trim())
    measured.image = `${(size / 1e6).toFixed(0)} MB (base ${(base / 1e6).toFixed(0)} MB)`
    // The first image built here without care weighed ~1 GB.
    expect(size).toBeLessThan(600e6)

    const dataDir = dataDirFor('first')
    const port = await freePort()
    const t = performance.now()
    const base_ = await startContainer('yt-serve-test-first', dataDir, port)
    await healthy(base_, 'yt-serve-test-first')
    firstBase = base_
    measured.first_start = `${((performance.now() - t) / 1000).toFixed(1)} s (includes installing yt-dlp)`

    expect((await must(podmanCmd('exec', 'yt-serve-test-first', 'id', '-u'))).trim()).toBe(String(UID))
    const health = await api(base_, 'GET', '/api/health')
    expect(health.json.ytdlp.source).toBe('managed')
    expect((await api(base_, 'GET', '/api/health', undefined, null)).status).toBe(401)
    // The image's HEALTHCHECK: the binary asks the server with the token from its environment.
    expect((await sh(podmanCmd('healthcheck', 'run', 'yt-serve-test-first'))).code).toBe(0)
    expect(statSync(join(dataDir, 'yt-serve.db')).uid).toBe(UID)
    expect(readdirSync(join(dataDir, 'bin')).some((n) => n.startsWith('yt-dlp-'))).toBe(true)
  }, 300_000)

  test('a "both" job writes audio into the mounted volume, owned by the image user', async () => {
    const base = firstBase
    expect(base).not.toBe('')
    const feed = await media.addFeed('boxed', { title: 'Boxed', items: ['b1', 'b2', 'b3'].map((name) => ({ name, title: name, seconds: 2 })) })
    const added = await api(base, 'POST', '/api/playlists', { url: feed })
    expect(added).toMatchObject({ status: 201 })
    const job = await api(base, 'POST', `/api/playlists/${added.json.id}/jobs`, { type: 'both' })
    expect(job.status).toBe(202)
    const done = await finished(base, 'yt-serve-test-first', job.json.id)
    expect(done).toMatchObject({ status: 'completed', download_completed: 3, extract_completed: 3 })
    const audio = join(work, 'first', 'Boxed', 'audio')
    const files = readdirSync(audio).sort()
    expect(files).toEqual(['001 - b1.mp3', '002 - b2.mp3', '003 - b3.mp3'])
    for (const f of files) expect(statSync(join(audio, f)).uid).toBe(UID)
  }, 300_000)

  test('SIGTERM leaves the job resumable, and the next start resumes and finishes it', async () => {
    const name = 'yt-serve-test-restart'
    const dataDir = dataDirFor('restart')
    const port = await freePort()
    const base = await startContainer(name, dataDir, port)
    await healthy(base, name)
    using _slow = media.throttled(150_000)
    const items = ['r1', 'r2', 'r3', 'r4']
    const feed = await media.addFeed('restart', { title: 'Restart', items: items.map((n) => ({ name: n, title: n, seconds: 4 })) })
    const added = await api(base, 'POST', '/api/playlists', { url: feed })
    const job = await api(base, 'POST', `/api/playlists/${added.json.id}/jobs`, { type: 'both' })
    await waitUntil(
      'a finished download and one in flight',
      async () => {
        const j = (await api(base, 'GET', `/api/jobs/${job.json.id}`)).json
        return j.download_completed >= 1 && j.current.some((c: any) => c.phase === 'download')
      },
      120_000,
    )

    await must(podman('stop', '-t', '10', name))
    expect((await must(podman('inspect', name, '--format', '{{.State.ExitCode}}'))).trim()).toBe('0')
    const db = new Database(join(dataDir, 'yt-serve.db'), { readonly: true })
    const row = db.query('select status from jobs where id = ?').get(job.json.id) as { status: string }
    db.close()
    expect(row.status).toBe('interrupted')

    const t = performance.now()
    await must(podmanCmd('start', name))
    await healthy(base, name)
    measured.restart = `${((performance.now() - t) / 1000).toFixed(1)} s to a healthy server`
    const done = await finished(base, name, job.json.id)
    expect(done).toMatchObject({ status: 'completed', download_completed: 4, extract_completed: 4 })
    expect(await logsOf(name)).toContain('resumed (RESUME_ON_START)')
    // Nothing was fetched whole twice: the interrupted item went on from its .part.
    for (const n of items) expect(media.transfers(n).complete).toBeLessThanOrEqual(1)
  }, 420_000)

  test('a cluster of containers: PostgreSQL, one serve and two workers with their own addresses finish a job together', async () => {
    const missing = postgresMissing()
    if (missing) throw new Error(`the cluster test needs PostgreSQL: ${missing}`)
    const databaseUrl = await (await postgresCluster()).createDatabase()
    const media_ = dataDirFor('cluster')
    const port = await freePort()
    const db = ['-e', `DATABASE_URL=${databaseUrl}`, '-e', 'STAGING_DIR=/staging']
    const base = await startContainer('yt-serve-test-serve', media_, port, [...db, '-e', 'NODE_NAME=front', '-e', 'NODE_ROLES=none'])
    await healthy(base, 'yt-serve-test-serve')
    // Two "machines": each worker leaves from its own loopback address, as SOURCE_ADDRESS would
    // pick a host's second IP.
    for (const [n, ip] of [
      ['w2', '127.0.0.2'],
      ['w3', '127.0.0.3'],
    ])
      await startContainer(`yt-serve-test-${n}`, media_, await freePort(), [...db, '-e', `NODE_NAME=${n}`, '-e', `SOURCE_ADDRESS=${ip}`], ['worker'])
    await waitUntil('both workers to register', async () => {
      const nodes = (await api(base, 'GET', '/api/nodes')).json.nodes as any[]
      return nodes.filter((x) => x.kind === 'worker' && x.state === 'active').length === 2
    })
    const items = Array.from({ length: 8 }, (_, i) => `c${i}`)
    const feed = await media.addFeed('boxed-cluster', { title: 'Boxed cluster', items: items.map((n) => ({ name: n, title: n, seconds: 2 })) })
    media.resetCounts()
    // About one item a second per address, as a site limits one machine: both must share.
    media.setClientThrottle(150_000)
    try {
      const added = await api(base, 'POST', '/api/playlists', { url: feed })
      expect(added).toMatchObject({ status: 201 })
      const job = await api(base, 'POST', `/api/playlists/${added.json.id}/jobs`, { type: 'both' })
      const done = await finished(base, 'yt-serve-test-serve', job.json.id)
      expect(done).toMatchObject({ status: 'completed', download_completed: 8, extract_completed: 8 })
    } finally {
      media.setClientThrottle(null)
    }
    const byClient = media.mediaRequestsByClient()
    expect(Object.keys(byClient).sort()).toEqual(['127.0.0.2', '127.0.0.3'])
    for (const n of items) expect({ n, complete: media.transfers(n).complete }).toEqual({ n, complete: 1 })
    const audio = readdirSync(join(media_, 'Boxed cluster', 'audio')).filter((f) => f.endsWith('.mp3'))
    expect(audio.length).toBe(8)
  }, 420_000)
})
