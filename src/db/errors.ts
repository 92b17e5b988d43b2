/**
 * An error raised by SQLite itself (bun:sqlite sets `code`: SQLITE_FULL, SQLITE_IOERR_…,
 * SQLITE_READONLY, …): the database did not take a read or write, whatever the query was.
 */
export function isDatabaseError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined
  return typeof code === 'string' && code.startsWith('SQLITE_')
}
