import type { Kysely } from 'kysely'
import { id } from './dialect'

// Adds the per-job event log ("check the backend logs" without a shell) and the
// throttled snapshot of running items, so another process (the CLI's status) can see them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_events')
    .addColumn('id', 'integer', id(db))
    .addColumn('job_id', 'integer', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('job_events_job').on('job_events').columns(['job_id', 'id']).execute()
  await db.schema.alterTable('jobs').addColumn('current', 'text').execute()
  await db.schema
    .alterTable('jobs')
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('priority').execute()
  await db.schema.alterTable('jobs').dropColumn('current').execute()
  await db.schema.dropTable('job_events').execute()
}
