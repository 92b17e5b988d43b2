import type { Kysely } from 'kysely'

// Per-playlist download filters (duration bounds, title patterns, oldest upload date) and, per entry, why
// the filters leave it out. A skipped entry stays pending: loosen the filters and the
// next job takes it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('playlists').addColumn('min_duration', 'integer').execute()
  await db.schema.alterTable('playlists').addColumn('max_duration', 'integer').execute()
  await db.schema.alterTable('playlists').addColumn('title_include', 'text').execute()
  await db.schema.alterTable('playlists').addColumn('title_exclude', 'text').execute()
  await db.schema.alterTable('playlists').addColumn('date_after', 'text').execute()
  await db.schema.alterTable('videos').addColumn('skip_reason', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('videos').dropColumn('skip_reason').execute()
  for (const c of ['date_after', 'title_exclude', 'title_include', 'max_duration', 'min_duration'])
    await db.schema.alterTable('playlists').dropColumn(c).execute()
}
