import type { Kysely } from 'kysely'

// Cluster mode (issue 15): several processes or machines share one database. Each node has a
// row it renews (its heartbeat); an item in flight carries a lease (owner node, expiry) so a
// dead node's items go back to the others; a job names the node that plans and counts it; and
// chores that must run once cluster-wide (scheduled syncs) hold a named lease.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('nodes')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('ytdlp_version', 'text')
    .addColumn('lease_seconds', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('stopped_at', 'text')
    .addColumn('backoff', 'text')
    .execute()
  await db.schema.alterTable('videos').addColumn('lease_node', 'text').execute()
  await db.schema.alterTable('videos').addColumn('lease_until', 'text').execute()
  await db.schema.alterTable('videos').addColumn('live_progress', 'text').execute()
  await db.schema.createIndex('videos_lease_node').on('videos').column('lease_node').execute()
  await db.schema.alterTable('jobs').addColumn('node', 'text').execute()
  await db.schema
    .createTable('cluster_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cluster_leases').execute()
  await db.schema.alterTable('jobs').dropColumn('node').execute()
  await db.schema.dropIndex('videos_lease_node').execute()
  await db.schema.alterTable('videos').dropColumn('live_progress').execute()
  await db.schema.alterTable('videos').dropColumn('lease_until').execute()
  await db.schema.alterTable('videos').dropColumn('lease_node').execute()
  await db.schema.dropTable('nodes').execute()
}
