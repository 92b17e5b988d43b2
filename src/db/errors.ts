/** SQLSTATE classes of a PostgreSQL server that cannot take the write, whatever it was: connection (08), resources such as a full disk (53), operator intervention such as a shutdown (57), system (58), internal (XX). */
const PG_UNAVAILABLE = /^(08|53|57|58|XX)/
/** The socket to PostgreSQL failed, or pg gave up on it (these carry no SQLSTATE). */
const PG_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'])
const PG_GONE = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/

/**
 * An error raised by the database itself rather than by the query: SQLite's codes
 * (bun:sqlite sets `code`: SQLITE_FULL, SQLITE_IOERR_…, SQLITE_READONLY, …), or a PostgreSQL
 * server that is gone, full or shutting down. The database did not take a read or write.
 */
export function isDatabaseError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false
  const code: unknown = (err as Error & { code?: unknown }).code
  if (typeof code === 'string' && (code.startsWith('SQLITE_') || PG_SOCKET.has(code) || (code.length === 5 && PG_UNAVAILABLE.test(code)))) return true
  if (PG_GONE.test(err.message)) {
    ;(err as Error & { code?: string }).code ??= 'PG_CONNECTION'
    return true
  }
  return false
}

/** The server went away (admin_shutdown 57P01, crash_shutdown 57P02) or is not taking connections yet (cannot_connect_now 57P03). */
const PG_GOING_AWAY = new Set(['57P01', '57P02', '57P03'])

/**
 * A PostgreSQL connection that is lost, or cannot be made now: a new connection may well take
 * the statement (the server restarting). Not a full disk (53…), not a constraint, not a
 * statement the server refused: those would fail again.
 */
export function isConnectionLoss(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code: unknown = (err as Error & { code?: unknown }).code
  if (typeof code === 'string' && (PG_SOCKET.has(code) || PG_GOING_AWAY.has(code) || /^08/.test(code))) return true
  // A Unix socket whose file is gone while the server is down.
  if (code === 'ENOENT' && /\.s\.PGSQL\./.test(err.message)) return true
  return PG_GONE.test(err.message)
}
