import { describe, expect, test } from 'bun:test'
import pg from 'pg'
import { announceWork, readSignal, WORK_CHANNEL } from '../../src/db/work-signal'
import { openPostgres } from '../../src/db/postgres'
import { ListenWake, PollWake } from '../../src/jobs/wake'
import { cluster, postgresMissing } from '../helpers/postgres-cluster'
import { waitUntil } from '../helpers/server-process'

// ListenWake against a real server: a NOTIFY from another connection wakes an idle node long
// before its poll, and the LISTEN connection comes back after the server drops it.

const LONG_POLL_MS = 60_000

/** A database URL with a password in it (the test cluster trusts everyone): no log line may show it. */
async function urlWithPassword(): Promise<string> {
  const u = new URL(await (await cluster()).createDatabase())
  u.password = 'not-to-be-seen'
  return u.toString()
}

async function admin(url: string): Promise<pg.Client & AsyncDisposable> {
  const c = new pg.Client({ connectionString: url }) as pg.Client & AsyncDisposable
  await c.connect()
  c[Symbol.asyncDispose] = () => c.end()
  return c
}

/** How long `next()` took to resolve after `poke` ran; its interval is LONG_POLL_MS. */
async function wokenAfter(wake: ListenWake, poke: () => Promise<unknown>): Promise<number> {
  const woken = wake.next()
  const t0 = performance.now()
  await poke()
  await woken
  return performance.now() - t0
}

test('readSignal takes what announceWork sends and nothing else', () => {
  expect(readSignal('{"from":"w2","job":7}')).toEqual({ from: 'w2', job: 7 })
  expect(readSignal('{"from":"w2"}')).toEqual({ from: 'w2' })
  expect(readSignal('{"from":"w2","job":"7"}')).toEqual({ from: 'w2' })
  for (const bad of ['', 'work', '{}', '{"from":3}', 'null', '[1]', undefined]) expect(readSignal(bad)).toBeNull()
})

test('PollWake: a notify that came while nobody waited wakes the next wait at once', async () => {
  const wake = new PollWake(LONG_POLL_MS)
  wake.notify()
  const t0 = performance.now()
  await wake.next()
  expect(performance.now() - t0).toBeLessThan(1000)
  const waiting = wake.next()
  await wake.stop()
  await waiting
})

const missing = postgresMissing()
if (missing) describe('ListenWake on PostgreSQL', () => test.skip(`skipped: ${missing}`, () => {}))
else
  describe('ListenWake on PostgreSQL', () => {
    test('a NOTIFY from another connection wakes next() long before the poll; its own are ignored', async () => {
      const url = await urlWithPassword()
      const logs: string[] = []
      const wake = new ListenWake(url, LONG_POLL_MS, 'me', (m) => logs.push(m))
      try {
        await waitUntil('the LISTEN to run', async () => wake.listening)
        await using other = await admin(url)
        const viaClient = await wokenAfter(wake, () => other.query('select pg_notify($1, $2)', [WORK_CHANNEL, JSON.stringify({ from: 'w2', job: 1 })]))
        expect(viaClient).toBeLessThan(2000)
        // What the engine sends (announceWork over the Kysely pool) wakes it too.
        const db = openPostgres(url)
        try {
          const viaPool = await wokenAfter(wake, () => announceWork(db, { from: 'w3', job: 2 }))
          expect(viaPool).toBeLessThan(2000)
          // This node's own announcement, then a short wait: it is the short wait that ends it.
          await announceWork(db, { from: 'me', job: 3 })
          const t0 = performance.now()
          await wake.next(300)
          expect(performance.now() - t0).toBeGreaterThanOrEqual(290)
          console.log(
            `ListenWake: woken ${viaClient.toFixed(1)} ms after a NOTIFY from another connection, ${viaPool.toFixed(1)} ms after announceWork (poll ${LONG_POLL_MS / 1000} s)`,
          )
        } finally {
          await db.destroy()
        }
      } finally {
        await wake.stop()
      }
      expect(logs).toEqual([])
    })

    test('the listener survives pg_terminate_backend of its connection: it reconnects, wakes the node, and is woken again', async () => {
      const url = await urlWithPassword()
      const logs: string[] = []
      const wake = new ListenWake(url, LONG_POLL_MS, 'me', (m) => logs.push(m))
      try {
        await waitUntil('the LISTEN to run', async () => wake.listening)
        await using other = await admin(url)
        const backend = async () =>
          (await other.query(`select pid from pg_stat_activity where application_name = 'yt-serve listen' and datname = current_database()`)).rows
        const [{ pid }] = await backend()
        // The reconnect itself wakes the node: what was announced while it was gone went unheard.
        const restored = await wokenAfter(wake, () => other.query('select pg_terminate_backend($1)', [pid]))
        expect(restored).toBeLessThan(10_000)
        expect(wake.listening).toBe(true)
        const after = await backend()
        expect(after).toHaveLength(1)
        expect(after[0].pid).not.toBe(pid)
        const woken = await wokenAfter(wake, () => other.query('select pg_notify($1, $2)', [WORK_CHANNEL, JSON.stringify({ from: 'w2' })]))
        expect(woken).toBeLessThan(2000)
        console.log(`ListenWake: listening again ${restored.toFixed(0)} ms after pg_terminate_backend; then woken ${woken.toFixed(1)} ms after a NOTIFY`)
      } finally {
        await wake.stop()
      }
      expect(logs.length).toBe(2)
      expect(logs[0]).toStartWith('the work notifications from PostgreSQL stopped (')
      expect(logs[1]).toBe('the work notifications from PostgreSQL are back')
      for (const l of logs) expect(l).not.toContain('not-to-be-seen')
    })

    test('stop() closes the LISTEN connection', async () => {
      const url = await urlWithPassword()
      const wake = new ListenWake(url, LONG_POLL_MS, 'me', () => {})
      await waitUntil('the LISTEN to run', async () => wake.listening)
      await using other = await admin(url)
      const count = async () =>
        Number(
          (await other.query(`select count(*) as n from pg_stat_activity where application_name = 'yt-serve listen' and datname = current_database()`)).rows[0]
            .n,
        )
      expect(await count()).toBe(1)
      const waiting = wake.next()
      await wake.stop()
      await waiting
      await waitUntil('the connection to be gone', async () => (await count()) === 0)
    })
  })
