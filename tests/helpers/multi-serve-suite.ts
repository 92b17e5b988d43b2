import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { startServerProcess, startWorkerProcess, waitUntil, type ServerProcess } from './server-process'

// Several `serve` nodes on one store and one data dir, as behind a proxy: each starts without
// disturbing the others' jobs, a request accepted by one is refused by all, a priority set on
// one reaches the owner, and the jobs of a serve that dies are finished by another.

const ENDED = ['completed', 'failed', 'cancelled', 'interrupted']

export function multiServeSuite(label: string, storeEnv: () => Promise<Record<string, string>>): void {
  let media: MediaServer
  const dirs: string[] = []
  beforeAll(async () => {
    media = await startMediaServer()
  })
  afterAll(async () => {
    await media.stop()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  const tempDir = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix))
    dirs.push(d)
    return d
  }

  const BASE = { EXTRACT_CONCURRENCY: '1', DOWNLOAD_CONCURRENCY: '1', SOCKET_TIMEOUT: '10', AUDIO_FORMAT: 'm4a' }
  let common: Record<string, string> = { ...BASE }
  beforeEach(async () => {
    common = { ...BASE, ...(await storeEnv()) }
  })

  const serveNode = (dataDir: string, name: string, extra: Record<string, string> = {}) =>
    startServerProcess({ ...common, ...extra, DATA_DIR: dataDir, NODE_NAME: name, NODE_ROLES: 'none' })

  async function job(serve: ServerProcess, id: number) {
    return (await serve.json('GET', `/api/jobs/${id}`)).json
  }
  const finished = (serve: ServerProcess, id: number) =>
    waitUntil(
      `job ${id} to end`,
      async () => {
        const j = await job(serve, id)
        return ENDED.includes(j.status) ? j : undefined
      },
      120_000,
    )

  describe(`several serve nodes ${label}`, () => {
    test('a second serve starts on the same data dir (its own pid file) and leaves the first one’s running job alone', async () => {
      const dataDir = tempDir('yt-serve-two-serves-')
      const names = ['s0', 's1', 's2']
      const feed = await media.addFeed('two-serves', { title: 'Two serves', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
      // The first node works (downloads); the second only serves the UI.
      await using a = await startServerProcess({ ...common, DATA_DIR: dataDir, NODE_NAME: 'a', NODE_ROLES: 'download' })
      const add = await a.json('POST', '/api/playlists', { url: feed })
      expect(add.status).toBe(201)
      media.resetCounts()
      // s0 trickles until released: node a is mid-download of it while b starts.
      const release = media.holdBack('s0')
      const started = await a.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
      expect(started.status).toBe(202)
      await waitUntil('node a to be mid-download of s0', async () => {
        const nodes = (await a.json('GET', '/api/nodes')).json.nodes as any[]
        return nodes.find((n) => n.name === 'a')?.current.some((c: any) => c.title === 's0') && media.transfers('s0').bytes > 0
      })
      await using b = await serveNode(dataDir, 'b')
      expect(existsSync(join(dataDir, 'yt-serve.a.pid'))).toBe(true)
      expect(existsSync(join(dataDir, 'yt-serve.b.pid'))).toBe(true)
      // b's start recovered only its own (nothing): a's job runs on, its item still in flight under a's lease.
      const seen = await job(b, started.json.id)
      expect(seen).toMatchObject({ status: 'running', node: 'a' })
      const nodes = (await b.json('GET', '/api/nodes')).json.nodes as any[]
      expect(nodes.find((n) => n.name === 'a').current.map((c: any) => c.title)).toContain('s0')
      release()
      const done = await finished(a, started.json.id)
      expect(done).toMatchObject({ status: 'completed', download_completed: 3, download_failed: 0 })
      // yt-dlp's generic extractor sniffs each URL, then downloads it: two requests per item fetched once.
      for (const n of names) expect({ n, full: media.requests(n).full }).toEqual({ n, full: 2 })
      const log = (await b.json('GET', `/api/jobs/${started.json.id}/log`)).json as any[]
      expect(log.some((e) => /interrupted/.test(e.message))).toBe(false)
      expect(b.output()).not.toContain('interrupted')
    }, 120_000)

    test('20 racing job requests across two serve nodes: one accepted, 19 refused with 409; a priority set on the other node reaches the owner', async () => {
      const dataDir = tempDir('yt-serve-race-')
      const feed = await media.addFeed('race', { title: 'Race', items: [{ name: 'race0', title: 'race0', seconds: 2 }] })
      await using a = await serveNode(dataDir, 'a')
      await using b = await serveNode(dataDir, 'b')
      const add = await a.json('POST', '/api/playlists', { url: feed })
      expect(add.status).toBe(201)
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })),
      )
      const accepted = answers.filter((r) => r.status === 202)
      expect(accepted.length).toBe(1)
      const refused = answers.filter((r) => r.status === 409)
      expect(refused.length).toBe(19)
      for (const r of refused) expect(r.json.error).toMatch(/already has an active job/)
      // No worker has the download role: the job stays running, planned by the node that accepted it.
      const id = accepted[0].json.id as number
      const ownerName = accepted[0].json.node as string
      const [owner, other] = ownerName === 'a' ? [a, b] : [b, a]
      await waitUntil('the job to be planned', async () => (await job(owner, id)).download_total === 1)
      const set = await other.json('POST', `/api/jobs/${id}/priority`, { priority: 'high' })
      expect(set.status).toBe(200)
      // The owner serves its job from memory: it shows the new priority once it has read the row.
      await waitUntil('the owner to take the new priority', async () => (await job(owner, id)).priority === 'high', 10_000)
      // Its own writes of the row (the cancel's last one here) keep it.
      expect((await owner.json('POST', `/api/jobs/${id}/cancel`)).status).toBe(200)
      expect(await job(other, id)).toMatchObject({ status: 'cancelled', priority: 'high' })
    }, 120_000)

    test('the serve owning a job is killed: another serve takes it over and completes it, every item once; the old one, back, leaves it alone', async () => {
      const dataDir = tempDir('yt-serve-takeover-')
      const names = Array.from({ length: 4 }, (_, i) => `t${i}`)
      const feed = await media.addFeed('takeover', { title: 'Takeover', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
      const lease = { LEASE_SECONDS: '2' }
      const a = await serveNode(dataDir, 'a', lease)
      try {
        await using b = await serveNode(dataDir, 'b', lease)
        const staging = tempDir('yt-serve-stage-w-')
        await using _w = await startWorkerProcess({ ...common, ...lease, DATA_DIR: dataDir, NODE_NAME: 'w', SOURCE_ADDRESS: '127.0.0.2', STAGING_DIR: staging })
        const add = await a.json('POST', '/api/playlists', { url: feed })
        expect(add.status).toBe(201)
        media.resetCounts()
        // t1 trickles until released: the job is mid-flight when its owner dies, and while it comes back.
        const release = media.holdBack('t1')
        const started = await a.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
        expect(started.status).toBe(202)
        await waitUntil('the worker to be mid-download of t1', async () => {
          const nodes = (await b.json('GET', '/api/nodes')).json.nodes as any[]
          return nodes.find((n) => n.name === 'w')?.current.some((c: any) => c.title === 't1') && media.transfers('t1').bytes > 0
        })
        a.proc.kill('SIGKILL')
        await a.proc.exited
        const taken = await waitUntil('b to take the job over', async () => {
          const j = await job(b, started.json.id)
          return j.node === 'b' ? j : undefined
        })
        expect(taken.status).toBe('running')
        // a comes back with its name: its start finds no job of its own to interrupt.
        await using a2 = await serveNode(dataDir, 'a', lease)
        expect((await job(a2, started.json.id)).node).toBe('b')
        release()
        const done = await finished(b, started.json.id)
        expect(done).toMatchObject({ status: 'completed', node: 'b', download_completed: 4, download_failed: 0, extract_completed: 4, extract_failed: 0 })
        // Two requests (sniff, download) per item: none was fetched again.
        for (const n of names) expect({ n, full: media.requests(n).full }).toEqual({ n, full: 2 })
        const log = ((await b.json('GET', `/api/jobs/${started.json.id}/log`)).json as any[]).map((e) => e.message as string)
        expect(log.filter((m) => m.includes('took this job over'))).toHaveLength(1)
        expect(log.some((m) => m.startsWith('finished: 4 downloaded, 4 extracted'))).toBe(true)
        expect(log.some((m) => m.includes('interrupted'))).toBe(false)
        expect(a2.output()).not.toContain('interrupted')
      } finally {
        if (a.proc.exitCode === null && a.proc.signalCode === null) a.proc.kill('SIGKILL')
        await a.proc.exited
      }
    }, 180_000)

    test('pause, resume and cancel asked on a serve that does not own the job: 202, and the owner applies them', async () => {
      const dataDir = tempDir('yt-serve-remote-control-')
      const names = ['rc0', 'rc1', 'rc2']
      const feed = await media.addFeed('remote-control', { title: 'Remote control', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
      // a owns the job and runs its items; b, behind the same proxy, only serves the UI.
      await using a = await startServerProcess({ ...common, DATA_DIR: dataDir, NODE_NAME: 'a' })
      await using b = await serveNode(dataDir, 'b')
      const add = await b.json('POST', '/api/playlists', { url: feed })
      expect(add.status).toBe(201)
      // rc0 trickles until released: the job is mid-item while b asks. rc1 trickles too, so a
      // yt-dlp that reaches it before the pause stops the chunk cannot fetch it whole.
      const release = media.holdBack('rc0')
      const releaseNext = media.holdBack('rc1')
      try {
        const started = await a.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
        expect(started.status).toBe(202)
        const id = started.json.id
        await waitUntil('a to be mid-download of rc0', async () => (await job(a, id)).current?.some((c: any) => c.title === 'rc0'))

        const paused = await b.json('POST', `/api/jobs/${id}/pause`)
        expect(paused.status).toBe(202)
        expect(paused.json).toMatchObject({ id, node: 'a', status: 'running', control: 'pause' })
        await waitUntil('a to pause the job', async () => (await job(b, id)).status === 'paused')
        // The item in flight goes on; nothing new starts while paused.
        release()
        await waitUntil('rc0 to finish', async () => media.transfers('rc0').complete === 1)
        const held = await waitUntil('the paused job to count rc0', async () => {
          const j = await job(a, id)
          return j.download_completed === 1 ? j : undefined
        })
        expect(held).toMatchObject({ status: 'paused', control: null })
        // yt-dlp may have reached the next URL before the chunk stopped, but got no body whole.
        expect(media.transfers('rc1').complete + media.transfers('rc2').complete).toBe(0)
        releaseNext()

        const resumed = await b.json('POST', `/api/jobs/${id}/resume`)
        expect(resumed.status).toBe(202)
        expect((await finished(b, id)).status).toBe('completed')

        const log = ((await b.json('GET', `/api/jobs/${id}/log`)).json as any[]).map((e) => e.message as string)
        expect(log.some((m) => m.startsWith('pause asked on node b'))).toBe(true)
        expect(log.some((m) => m.startsWith('paused:'))).toBe(true)
      } finally {
        release()
        releaseNext()
      }
    }, 180_000)

    test('a cancel asked on a serve that does not own the job ends it cancelled, its item in flight stopped', async () => {
      const dataDir = tempDir('yt-serve-remote-cancel-')
      const names = ['rx0', 'rx1']
      const feed = await media.addFeed('remote-cancel', { title: 'Remote cancel', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
      await using a = await startServerProcess({ ...common, DATA_DIR: dataDir, NODE_NAME: 'a' })
      await using b = await serveNode(dataDir, 'b')
      const add = await b.json('POST', '/api/playlists', { url: feed })
      const release = media.holdBack('rx0')
      try {
        const started = await a.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
        const id = started.json.id
        await waitUntil('a to be mid-download of rx0', async () => (await job(a, id)).current?.some((c: any) => c.title === 'rx0'))
        const cancelled = await b.json('POST', `/api/jobs/${id}/cancel`)
        expect(cancelled.status).toBe(202)
        expect(cancelled.json.control).toBe('cancel')
        // b's card says what was asked, in words, until the owner has applied it.
        const card = await (await fetch(`${b.url}/jobs/${id}/card`)).text()
        expect(card).toContain('Cancel asked: node a, which runs this job, applies it in a moment')
        const done = await finished(b, id)
        expect(done).toMatchObject({ status: 'cancelled', node: 'a', control: null, download_completed: 0 })
        // Nothing was fetched whole: the held body was stopped, the next item never asked for.
        expect(media.transfers('rx0').complete).toBe(0)
        expect(media.requests('rx1').full).toBe(0)
        // A second cancel, now that it has ended, is the usual 409.
        expect((await b.json('POST', `/api/jobs/${id}/cancel`)).status).toBe(409)
      } finally {
        release()
      }
    }, 180_000)
  })
}
