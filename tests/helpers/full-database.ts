import { sql } from 'kysely'
import type { DB } from '../../src/db/open'

const TRIGGERS = [
  ['videos', 'UPDATE'],
  ['jobs', 'UPDATE'],
  ['job_events', 'INSERT'],
] as const

/**
 * Makes the database behave like one on a full disk, without filling one: every write to
 * the job tables also needs new pages, and max_page_count (per connection, so only the
 * server's own) allows none. SQLite answers SQLITE_FULL, as it would with ENOSPC.
 * Returns the function that gives the space back.
 */
export async function fillDatabase(db: DB): Promise<() => Promise<void>> {
  await sql`CREATE TABLE test_ballast (b BLOB)`.execute(db)
  for (const [table, event] of TRIGGERS)
    await sql.raw(`CREATE TRIGGER test_full_${table} BEFORE ${event} ON ${table} BEGIN INSERT INTO test_ballast VALUES (zeroblob(65536)); END`).execute(db)
  const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)
  await sql.raw(`PRAGMA max_page_count = ${rows[0].page_count}`).execute(db)
  return async () => {
    await sql.raw('PRAGMA max_page_count = 4294967294').execute(db)
    for (const [table] of TRIGGERS) await sql.raw(`DROP TRIGGER test_full_${table}`).execute(db)
    await sql`DROP TABLE test_ballast`.execute(db)
  }
}
