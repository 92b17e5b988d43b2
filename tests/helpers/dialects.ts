import { describe } from 'bun:test'
import { migrateToLatest } from '../../src/db/migrate'
import { openDatabase, type DB } from '../../src/db/open'
import { openPostgres } from '../../src/db/postgres'
import { cluster, postgresMissing } from './postgres-cluster'

export interface Dialect {
  name: 'sqlite' | 'postgres'
  /** A fresh, migrated database of its own (SQLite in memory; PostgreSQL: a new database on the test cluster). */
  open(opts?: { connections?: number }): Promise<DB>
  /** A fresh, empty database for a whole app (testContext, a server process): {} for SQLite in DATA_DIR, else DATABASE_URL. */
  env(): Promise<Record<string, string>>
}

export const sqlite: Dialect = {
  name: 'sqlite',
  async open() {
    const db = openDatabase(':memory:')
    await migrateToLatest(db)
    return db
  },
  env: async () => ({}),
}

export const postgres: Dialect = {
  name: 'postgres',
  async open(opts = {}) {
    const db = openPostgres(await (await cluster()).createDatabase(), { max: opts.connections ?? 4 })
    await migrateToLatest(db)
    return db
  },
  env: async () => ({ DATABASE_URL: await (await cluster()).createDatabase() }),
}

/**
 * Declares the tests `fn` declares once per dialect: `name [sqlite]` and `name [postgres]`.
 * Without PostgreSQL server binaries the postgres copy is skipped, its name saying why.
 */
export function forEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  describe(`${name} [sqlite]`, () => fn(sqlite))
  const missing = postgresMissing()
  if (missing) describe.skip(`${name} [postgres] (skipped: ${missing})`, () => fn(postgres))
  else describe(`${name} [postgres]`, () => fn(postgres))
}
