import type { Kysely } from 'kysely'

// Retention. On playlists: `keep_newest` and `delete_videos_after_days` (null: the server's
// KEEP_NEWEST / DELETE_VIDEOS_AFTER_DAYS; 0: off) and `keep_audio` (null: KEEP_AUDIO; 0/1).
// On videos: `downloaded_at`, what "after D days" counts from; `pruned_at`, when retention
// took the entry's files (its download_state is then 'pruned'); `restored_at`, when the user
// asked for a pruned entry back, which keeps it out of every later prune.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('playlists')
    .addColumn('keep_newest', 'integer', (c) => c.defaultTo(null))
    .execute()
  await db.schema
    .alterTable('playlists')
    .addColumn('delete_videos_after_days', 'integer', (c) => c.defaultTo(null))
    .execute()
  await db.schema
    .alterTable('playlists')
    .addColumn('keep_audio', 'integer', (c) => c.defaultTo(null))
    .execute()
  await db.schema
    .alterTable('videos')
    .addColumn('downloaded_at', 'text', (c) => c.defaultTo(null))
    .execute()
  await db.schema
    .alterTable('videos')
    .addColumn('pruned_at', 'text', (c) => c.defaultTo(null))
    .execute()
  await db.schema
    .alterTable('videos')
    .addColumn('restored_at', 'text', (c) => c.defaultTo(null))
    .execute()
  // Rows downloaded before this migration: their last change is the closest record of when.
  await db
    .updateTable('videos')
    .set((eb) => ({ downloaded_at: eb.ref('updated_at') }))
    .where('download_state', '=', 'downloaded')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable('videos').set({ download_state: 'pending' }).where('download_state', '=', 'pruned').execute()
  for (const column of ['restored_at', 'pruned_at', 'downloaded_at']) await db.schema.alterTable('videos').dropColumn(column).execute()
  for (const column of ['keep_audio', 'delete_videos_after_days', 'keep_newest']) await db.schema.alterTable('playlists').dropColumn(column).execute()
}
