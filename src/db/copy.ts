import { sql } from 'kysely'
import { isPostgres } from './dialect'
import type { DB } from './open'
import type { Database } from './types'

/**
 * Every table of an archive, parents before children (jobs → playlists, job_events → jobs),
 * each with the unique column its rows are read in order of. The migration bookkeeping
 * (kysely_migration) is not copied: the target is migrated by the same binary.
 */
const TABLES = [
  ['playlists', 'id'],
  ['videos', 'id'],
  ['jobs', 'id'],
  ['job_events', 'id'],
  ['sessions', 'id_hash'],
  ['ytdlp_state', 'id'],
  ['server_settings', 'id'],
  ['file_moves', 'id'],
  // Its key is (video_id, position); each split file has its own path.
  ['chapter_files', 'path'],
] as const satisfies readonly (readonly [keyof Database, string])[]

/** Tables a new database starts without: who is alive now, not the archive (nodes re-register on start). */
export const NOT_COPIED = ['nodes', 'cluster_leases'] as const satisfies readonly (keyof Database)[]
export const COPIED = TABLES.map(([t]) => t)

export type TableName = (typeof TABLES)[number][0]
export type RowCounts = Record<TableName, number>

/** Tables whose ids come from an identity sequence on PostgreSQL. */
const IDENTITY: TableName[] = ['playlists', 'videos', 'jobs', 'job_events', 'server_settings', 'file_moves']

/** Rows per read and per insert: 500 rows × ~30 columns stays far below PostgreSQL's 65,535 parameters. */
const BATCH = 500

export async function rowCounts(db: DB): Promise<RowCounts> {
  const out = {} as RowCounts
  for (const [table] of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    out[table] = Number(row.n)
  }
  return out
}

/**
 * Copies every row of `from` (an SQLite archive) into `to` (a migrated, empty PostgreSQL
 * database) in one transaction, keeping the ids; then moves each identity sequence past the
 * largest id, so the next insert does not collide with a copied row. Returns the counts
 * copied; throws (and `to` keeps nothing) when they do not match the source's afterwards.
 */
export async function copyArchive(from: DB, to: DB, progress: (table: TableName, copied: number) => void = () => {}): Promise<RowCounts> {
  if (!isPostgres(to)) throw new Error('the copy goes into PostgreSQL only')
  const expected = await rowCounts(from)
  await to.transaction().execute(async (trx) => {
    for (const [table, key] of TABLES) {
      let last: string | number | null = null
      let copied = 0
      for (;;) {
        let q = from.selectFrom(table).selectAll().orderBy(key).limit(BATCH)
        // Keyset paging: each batch starts after the last key read, whatever the table's size.
        if (last !== null) q = q.where(key as never, '>', last as never)
        const rows = (await q.execute()) as Record<string, unknown>[]
        if (rows.length === 0) break
        await trx
          .insertInto(table)
          .values(rows as never)
          .execute()
        copied += rows.length
        last = rows.at(-1)![key] as string | number
        progress(table, copied)
      }
    }
    for (const table of IDENTITY)
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(trx)
    const got = await rowCounts(trx)
    const wrong = TABLES.filter(([t]) => got[t] !== expected[t]).map(([t]) => `${t}: ${got[t]} copied of ${expected[t]}`)
    if (wrong.length) throw new Error(`the copy does not match the source (${wrong.join(', ')}); nothing was kept`)
  })
  return expected
}
