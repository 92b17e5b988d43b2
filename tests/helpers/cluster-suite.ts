import { beforeEach, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startServerProcess, startWorkerProcess, waitUntil, type ServerProcess, type WorkerProcess } from './server-process'
import { clusterFixture } from './cluster-fixture'

// Several processes share one database (an SQLite file in WAL mode, or PostgreSQL) and one
// data dir, like machines sharing a mount: a UI-only serve node plans the job, worker nodes with their own staging dirs and
// source addresses (127.0.0.2-4, each its own "machine" to the fixture) fetch and extract.

/**
 * The cluster tests against one store: `storeEnv` gives each test its database (nothing: the
 * data dir's SQLite file; DATABASE_URL: a fresh PostgreSQL database). `ownDataDirs` (a shared
 * database only) adds the machines that share nothing but the database and MEDIA_DIR.
 */
export function clusterSuite(label: string, storeEnv: () => Promise<Record<string, string>>, withBackoff = true, ownDataDirs = false): void {
  const fx = clusterFixture()

  const BASE = { EXTRACT_CONCURRENCY: '1', DOWNLOAD_CONCURRENCY: '1', SOCKET_TIMEOUT: '10', AUDIO_FORMAT: 'm4a' }

  let common: Record<string, string> = { ...BASE }
  beforeEach(async () => {
    common = { ...BASE, ...(await storeEnv()) }
  })

  async function cluster(dataDir: string, workers: { name: string; ip: string }[], extra: Record<string, string> = {}) {
    const serve = await startServerProcess({ ...common, ...extra, DATA_DIR: dataDir, NODE_NAME: 'front', NODE_ROLES: 'none' })
    const nodes: { name: string; ip: string; staging: string; worker: WorkerProcess }[] = []
    for (const w of workers) {
      const staging = fx.tempDir(`yt-serve-stage-${w.name}-`)
      const worker = await startWorkerProcess({ ...common, ...extra, DATA_DIR: dataDir, NODE_NAME: w.name, SOURCE_ADDRESS: w.ip, STAGING_DIR: staging })
      nodes.push({ ...w, staging, worker })
    }
    return { serve, nodes }
  }

  async function finished(serve: ServerProcess, jobId: number, timeoutMs = 120_000) {
    return waitUntil(
      `job ${jobId} to finish`,
      async () => {
        const j = (await serve.json('GET', `/api/jobs/${jobId}`)).json
        return ['completed', 'failed', 'cancelled', 'interrupted'].includes(j.status) ? j : undefined
      },
      timeoutMs,
    )
  }

  describe(`cluster nodes ${label}`, () => {
    test('three workers split a 24-item "both" job: every item fetched once, from all three addresses', async () => {
      const dataDir = fx.tempDir('yt-serve-cluster-')
      const names = Array.from({ length: 24 }, (_, i) => `n${String(i).padStart(2, '0')}`)
      const feed = await fx.media.addFeed('cluster', { title: 'Cluster', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
      // Each address gets about one item a second, as a site would limit one machine.
      fx.media.setClientThrottle(fx.itemBytes)
      try {
        const { serve, nodes } = await cluster(dataDir, [
          { name: 'w2', ip: '127.0.0.2' },
          { name: 'w3', ip: '127.0.0.3' },
          { name: 'w4', ip: '127.0.0.4' },
        ])
        await using _serve = serve
        await using _w2 = nodes[0].worker
        await using _w3 = nodes[1].worker
        await using _w4 = nodes[2].worker
        const add = await serve.json('POST', '/api/playlists', { url: feed })
        expect(add.status).toBe(201)
        fx.media.resetCounts()
        const startedAt = Date.now()
        const job = await serve.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
        expect(job.status).toBe(202)
        // The job card's items in flight name their node, whichever node runs them.
        const seenNodes = new Set<string>()
        const done = await waitUntil(
          'the job to finish',
          async () => {
            const j = (await serve.json('GET', `/api/jobs/${job.json.id}`)).json
            for (const c of j.current ?? []) if (c.node) seenNodes.add(c.node)
            return ['completed', 'failed', 'cancelled', 'interrupted'].includes(j.status) ? j : undefined
          },
          180_000,
        )
        expect(done).toMatchObject({ status: 'completed', download_completed: 24, download_failed: 0, extract_completed: 24, extract_failed: 0 })
        // yt-dlp's generic extractor sniffs each URL, then downloads it: two requests, one whole body.
        for (const n of names)
          expect({ n, ...fx.media.requests(n), complete: fx.media.transfers(n).complete }).toMatchObject({ n, full: 2, ranged: 0, complete: 1 })
        const byClient = fx.media.mediaRequestsByClient()
        expect(Object.keys(byClient).sort()).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4'])
        expect(Object.values(byClient).reduce((a, b) => a + b, 0)).toBe(48)
        console.log(
          `cluster: 24 items downloaded and extracted in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; media requests per address ${JSON.stringify(byClient)}`,
        )
        expect(readdirSync(join(dataDir, 'Cluster', 'videos')).filter((f) => !f.startsWith('.')).length).toBe(24)
        expect(readdirSync(join(dataDir, 'Cluster', 'audio')).filter((f) => f.endsWith('.m4a')).length).toBe(24)
        // Staged downloads moved into the shared folder; nothing is left in any node's staging dir.
        for (const node of nodes) expect(readdirSync(join(node.staging, 'Cluster'))).toEqual([])
        expect([...seenNodes].every((n) => ['w2', 'w3', 'w4'].includes(n))).toBe(true)
        expect(seenNodes.size).toBeGreaterThan(0)
        const listed = (await serve.json('GET', '/api/nodes')).json.nodes
        expect(listed.map((n: any) => [n.name, n.state, n.kind]).sort()).toEqual([
          ['front', 'active', 'serve'],
          ['w2', 'active', 'worker'],
          ['w3', 'active', 'worker'],
          ['w4', 'active', 'worker'],
        ])
      } finally {
        fx.media.setClientThrottle(null)
      }
    }, 240_000)

    test('a worker killed mid-item: another node finishes its items, nothing lost, only that item fetched twice; it shows as lost', async () => {
      const dataDir = fx.tempDir('yt-serve-cluster-kill-')
      const names = Array.from({ length: 8 }, (_, i) => `k${i}`)
      const feed = await fx.media.addFeed('kill', { title: 'Kill', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
      fx.media.setClientThrottle(fx.itemBytes)
      try {
        const { serve, nodes } = await cluster(
          dataDir,
          [
            { name: 'k2', ip: '127.0.0.2' },
            { name: 'k3', ip: '127.0.0.3' },
          ],
          { LEASE_SECONDS: '3' },
        )
        await using _serve = serve
        await using _k2 = nodes[0].worker
        await using _k3 = nodes[1].worker
        const add = await serve.json('POST', '/api/playlists', { url: feed })
        expect(add.status).toBe(201)
        fx.media.resetCounts()
        // k4's body trickles until released: whoever takes it is mid-item when killed.
        const release = fx.media.holdBack('k4')
        const job = await serve.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
        expect(job.status).toBe(202)
        const holder = await waitUntil('a node to be mid-download of k4', async () => {
          const listed = (await serve.json('GET', '/api/nodes')).json.nodes as any[]
          const n = listed.find((x) => x.current.some((c: any) => c.title === 'k4' && c.phase === 'download'))
          return n && fx.media.transfers('k4').bytes > 0 ? (n.name as string) : undefined
        })
        const victim = nodes.find((n) => n.name === holder)!
        // The machine dies: the worker and its yt-dlp process groups (its registry of children).
        const children = readFileSync(join(victim.staging, '.yt-serve-children'), 'utf8').split('\n').filter(Boolean).map(Number)
        victim.worker.proc.kill('SIGKILL')
        for (const pid of children) {
          try {
            process.kill(-pid, 'SIGKILL')
          } catch {}
        }
        await victim.worker.proc.exited
        // Released only once the fixture has seen the victim's connection close: a body released
        // into a socket the kernel has not torn down yet would count as sent whole.
        await waitUntil("the killed node's k4 connection to close", async () => fx.media.openBodies('k4', victim.ip) === 0)
        release()
        const done = await finished(serve, job.json.id)
        expect(done).toMatchObject({ status: 'completed', download_completed: 8, download_failed: 0, extract_completed: 8, extract_failed: 0 })
        // Every body went to its end once; only k4 was asked for again (sniff and download by its second node).
        for (const n of names)
          expect({ n, complete: fx.media.transfers(n).complete, full: fx.media.requests(n).full }).toEqual({ n, complete: 1, full: n === 'k4' ? 4 : 2 })
        expect(readdirSync(join(dataDir, 'Kill', 'audio')).filter((f) => f.endsWith('.m4a')).length).toBe(8)
        const listed = (await serve.json('GET', '/api/nodes')).json.nodes as any[]
        expect(listed.find((n) => n.name === holder)).toMatchObject({ state: 'lost', current: [] })
        expect(listed.find((n) => n.name !== holder && n.kind === 'worker')).toMatchObject({ state: 'active' })
      } finally {
        fx.media.setClientThrottle(null)
      }
    }, 240_000)

    test.skipIf(!ownDataDirs)(
      'each node its own DATA_DIR, one shared MEDIA_DIR: every file lands in MEDIA_DIR, none in a data dir, and the UI node serves them',
      async () => {
        const mediaDir = fx.tempDir('yt-serve-cluster-media-')
        const names = Array.from({ length: 4 }, (_, i) => `m${i}`)
        const feed = await fx.media.addFeed('shared-media', { title: 'Shared', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
        const frontData = fx.tempDir('yt-serve-data-front-')
        await using serve = await startServerProcess({ ...common, DATA_DIR: frontData, MEDIA_DIR: mediaDir, NODE_NAME: 'front', NODE_ROLES: 'none' })
        const workerData = [fx.tempDir('yt-serve-data-m2-'), fx.tempDir('yt-serve-data-m3-')]
        // No STAGING_DIR: the default staging of a node with MEDIA_DIR is its own DATA_DIR/.staging.
        await using _m2 = await startWorkerProcess({ ...common, DATA_DIR: workerData[0], MEDIA_DIR: mediaDir, NODE_NAME: 'm2', SOURCE_ADDRESS: '127.0.0.2' })
        await using _m3 = await startWorkerProcess({ ...common, DATA_DIR: workerData[1], MEDIA_DIR: mediaDir, NODE_NAME: 'm3', SOURCE_ADDRESS: '127.0.0.3' })
        const add = await serve.json('POST', '/api/playlists', { url: feed })
        expect(add.status).toBe(201)
        const job = await serve.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
        expect(job.status).toBe(202)
        expect(await finished(serve, job.json.id)).toMatchObject({ status: 'completed', download_completed: 4, extract_completed: 4, extract_failed: 0 })
        expect(readdirSync(join(mediaDir, 'Shared', 'videos')).filter((f) => f.endsWith('.mp4')).length).toBe(4)
        expect(readdirSync(join(mediaDir, 'Shared', 'audio')).filter((f) => f.endsWith('.m4a')).length).toBe(4)
        // A data dir holds the node's own things only: no playlist folder, no media file (staging is empty).
        for (const dir of [frontData, ...workerData]) {
          // The node's own lock and children registry carry its name (yt-serve.<node>.pid, .yt-serve-children.<node>).
          const own = (f: string) => ['.staging', 'bin'].includes(f) || /^(yt-serve(\..+)?\.pid|\.yt-serve-children(\..+)?)$/.test(f)
          expect(readdirSync(dir).filter((f) => !own(f))).toEqual([])
          const staged = existsSync(join(dir, '.staging', 'Shared')) ? readdirSync(join(dir, '.staging', 'Shared')) : []
          expect(staged).toEqual([])
        }
        // The UI node, which ran nothing, serves what the workers wrote.
        const videos = (await serve.json('GET', `/api/playlists/${add.json.id}`)).json.videos as any[]
        const res = await fetch(`${serve.url}/media/${videos[0].id}/audio`)
        expect(res.status).toBe(200)
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0)
        expect((await serve.json('POST', `/api/playlists/${add.json.id}/verify`)).json).toMatchObject({ checked: 8, videos_missing: 0, audio_missing: 0 })
      },
      120_000,
    )

    test.skipIf(!withBackoff)(
      'a 429 on one node backs off that node only: another node downloads the items',
      async () => {
        const dataDir = fx.tempDir('yt-serve-cluster-429-')
        const names = Array.from({ length: 4 }, (_, i) => `r${i}`)
        const feed = await fx.media.addFeed('refused', { title: 'Refused', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
        const unblock = fx.media.refuseClient('127.0.0.2')
        // Paced, so that "complete" counts downloads only (a sniff hangs up before the end).
        fx.media.setClientThrottle(fx.itemBytes * 2)
        try {
          // A long back-off: the blocked node must still be backing off when the job ends.
          const extra = { RATE_LIMIT_BACKOFF_SECONDS: '600' }
          const { serve, nodes } = await cluster(dataDir, [{ name: 'blocked', ip: '127.0.0.2' }], extra)
          await using _serve = serve
          await using _blocked = nodes[0].worker
          const add = await serve.json('POST', '/api/playlists', { url: feed })
          expect(add.status).toBe(201)
          fx.media.resetCounts()
          const job = await serve.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
          expect(job.status).toBe(202)
          await waitUntil('the blocked node to back off', async () => {
            const listed = (await serve.json('GET', '/api/nodes')).json.nodes as any[]
            return listed.find((n) => n.name === 'blocked')?.backoff?.until
          })
          const staging = fx.tempDir('yt-serve-stage-free-')
          await using free = await startWorkerProcess({
            ...common,
            ...extra,
            DATA_DIR: dataDir,
            NODE_NAME: 'free',
            SOURCE_ADDRESS: '127.0.0.3',
            STAGING_DIR: staging,
          })
          const done = await finished(serve, job.json.id)
          expect(done).toMatchObject({ status: 'completed', download_completed: 4, download_failed: 0 })
          for (const n of names) expect({ n, complete: fx.media.transfers(n).complete }).toEqual({ n, complete: 1 })
          const listed = (await serve.json('GET', '/api/nodes')).json.nodes as any[]
          expect(listed.find((n) => n.name === 'blocked').backoff).toMatchObject({ consecutive_rate_limits: 1 })
          expect(listed.find((n) => n.name === 'free')).toMatchObject({ state: 'active', backoff: null })
          expect(free.output()).not.toContain('Rate limited')
        } finally {
          unblock()
          fx.media.setClientThrottle(null)
        }
      },
      240_000,
    )
  })
}
