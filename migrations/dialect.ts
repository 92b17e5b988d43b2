import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely'

// The two stores a migration runs on: SQLite (DATA_DIR/yt-serve.db) and PostgreSQL
// (DATABASE_URL). Migrations never import application code, so this helper lives here and
// stays as small as the differences are. See RULES.md beside it.

const known = new WeakMap<object, boolean>()

/**
 * Whether `db` talks to PostgreSQL. Public API only: the dialect's own compiler numbers
 * parameters ($1) where SQLite writes `?`.
 */
export function isPostgres(db: Kysely<any>): boolean {
  let answer = known.get(db)
  if (answer === undefined) {
    answer = sql`${0}`.compile(db).sql === '$1'
    known.set(db, answer)
  }
  return answer
}

/**
 * An autoincrementing primary key: `integer primary key autoincrement` on SQLite (as every
 * SQLite archive has it), an identity column on PostgreSQL. "By default", so a copied
 * archive (migrate-db) can insert its own ids.
 */
export const id =
  (db: Kysely<any>) =>
  (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    isPostgres(db) ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey().autoIncrement()

/** A float: SQLite's `real` is 8 bytes, PostgreSQL's 4 (a 1234.5678 s duration would come back 1234.568). */
export const float = (db: Kysely<any>) => (isPostgres(db) ? 'double precision' : 'real')
