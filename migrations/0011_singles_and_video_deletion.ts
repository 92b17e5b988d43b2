import { sql, type Kysely } from 'kysely'

// Paste and go. `singles` marks the one built-in collection that single videos join (a
// partial unique index keeps it one). `delete_videos` on a playlist is the default for its
// jobs, on a job the choice it runs with: after a valid extraction, the video files that
// job downloaded are deleted. `video_deleted_at` says a video file is gone on purpose, so
// a file check does not call it missing and no job downloads it again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('playlists')
    .addColumn('singles', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('playlists')
    .addColumn('delete_videos', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('jobs')
    .addColumn('delete_videos', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('videos').addColumn('video_deleted_at', 'text').execute()
  await sql`create unique index playlists_one_singles on playlists (singles) where singles = 1`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index playlists_one_singles`.execute(db)
  await db.schema.alterTable('videos').dropColumn('video_deleted_at').execute()
  await db.schema.alterTable('jobs').dropColumn('delete_videos').execute()
  await db.schema.alterTable('playlists').dropColumn('delete_videos').execute()
  await db.schema.alterTable('playlists').dropColumn('singles').execute()
}
