import { afterAll, describe, expect, test } from 'bun:test'
import { type Kysely, sql } from 'kysely'
import pg from 'pg'
import { isConnectionLoss, isDatabaseError } from '../../src/db/errors'
import { openPostgres } from '../../src/db/postgres'
import { type Cluster, postgresMissing, privateCluster } from '../helpers/postgres-cluster'
import { waitUntil } from '../helpers/server-process'

// The pool under a PostgreSQL restart, on a cluster of its own (the shared one's other tests
// are not restarted): statements held while it is down run, in their order, once it is back.

const missing = postgresMissing()
if (missing) describe('PostgreSQL restarts', () => test.skip(`skipped: ${missing}`, () => {}))
else
  describe('PostgreSQL restarts', () => {
    let pgc: Cluster
    const open: Kysely<any>[] = []
    afterAll(async () => {
      for (const db of open) await db.destroy().catch(() => {})
    })

    async function database(outageMs: number, logs: string[] = []): Promise<{ db: Kysely<any>; url: string }> {
      pgc ??= await privateCluster()
      const u = new URL(await pgc.createDatabase())
      u.password = 'not-to-be-seen'
      const url = u.toString()
      const db = openPostgres(url, { outageMs, log: (m) => logs.push(m) }) as unknown as Kysely<any>
      open.push(db)
      await sql`create table t (id integer generated always as identity primary key, seq integer not null)`.execute(db)
      return { db, url }
    }

    const seqs = async (db: Kysely<any>) => (await db.selectFrom('t').select('seq').orderBy('id').execute()).map((r) => r.seq)

    test('pg.Pool with max 1 replaces a client the server ended on the next query', async () => {
      pgc ??= await privateCluster()
      const url = await pgc.createDatabase()
      const pool = new pg.Pool({ connectionString: url, max: 1 })
      pool.on('error', () => {})
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        const before = (await pool.query('select pg_backend_pid() as pid')).rows[0].pid
        await admin.query('select pg_terminate_backend($1)', [before])
        await waitUntil('the pool to drop the dead client', async () => pool.totalCount === 0)
        const after = (await pool.query('select pg_backend_pid() as pid')).rows[0].pid
        expect(after).not.toBe(before)
      } finally {
        await admin.end()
        await pool.end()
      }
    })

    test('statements issued while the server is down wait for it and run in their order; the log says so, without the password', async () => {
      const logs: string[] = []
      const { db } = await database(30_000, logs)
      await db.insertInto('t').values({ seq: 0 }).execute()
      await pgc.stopServer()
      // Not awaited one by one, as the job engine issues its item writes.
      const writes = Array.from({ length: 30 }, (_, i) =>
        db
          .insertInto('t')
          .values({ seq: i + 1 })
          .execute(),
      )
      await waitUntil('the pool to notice', async () => logs.length > 0)
      await pgc.startServer()
      await Promise.all(writes)
      expect(await seqs(db)).toEqual(Array.from({ length: 31 }, (_, i) => i))
      expect(logs).toHaveLength(2)
      expect(logs[0]).toContain('lost the connection to postgres://postgres@127.0.0.1:')
      expect(logs[0]).toContain('holding the database work for up to 30 s')
      expect(logs[1]).toMatch(/the connection to postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\d+_\d+ is back after \d+\.\d s/)
      for (const l of logs) expect(l).not.toContain('not-to-be-seen')
    })

    test('a restart between two statements costs nothing but the wait (pg_ctl stop + start)', async () => {
      const { db } = await database(30_000)
      await db.insertInto('t').values({ seq: 1 }).execute()
      await pgc.restart()
      await db.insertInto('t').values({ seq: 2 }).execute()
      expect(await seqs(db)).toEqual([1, 2])
    })

    test('an outage longer than the window fails the statement (a database error, as before); the next one after it works', async () => {
      const { db } = await database(1000)
      await db.insertInto('t').values({ seq: 1 }).execute()
      await pgc.stopServer()
      try {
        const t0 = performance.now()
        const err = await db
          .insertInto('t')
          .values({ seq: 2 })
          .execute()
          .then(
            () => null,
            (e) => e,
          )
        expect(performance.now() - t0).toBeGreaterThanOrEqual(900)
        expect(isDatabaseError(err)).toBe(true)
        expect(isConnectionLoss(err)).toBe(true)
      } finally {
        await pgc.startServer()
      }
      await db.insertInto('t').values({ seq: 3 }).execute()
      expect(await seqs(db)).toEqual([1, 3])
    })

    test('DATABASE_OUTAGE_SECONDS=0: a lost connection fails the statement at once, as before', async () => {
      const { db } = await database(0)
      await db.insertInto('t').values({ seq: 1 }).execute()
      await pgc.stopServer()
      try {
        const t0 = performance.now()
        const err = await db
          .insertInto('t')
          .values({ seq: 2 })
          .execute()
          .then(
            () => null,
            (e) => e,
          )
        expect(isDatabaseError(err)).toBe(true)
        expect(performance.now() - t0).toBeLessThan(900)
      } finally {
        await pgc.startServer()
      }
    })

    test('a transaction whose connection is lost is not replayed: it fails, nothing of it stays, the next statement works', async () => {
      const { db, url } = await database(30_000)
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        const err = await db
          .transaction()
          .execute(async (trx) => {
            await trx.insertInto('t').values({ seq: 1 }).execute()
            const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
            await admin.query('select pg_terminate_backend($1)', [rows[0].pid])
            await trx.insertInto('t').values({ seq: 2 }).execute()
          })
          .then(
            () => null,
            (e) => e,
          )
        expect(isConnectionLoss(err)).toBe(true)
      } finally {
        await admin.end()
      }
      await db.insertInto('t').values({ seq: 3 }).execute()
      expect(await seqs(db)).toEqual([3])
    })

    test('a refused first connection is reported at once (a wrong URL is not an outage)', async () => {
      pgc ??= await privateCluster()
      const db = openPostgres(`postgres://postgres@127.0.0.1:1/nowhere`, { outageMs: 30_000 })
      open.push(db as unknown as Kysely<any>)
      const t0 = performance.now()
      const err = await sql`select 1`.execute(db).then(
        () => null,
        (e) => e,
      )
      expect(err?.code).toBe('ECONNREFUSED')
      expect(performance.now() - t0).toBeLessThan(5000)
    })
  })
