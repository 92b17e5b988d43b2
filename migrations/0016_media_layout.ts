import { id } from './dialect'
import type { Kysely } from 'kysely'

// Media-server layouts (issue 14). Each playlist keeps its own layout and naming template;
// existing ones stay 'plain', today's names. The description feeds the episode NFOs. A
// "relayout" job counts its moves on the job row, and records each move in file_moves before
// the rename, so a crash in between is settled at the next start (finished or undone).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('playlists')
    .addColumn('library_layout', 'text', (c) => c.notNull().defaultTo('plain'))
    .execute()
  await db.schema.alterTable('playlists').addColumn('name_template', 'text').execute()
  await db.schema.alterTable('videos').addColumn('description', 'text').execute()
  await db.schema
    .alterTable('jobs')
    .addColumn('move_total', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('jobs')
    .addColumn('move_completed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createTable('file_moves')
    .addColumn('id', 'integer', id(db))
    .addColumn('job_id', 'integer', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('video_id', 'integer', (c) => c.references('videos.id').onDelete('cascade'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('from_path', 'text', (c) => c.notNull())
    .addColumn('to_path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('file_moves_job').on('file_moves').column('job_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file_moves').execute()
  await db.schema.alterTable('jobs').dropColumn('move_completed').execute()
  await db.schema.alterTable('jobs').dropColumn('move_total').execute()
  await db.schema.alterTable('videos').dropColumn('description').execute()
  await db.schema.alterTable('playlists').dropColumn('name_template').execute()
  await db.schema.alterTable('playlists').dropColumn('library_layout').execute()
}
