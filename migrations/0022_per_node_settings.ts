import type { Kysely } from 'kysely'

// Values saved on the settings page can hold for one node (its concurrency, its rate limit):
// `node` names it, '' is every node (the rows saved so far). A setting is then unique per
// (node, name). The key was a unique index, not the primary key, so it is replaced in place on
// both stores; no table has to be rebuilt.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('server_settings')
    .addColumn('node', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.dropIndex('server_settings_name').execute()
  await db.schema.createIndex('server_settings_node_name').on('server_settings').columns(['node', 'name']).unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('server_settings').where('node', '<>', '').execute()
  await db.schema.dropIndex('server_settings_node_name').execute()
  await db.schema.createIndex('server_settings_name').on('server_settings').column('name').unique().execute()
  await db.schema.alterTable('server_settings').dropColumn('node').execute()
}
