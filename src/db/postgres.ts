import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './types'

/** PostgreSQL's type ids the pool reads differently from pg's defaults. */
const INT8 = 20

/**
 * count(*) and sum() are bigints, which pg hands over as strings to keep their precision.
 * yt-serve's counts stay far below 2^53, and the code compares them as numbers (SQLite's
 * are), so this pool reads them as numbers. Per pool, not pg's global parser table.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v)
    return pg.types.getTypeParser(oid, format)
  },
}

/**
 * Kysely over node-postgres (`pg`): Kysely's own PostgreSQL dialect, pure JavaScript, and
 * it works inside `bun build --compile` (tests/cli/binary.test.ts runs it there).
 * `url` is a postgres:// or postgresql:// URL (DATABASE_URL); it may hold a password, so it
 * is never logged.
 */
export function openPostgres(url: string, opts: { max?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: opts.max ?? 10,
    // A server that is down or unreachable fails the first query instead of hanging it.
    connectionTimeoutMillis: 10_000,
    application_name: 'yt-serve',
  })
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', () => {})
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}
