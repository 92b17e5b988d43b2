import { describe, expect, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { postgresMissing, privateCluster } from '../helpers/postgres-cluster'
import { startServerProcess, startWorkerProcess, waitUntil, type ServerProcess } from '../helpers/server-process'
import { clusterFixture } from '../helpers/cluster-fixture'

// PostgreSQL restarts while a "both" job runs across a serve node and two workers: every node
// holds its database work until the server is back (DATABASE_OUTAGE_SECONDS), and the job
// completes with every item fetched whole once. The server is the test's own cluster, so
// restarting it touches no other test.

const fx = clusterFixture()

const missing = postgresMissing()
if (missing) describe('a PostgreSQL restart mid-job', () => test.skip(`skipped: ${missing}`, () => {}))
else
  describe('a PostgreSQL restart mid-job', () => {
    test('the nodes reconnect and the job completes: nothing lost, every item fetched whole once, counters right', async () => {
      const pgc = await privateCluster()
      const url = await pgc.createDatabase()
      const dataDir = fx.tempDir('yt-serve-pg-restart-')
      const common = {
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        EXTRACT_CONCURRENCY: '1',
        DOWNLOAD_CONCURRENCY: '1',
        SOCKET_TIMEOUT: '20',
        AUDIO_FORMAT: 'm4a',
      }
      const names = Array.from({ length: 8 }, (_, i) => `pr${i}`)
      const feed = await fx.media.addFeed('pg-restart', { title: 'Restart', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
      // About one item a second per address, as a site would limit one machine: items stay in flight.
      fx.media.setClientThrottle(fx.itemBytes)
      try {
        await using serve = await startServerProcess({ ...common, NODE_NAME: 'front', NODE_ROLES: 'none' })
        await using w2 = await startWorkerProcess({ ...common, NODE_NAME: 'w2', SOURCE_ADDRESS: '127.0.0.2', STAGING_DIR: fx.tempDir('yt-serve-stage-w2-') })
        await using w3 = await startWorkerProcess({ ...common, NODE_NAME: 'w3', SOURCE_ADDRESS: '127.0.0.3', STAGING_DIR: fx.tempDir('yt-serve-stage-w3-') })
        const add = await serve.json('POST', '/api/playlists', { url: feed })
        expect(add.status).toBe(201)
        fx.media.resetCounts()
        // pr3's body trickles until released: whoever takes it is mid-download across the restart.
        const release = fx.media.holdBack('pr3')
        const job = await serve.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
        expect(job.status).toBe(202)
        await waitUntil('pr3 to be mid-download and another item done', async () => {
          const j = (await serve.json('GET', `/api/jobs/${job.json.id}`)).json
          return fx.media.transfers('pr3').bytes > 0 && j.download_completed >= 1
        })
        const inFlight = (await serve.json('GET', `/api/jobs/${job.json.id}`)).json.current.length
        const down = performance.now()
        await pgc.stopServer()
        // Every node has met the outage (each looks at the rows every second while the job runs).
        const nodes: [string, { output(): string }][] = [
          ['front', serve],
          ['w2', w2],
          ['w3', w3],
        ]
        for (const [name, node] of nodes)
          await waitUntil(`${name} to notice the outage`, async () => node.output().includes('lost the connection to postgres://'))
        await pgc.startServer()
        const outageMs = performance.now() - down
        for (const [name, node] of nodes) await waitUntil(`${name} to reconnect`, async () => node.output().includes(' is back after '), 30_000)
        release()
        const done = await finished(serve, job.json.id)
        expect(done).toMatchObject({ status: 'completed', download_completed: 8, download_failed: 0, extract_completed: 8, extract_failed: 0, error: null })
        // Every body went to its end once, and no item was asked for again (sniff and download: two requests).
        for (const n of names) expect({ n, complete: fx.media.transfers(n).complete, full: fx.media.requests(n).full }).toEqual({ n, complete: 1, full: 2 })
        expect(readdirSync(join(dataDir, 'Restart', 'videos')).filter((f) => !f.startsWith('.')).length).toBe(8)
        expect(readdirSync(join(dataDir, 'Restart', 'audio')).filter((f) => f.endsWith('.m4a')).length).toBe(8)
        const lines: string[] = (await serve.json('GET', `/api/jobs/${job.json.id}/log`)).json.map((e: any) => e.message)
        expect(lines.some((l) => l.startsWith('finished: 8 downloaded, 8 extracted, 0 failed'))).toBe(true)
        expect(lines.filter((l) => l.includes('interrupted'))).toEqual([])
        // The LISTEN connections came back too.
        for (const [, node] of nodes) expect(node.output()).toContain('the work notifications from PostgreSQL are back')
        for (const [, node] of nodes) expect(node.output()).not.toContain('could not announce')
        console.log(
          `PostgreSQL restart mid-job: down ${(outageMs / 1000).toFixed(1)} s with ${inFlight} item(s) in flight; job completed, 8/8 items, each fetched once`,
        )
      } finally {
        fx.media.setClientThrottle(null)
      }
    }, 240_000)

    test('DATABASE_OUTAGE_SECONDS=0 (no waiting): the workers stop their part and give their items back; the job still completes', async () => {
      const pgc = await privateCluster()
      const url = await pgc.createDatabase()
      const dataDir = fx.tempDir('yt-serve-pg-restart0-')
      const common = {
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        DATABASE_OUTAGE_SECONDS: '0',
        EXTRACT_CONCURRENCY: '1',
        DOWNLOAD_CONCURRENCY: '1',
        SOCKET_TIMEOUT: '20',
        AUDIO_FORMAT: 'm4a',
      }
      const names = Array.from({ length: 6 }, (_, i) => `pz${i}`)
      const feed = await fx.media.addFeed('pg-restart-0', { title: 'Restart0', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
      fx.media.setClientThrottle(fx.itemBytes)
      try {
        await using serve = await startServerProcess({ ...common, NODE_NAME: 'front', NODE_ROLES: 'none' })
        await using w2 = await startWorkerProcess({ ...common, NODE_NAME: 'w2', SOURCE_ADDRESS: '127.0.0.2', STAGING_DIR: fx.tempDir('yt-serve-stage-w2-') })
        await using w3 = await startWorkerProcess({ ...common, NODE_NAME: 'w3', SOURCE_ADDRESS: '127.0.0.3', STAGING_DIR: fx.tempDir('yt-serve-stage-w3-') })
        const add = await serve.json('POST', '/api/playlists', { url: feed })
        expect(add.status).toBe(201)
        const release = fx.media.holdBack('pz2')
        const job = await serve.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
        expect(job.status).toBe(202)
        await waitUntil('pz2 to be mid-download', async () => fx.media.transfers('pz2').bytes > 0)
        await pgc.stopServer()
        // pz2 is the third of six: the other items keep ending (about one a second per address), and the first
        // item write that fails makes its node stop its part.
        await waitUntil('a worker to stop helping', async () => `${w2.output()}${w3.output()}`.includes('this node stops helping'))
        await pgc.startServer()
        release()
        const done = await finished(serve, job.json.id)
        // Nothing lost: the items it gave back were taken again (by it or the other worker).
        expect(done).toMatchObject({ status: 'completed', download_completed: 6, download_failed: 0, extract_completed: 6, extract_failed: 0 })
        expect(readdirSync(join(dataDir, 'Restart0', 'audio')).filter((f) => f.endsWith('.m4a')).length).toBe(6)
      } finally {
        fx.media.setClientThrottle(null)
      }
    }, 240_000)
  })

async function finished(serve: ServerProcess, jobId: number) {
  return waitUntil(
    `job ${jobId} to finish`,
    async () => {
      const j = (await serve.json('GET', `/api/jobs/${jobId}`)).json
      return ['completed', 'failed', 'cancelled', 'interrupted'].includes(j.status) ? j : undefined
    },
    180_000,
  )
}
