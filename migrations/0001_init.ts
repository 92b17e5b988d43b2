import { type Kysely, sql } from 'kysely'
import { float, id, isPostgres } from './dialect'

// Frozen in time: migrations never import application code.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)
  await db.schema
    .createTable('playlists')
    .addColumn('id', 'integer', id(db))
    // PostgreSQL would name this unique column playlists_url_key, the name 0006 gives its url_key index.
    .addColumn('url', 'text', (c) => (pg ? c.notNull() : c.notNull().unique()))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('folder', 'text', (c) => c.notNull().unique())
    .addColumn('uploader', 'text')
    // Per-playlist overrides; null means "use the server's AUDIO_FORMAT / AUDIO_QUALITY".
    .addColumn('audio_format', 'text')
    .addColumn('audio_quality', 'integer')
    .addColumn('sync_interval', 'text', (c) => c.notNull().defaultTo('off'))
    .addColumn('next_sync_at', 'text')
    .addColumn('indexed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .$call((t) => (pg ? t.addUniqueConstraint('playlists_url_unique', ['url']) : t))
    .execute()

  await db.schema
    .createTable('videos')
    .addColumn('id', 'integer', id(db))
    .addColumn('playlist_id', 'integer', (c) => c.notNull().references('playlists.id').onDelete('cascade'))
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('uploader', 'text')
    .addColumn('duration', float(db))
    .addColumn('source_url', 'text', (c) => c.notNull())
    .addColumn('thumbnail_url', 'text')
    .addColumn('upload_date', 'text')
    .addColumn('download_state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('extract_state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('video_path', 'text')
    .addColumn('audio_path', 'text')
    .addColumn('error', 'text')
    .addColumn('download_job_id', 'integer')
    .addColumn('extract_job_id', 'integer')
    // Set when an index no longer lists the entry upstream; rows and files are never deleted for it.
    .addColumn('missing_since', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('videos_playlist_source_unique', ['playlist_id', 'source_id'])
    .execute()
  await db.schema.createIndex('videos_playlist_position').on('videos').columns(['playlist_id', 'position']).execute()

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'integer', id(db))
    .addColumn('playlist_id', 'integer', (c) => c.notNull().references('playlists.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('download_status', 'text')
    .addColumn('download_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('download_completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('download_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('download_batch_info', 'text')
    .addColumn('extract_status', 'text')
    .addColumn('extract_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extract_completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extract_failed', 'integer', (c) => c.notNull().defaultTo(0))
    // Legacy overall counters kept for old clients (seed: "Backward Compatibility").
    .addColumn('progress', float(db), (c) => c.notNull().defaultTo(0))
    .addColumn('total_items', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed_items', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('jobs_status').on('jobs').column('status').execute()
  await db.schema.createIndex('jobs_playlist').on('jobs').columns(['playlist_id', 'id']).execute()

  // At most one active job per playlist, enforced by the database itself so racing requests cannot both win.
  await sql`CREATE UNIQUE INDEX jobs_one_active_per_playlist ON jobs(playlist_id) WHERE status IN ('queued', 'running', 'paused')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute()
  await db.schema.dropTable('videos').execute()
  await db.schema.dropTable('playlists').execute()
}
