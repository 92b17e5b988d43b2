import type { PostgresPool, PostgresPoolClient } from 'kysely'
import type pg from 'pg'
import { isConnectionLoss } from './errors'

/** First pause before a statement is tried again on a new connection; it doubles up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 100
const RETRY_MAX_MS = 2000

export interface OutageOptions {
  /** How long statements are held and retried while the server is unreachable; 0: they fail at once. */
  outageMs: number
  log(message: string): void
  /** The database as messages may name it (no password). */
  name: string
}

const BEGINS = /^\s*(begin|start\s+transaction)\b/i
const ENDS = /^\s*(commit|rollback|end|abort)\s*;?\s*$/i

/**
 * The pool Kysely sees: pg's pool behind a FIFO gate of `max` places, which rides out a
 * PostgreSQL restart. When a statement outside a transaction fails because the connection was
 * lost (the server restarted, pg_terminate_backend, a broken socket; not a constraint, not a
 * full disk), the dead client is thrown away and the statement is run again on a new one, with
 * back-off, for up to `outageMs`; then its error goes to the caller (the job engine interrupts
 * the job, as before). Meanwhile the gate holds the statements issued after it, so they still
 * run in the order they were issued: with one connection per process, the order the engine
 * relies on (postgres.ts). A transaction is not replayed: a statement of one fails as before,
 * but one that finds the connection dead at its BEGIN gets a new one.
 *
 * A statement whose connection dropped after the server ran it but before its answer came is
 * run twice. A fast shutdown (pg_ctl restart) answers the statements it cuts off with 57P01, so
 * this needs the connection to break at that very moment; the engine's writes set values, so a
 * second run changes nothing, but a job-log line may appear twice (docs/cluster.md).
 */
export class OutageTolerantPool implements PostgresPool {
  private free: number
  private readonly waiting: (() => void)[] = []
  private everConnected = false
  private outageSince: number | null = null
  private retryMs = RETRY_FIRST_MS
  private closed = false

  constructor(
    private readonly pool: pg.Pool,
    max: number,
    private readonly opts: OutageOptions,
  ) {
    this.free = max
  }

  get options(): object {
    return this.pool.options
  }

  async connect(): Promise<PostgresPoolClient> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    // Kysely's type also allows cursors; yt-serve streams nothing (see HeldConnection.query).
    return new HeldConnection(this) as unknown as PostgresPoolClient
  }

  /** Gives the gate's place to the next statement in line. */
  leave(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.free++
  }

  async end(): Promise<void> {
    this.closed = true
    await this.pool.end()
  }

  /** A pg client for a held place: a new one after a loss, retried like a statement. */
  async client(): Promise<pg.PoolClient> {
    for (;;) {
      try {
        const c = await this.pool.connect()
        this.connected()
        return c
      } catch (err) {
        await this.afterLoss(err)
      }
    }
  }

  private connected(): void {
    this.everConnected = true
    if (this.outageSince === null) return
    this.opts.log(`the connection to ${this.opts.name} is back after ${((Date.now() - this.outageSince) / 1000).toFixed(1)} s`)
    this.outageSince = null
  }

  /** After a failure: resolves when it is worth trying again, throws `err` when it is not. */
  async afterLoss(err: unknown): Promise<void> {
    // Before the first connection, a refusal is a wrong URL or a server not there: say so at once.
    if (!isConnectionLoss(err) || !this.everConnected || this.closed || this.opts.outageMs <= 0) throw err
    const now = Date.now()
    if (this.outageSince === null) {
      this.outageSince = now
      this.opts.log(
        `lost the connection to ${this.opts.name} (${err instanceof Error ? err.message : err}); holding the database work for up to ${this.opts.outageMs / 1000} s while it reconnects`,
      )
      this.retryMs = RETRY_FIRST_MS
    }
    // Past the window every statement fails at once (the jobs are being interrupted) until a connect succeeds.
    if (now - this.outageSince >= this.opts.outageMs) throw err
    await Bun.sleep(Math.min(this.retryMs, this.outageSince + this.opts.outageMs - now))
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
  }
}

/** One place in the gate, from Kysely's connect() to its release(): the statements of one query or transaction. */
class HeldConnection {
  private client: pg.PoolClient | null = null
  private inTransaction = false
  private released = false

  constructor(private readonly gate: OutageTolerantPool) {}

  async query(text: unknown, params?: readonly unknown[]): Promise<any> {
    if (typeof text !== 'string') throw new Error('only SQL text is supported here (no cursors)')
    const ending = ENDS.test(text)
    // The transaction died with its connection (PostgreSQL rolled it back): nothing to end.
    if (ending && this.inTransaction && !this.client) {
      this.inTransaction = false
      return { command: 'ROLLBACK', rowCount: null, rows: [] }
    }
    const replayable = !this.inTransaction
    for (;;) {
      try {
        this.client ??= await this.gate.client()
        const result = await this.client.query(text, params as unknown[])
        if (BEGINS.test(text)) this.inTransaction = true
        else if (ending) this.inTransaction = false
        return result
      } catch (err) {
        if (!isConnectionLoss(err)) throw err
        this.discard()
        if (!replayable) throw err
        await this.gate.afterLoss(err)
      }
    }
  }

  private discard(): void {
    const c = this.client
    this.client = null
    // pg's pool destroys a client released with a truthy argument instead of reusing it.
    c?.release(true)
  }

  release(destroy?: boolean): void {
    if (this.released) return
    this.released = true
    this.client?.release(destroy)
    this.client = null
    this.gate.leave()
  }
}
