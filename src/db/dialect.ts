import { type Kysely, sql } from 'kysely'

// Where SQLite and PostgreSQL need different SQL, repositories branch on this. Kept apart
// from migrations/dialect.ts on purpose: migrations never import application code.

const known = new WeakMap<object, boolean>()

/** Whether `db` (or a transaction of it) talks to PostgreSQL: its compiler writes $1 where SQLite writes `?`. */
export function isPostgres(db: Kysely<any>): boolean {
  let answer = known.get(db)
  if (answer === undefined) {
    answer = sql`${0}`.compile(db).sql === '$1'
    known.set(db, answer)
  }
  return answer
}

/**
 * The unique rule a failed write broke, or null for any other error. SQLite names the
 * columns ("jobs.playlist_id"), PostgreSQL the constraint or index ("jobs_one_active_per_playlist",
 * SQLSTATE 23505).
 */
export function uniqueViolation(err: unknown): string | null {
  if (!(err instanceof Error)) return null
  const e = err as Error & { code?: unknown; constraint?: unknown }
  if (e.code === '23505') return typeof e.constraint === 'string' ? e.constraint : ''
  const m = /UNIQUE constraint failed: (.+)$/.exec(e.message)
  return m ? m[1] : null
}
