import type { Kysely } from 'kysely'
import { id } from './dialect'

// Settings changed on the settings page while the server runs (concurrency, rate limit,
// download window, audio defaults, notify URL): one row per setting, its text as the
// environment variable would hold it, parsed by src/config.ts like the environment is.
// Keyed by name alone for now; when several nodes share the database, the per-node ones
// (concurrency, rate limit, proxy) need a node column in this key.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('server_settings')
    .addColumn('id', 'integer', id(db))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('server_settings_name').on('server_settings').column('name').unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('server_settings').execute()
}
