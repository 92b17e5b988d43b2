import { existsSync } from 'node:fs'
import type { Config } from '../config'
import { migrateToLatest, migrationState, recordedMigrations } from '../db/migrate'
import { openDatabase, type DB } from '../db/open'
import { openPostgresChecked } from '../db/postgres'
import { dbPath, storeName } from '../server'

export interface MigrationReport {
  applied: string[]
  pending: string[]
  /** Recorded in the database but unknown to this binary: written by a newer yt-serve. */
  unknown: string[]
}

/** Read-only: what the migration table says, compared with the migrations compiled in. */
export async function readMigrations(db: DB): Promise<MigrationReport> {
  const known = await migrationState(db)
  const recorded = await recordedMigrations(db)
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
export async function openExisting(config: Config, onMigrated: (names: string[]) => void = () => {}): Promise<DB | null> {
  const path = storeName(config)
  if (!config.databaseUrl && !existsSync(path)) return null
  // A PostgreSQL database always exists (its administrator made it), if only empty.
  const db = config.databaseUrl ? await openPostgresChecked(config.databaseUrl) : openDatabase(path)
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

/** Opens the configured store as it is, creating an SQLite file if there is none; nothing is migrated. */
export async function openStore(config: Config): Promise<DB> {
  return config.databaseUrl ? openPostgresChecked(config.databaseUrl) : openDatabase(dbPath(config))
}

/** Whether there is a database to work on: a PostgreSQL one always is, an SQLite file once created. */
export const storeExists = (config: Config): boolean => config.databaseUrl !== null || existsSync(dbPath(config))
