import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Database } from './types'
import { Unavailable } from '../errors'
import { OutageTolerantPool } from './postgres-pool'

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
 *
 * One connection per process by default, as SQLite has: statements then run one at a time
 * in the order they were issued. The job engine relies on that: its item writes run beside
 * yt-dlp's output without being awaited one by one ("downloading", then "downloaded"), and
 * on a pool of several connections the second could commit before the first. Processes
 * (cluster nodes) still run side by side; the database's constraints arbitrate between them.
 */
export interface PostgresOptions {
  max?: number
  /** How long a lost connection is waited for, its statements held (OutageTolerantPool); default 0: they fail at once. */
  outageMs?: number
  log?: (message: string) => void
}

export function openPostgres(url: string, opts: PostgresOptions = {}): Kysely<Database> {
  const max = opts.max ?? 1
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max,
    // No limit on the wait for the connection: behind a long transaction (a large index) a
    // query waits its turn, as on SQLite. openPostgresChecked bounds the first connect instead.
    connectionTimeoutMillis: 0,
    keepAlive: true,
    application_name: 'yt-serve',
  })
  // A server that ends a connection (restart, pg_terminate_backend) makes pg emit 'error': on the
  // pool for an idle client (which the pool then drops), on the client itself while it is checked
  // out. Unhandled, either would end the process; handled here, the next query on that client
  // fails instead: OutageTolerantPool runs it again on a new connection while the outage window
  // lasts, and after it the job engine interrupts the jobs as on a full disk (isDatabaseError).
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  const gate = new OutageTolerantPool(pool, max, { outageMs: opts.outageMs ?? 0, log: opts.log ?? (() => {}), name: describePostgres(url) })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: gate }) })
}

/** The URL as logs and messages may show it: user, host, port and database, never the password or options. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url)
    const host = u.hostname || u.searchParams.get('host') || 'localhost'
    return `postgres://${u.username ? `${decodeURIComponent(u.username)}@` : ''}${host}${u.port ? `:${u.port}` : ''}${u.pathname}`
  } catch {
    return 'the PostgreSQL database in DATABASE_URL'
  }
}

const CONNECT_TIMEOUT_MS = 10_000

/** Opens DATABASE_URL and checks the server answers; Unavailable (never showing the password) when it does not. */
export async function openPostgresChecked(url: string, opts: Omit<PostgresOptions, 'max'> = {}): Promise<Kysely<Database>> {
  const db = openPostgres(url, opts)
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    // A host that drops packets would keep the first connect waiting for minutes.
    const tooLong = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS)
    })
    await Promise.race([sql`select 1`.execute(db), tooLong])
    return db
  } catch (err) {
    // Not awaited: a connect still pending would hold it up.
    void db.destroy().catch(() => {})
    const why = err instanceof Error ? err.message : String(err)
    throw new Unavailable(`cannot use the PostgreSQL database ${describePostgres(url)} (DATABASE_URL): ${why.replaceAll(url, '…')}`)
  } finally {
    clearTimeout(timer)
  }
}

/** The server's version ("15.18 (Debian 15.18-0+deb12u1)"), for doctor. */
export async function serverVersion(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)
  return rows[0]?.v ?? 'unknown'
}
