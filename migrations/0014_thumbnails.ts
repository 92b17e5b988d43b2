import type { Kysely } from 'kysely'

// Each entry's thumbnail is kept as a file in the data dir (<folder>/thumbnails/<name>.jpg):
// the pages show it from our own route, and the audio embeds the very same file as its cover.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('videos').addColumn('thumbnail_path', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('videos').dropColumn('thumbnail_path').execute()
}
