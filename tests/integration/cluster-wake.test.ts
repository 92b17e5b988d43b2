import { describe, expect, test } from 'bun:test'
import pg from 'pg'
import { cluster, postgresMissing } from '../helpers/postgres-cluster'
import { startServerProcess, startWorkerProcess, waitUntil } from '../helpers/server-process'
import { clusterFixture } from '../helpers/cluster-fixture'

// A worker waiting with a long idle poll takes a new job's items as soon as the serve node
// announces them (NOTIFY), not when its poll comes round.

const POLL_SECONDS = 60

const fx = clusterFixture()

const missing = postgresMissing()
if (missing) describe('cluster wake on PostgreSQL', () => test.skip(`skipped: ${missing}`, () => {}))
else
  describe('cluster wake on PostgreSQL', () => {
    test(`a worker idle with a ${POLL_SECONDS} s poll claims a new job's first item within seconds`, async () => {
      const url = await (await cluster()).createDatabase()
      const dataDir = fx.tempDir('yt-serve-wake-')
      const common = {
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        IDLE_POLL_SECONDS: String(POLL_SECONDS),
        EXTRACT_CONCURRENCY: '1',
        DOWNLOAD_CONCURRENCY: '1',
        SOCKET_TIMEOUT: '10',
        AUDIO_FORMAT: 'm4a',
      }
      const feed = await fx.media.addFeed('wake', { title: 'Wake', items: ['a', 'b'].map((name) => ({ name: `wake-${name}`, title: name, seconds: 2 })) })
      await using serve = await startServerProcess({ ...common, NODE_NAME: 'front', NODE_ROLES: 'none' })
      await using worker = await startWorkerProcess({ ...common, NODE_NAME: 'w2', SOURCE_ADDRESS: '127.0.0.2', STAGING_DIR: fx.tempDir('yt-serve-stage-w2-') })
      const db = new pg.Client({ connectionString: url })
      await db.connect()
      try {
        // Both nodes listen; the worker's first look (at its start) found nothing: it now sleeps for the poll.
        await waitUntil('both nodes to listen', async () => {
          const { rows } = await db.query(
            `select count(*)::int as n from pg_stat_activity where application_name = 'yt-serve listen' and datname = current_database()`,
          )
          return rows[0].n === 2
        })
        const add = await serve.json('POST', '/api/playlists', { url: feed })
        expect(add.status).toBe(201)
        const t0 = performance.now()
        const job = await serve.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
        expect(job.status).toBe(202)
        await waitUntil(
          "the worker's first lease",
          async () => (await db.query(`select count(*)::int as n from videos where lease_node = 'w2'`)).rows[0].n > 0,
          (POLL_SECONDS / 2) * 1000,
        )
        const claimedMs = performance.now() - t0
        console.log(`cluster wake: the worker (idle poll ${POLL_SECONDS} s) leased its first item ${claimedMs.toFixed(0)} ms after the job was created`)
        expect(claimedMs).toBeLessThan(10_000)
        const done = await waitUntil(
          'the job to finish',
          async () => {
            const j = (await serve.json('GET', `/api/jobs/${job.json.id}`)).json
            return ['completed', 'failed', 'cancelled', 'interrupted'].includes(j.status) ? j : undefined
          },
          120_000,
        )
        expect(done).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 2 })
        // The serve node, which runs none of the items, counts the worker's results as they land
        // (a node with a job running looks every second), not at its 60 s idle poll.
        expect(performance.now() - t0).toBeLessThan(POLL_SECONDS * 1000)
      } finally {
        await db.end()
      }
      expect(worker.output()).not.toContain('could not announce')
    }, 180_000)
  })
