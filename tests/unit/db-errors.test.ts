import { describe, expect, test } from 'bun:test'
import { sql } from 'kysely'
import { isDatabaseError } from '../../src/db/errors'
import { openPostgres } from '../../src/db/postgres'
import { cluster, postgresMissing } from '../helpers/postgres-cluster'

// A database error (the store did not take the write) interrupts a job resumably; any other
// error fails it. PostgreSQL's kinds must land on the same side as SQLite's.
test('which errors are the database failing, not the query', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code })
  expect(isDatabaseError(coded('SQLITE_FULL'))).toBe(true)
  expect(isDatabaseError(coded('53100'))).toBe(true) // disk full
  expect(isDatabaseError(coded('57P01'))).toBe(true) // admin shutdown
  expect(isDatabaseError(coded('08006'))).toBe(true) // connection failure
  expect(isDatabaseError(coded('ECONNREFUSED'))).toBe(true)
  expect(isDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true)
  expect(isDatabaseError(coded('23505'))).toBe(false) // a unique violation is the query's
  expect(isDatabaseError(coded('42P01'))).toBe(false) // no such table: a bug, not the store
  expect(isDatabaseError(new Error('anything else'))).toBe(false)
})

describe.skipIf(postgresMissing() !== null)('on a real server', () => {
  test("a connection the server ends (an administrator's pg_terminate_backend) is a database error", async () => {
    const url = await (await cluster()).createDatabase()
    const db = openPostgres(url)
    const admin = openPostgres(url)
    try {
      // Inside a transaction the query must use that very connection, whenever pg notices its end.
      const err = await db
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)
          await sql`select pg_terminate_backend(${rows[0].pid})`.execute(admin)
          await sql`select 1`.execute(trx)
        })
        .then(
          () => null,
          (e: unknown) => e,
        )
      expect(err).toBeInstanceOf(Error)
      expect(isDatabaseError(err)).toBe(true)
    } finally {
      await Promise.all([db.destroy(), admin.destroy()])
    }
  })
})
