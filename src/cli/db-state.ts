import { existsSync } from 'node:fs'
import { sql } from 'kysely'
import { migrateToLatest, migrationState } from '../db/migrate'
import { openDatabase, type DB } from '../db/open'

export interface MigrationReport {
  applied: string[]
  pending: string[]
  /** Recorded in the database but unknown to this binary: written by a newer yt-serve. */
  unknown: string[]
}

/** Read-only: what the migration table says, compared with the migrations compiled in. */
export async function readMigrations(db: DB): Promise<MigrationReport> {
  const known = await migrationState(db)
  const table = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db)
  const recorded = table.rows[0]?.n ? (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name) : []
  const names = new Set(known.map((m) => m.name))
  return {
    applied: known.filter((m) => m.executedAt).map((m) => m.name),
    pending: known.filter((m) => !m.executedAt).map((m) => m.name),
    unknown: recorded.filter((n) => !names.has(n)),
  }
}

/**
 * Opens an existing database for reading; null when there is none (nothing is created).
 * Pending migrations are applied only when there are some: a database at the latest
 * version is never written to.
 */
export async function openExisting(path: string, onMigrated: (names: string[]) => void = () => {}): Promise<DB | null> {
  if (!existsSync(path)) return null
  const db = openDatabase(path)
  try {
    const state = await readMigrations(db)
    if (state.unknown.length)
      throw new Error(`the database ${path} was written by a newer yt-serve (unknown migrations: ${state.unknown.join(', ')}); upgrade yt-serve`)
    if (state.pending.length) {
      await migrateToLatest(db)
      onMigrated(state.pending)
    }
    return db
  } catch (err) {
    await db.destroy()
    throw err
  }
}
