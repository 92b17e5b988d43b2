import { sql } from 'kysely'
import pg from 'pg'
import { isPostgres } from './dialect'
import type { DB } from './open'

// Cluster nodes tell each other that work appeared (PostgreSQL's LISTEN/NOTIFY). A signal is
// only a hint to look now: the rows stay the truth, and every node still polls as a safety net.
// Channels are per database, so clusters sharing one server never hear each other.

export const WORK_CHANNEL = 'yt_serve_work'

/** What a notification carries: who sent it and, when known, the job. Small (NOTIFY allows 8000 bytes) and nothing secret. */
export interface WorkSignal {
  from: string
  job?: number
}

/**
 * Tells the other nodes to look for work now. Sent on the caller's connection, so it is
 * delivered after the writes queued before it (one connection per process: their order).
 * SQLite has no one to tell.
 */
export async function announceWork(db: DB, signal: WorkSignal): Promise<void> {
  if (!isPostgres(db)) return
  await sql`select pg_notify(${WORK_CHANNEL}, ${JSON.stringify(signal)})`.execute(db)
}

/** A payload as sent by announceWork, or null: anyone with access to the database may NOTIFY. */
export function readSignal(payload: string | undefined): WorkSignal | null {
  try {
    const v: unknown = JSON.parse(payload ?? '')
    if (!v || typeof v !== 'object') return null
    const { from, job } = v as Record<string, unknown>
    if (typeof from !== 'string') return null
    return Number.isSafeInteger(job) ? { from, job: job as number } : { from }
  } catch {
    return null
  }
}

export interface WorkListener {
  /** LISTENing now (false while reconnecting). */
  readonly listening: boolean
  close(): Promise<void>
}

export interface ListenOptions {
  /** A signal arrived. */
  onSignal(signal: WorkSignal): void
  /** LISTENing again after a loss: signals sent meanwhile were missed, so look now. */
  onRestored(): void
  log(message: string): void
}

const FIRST_RETRY_MS = 250
const MAX_RETRY_MS = 10_000

/**
 * A dedicated connection that LISTENs on the work channel. Not one of the pool's: the pool has
 * one connection per process (postgres.ts), and a LISTEN needs its session for as long as it
 * runs. When the server drops it (a restart, pg_terminate_backend), it reconnects with
 * back-off; meanwhile the caller's poll goes on. `url` may hold a password: no message shows it.
 */
export function listenForWork(url: string, opts: ListenOptions): WorkListener {
  let client: pg.Client | null = null
  let closed = false
  let listening = false
  let everListened = false
  let lost = false
  let retryMs = FIRST_RETRY_MS
  let timer: ReturnType<typeof setTimeout> | null = null
  const clean = (err: unknown) => (err instanceof Error ? err.message : String(err)).replaceAll(url, '…')

  const dropped = (c: pg.Client, why: string) => {
    if (client !== c) return
    client = null
    listening = false
    void c.end().catch(() => {})
    if (closed) return
    if (!lost) opts.log(`the work notifications from PostgreSQL stopped (${why}); polling until they are back`)
    lost = true
    timer = setTimeout(connect, retryMs)
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS)
  }

  const connect = async () => {
    timer = null
    if (closed) return
    const c = new pg.Client({ connectionString: url, application_name: 'yt-serve listen', keepAlive: true, connectionTimeoutMillis: 10_000 })
    client = c
    c.on('notification', (msg) => {
      if (msg.channel !== WORK_CHANNEL) return
      const signal = readSignal(msg.payload)
      if (signal) opts.onSignal(signal)
    })
    // Unhandled, an 'error' would end the process; 'end' follows it, or comes alone on a clean close.
    c.on('error', (err) => dropped(c, clean(err)))
    c.on('end', () => dropped(c, 'the connection ended'))
    try {
      await c.connect()
      await c.query(`LISTEN ${WORK_CHANNEL}`)
    } catch (err) {
      dropped(c, clean(err))
      return
    }
    if (closed || client !== c) return void c.end().catch(() => {})
    listening = true
    retryMs = FIRST_RETRY_MS
    if (lost) opts.log('the work notifications from PostgreSQL are back')
    lost = false
    if (everListened) opts.onRestored()
    everListened = true
  }

  void connect()
  return {
    get listening() {
      return listening
    },
    async close() {
      closed = true
      listening = false
      if (timer) clearTimeout(timer)
      const c = client
      client = null
      await c?.end().catch(() => {})
    },
  }
}
