import { sql } from 'kysely'
import { Migrator, type MigrationResultSet } from 'kysely/migration'
import { isPostgres } from './dialect'
import { migrations } from '../../migrations/index'
import type { DB } from './open'

function migrator(db: DB) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } })
}

/** Applies pending migrations; throws with the failing migration's name. */
export async function migrateToLatest(db: DB): Promise<MigrationResultSet['results']> {
  const { error, results } = await migrator(db).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
  return results ?? []
}

export async function migrationState(db: DB): Promise<{ name: string; executedAt: Date | undefined }[]> {
  const list = await migrator(db).getMigrations()
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt }))
}

/** The migration names the database records, including ones this binary does not know; [] before the first migration. */
export async function recordedMigrations(db: DB): Promise<string[]> {
  const exists = isPostgres(db)
    ? sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name = 'kysely_migration'`
    : sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'kysely_migration'`
  if (!Number((await exists.execute(db)).rows[0]?.n)) return []
  return (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name)
}
