import type { Kysely } from 'kysely'

// Which tabs of a YouTube channel a playlist indexes besides Videos: Shorts and Live are
// off by default (a channel URL used to bring in all three).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('playlists')
    .addColumn('include_shorts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('playlists')
    .addColumn('include_live', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('playlists').dropColumn('include_live').execute()
  await db.schema.alterTable('playlists').dropColumn('include_shorts').execute()
}
