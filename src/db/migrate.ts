import { Migrator, type MigrationResultSet } from 'kysely/migration'
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
