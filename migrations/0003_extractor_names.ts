import type { Kysely } from 'kysely'

// Which yt-dlp extractor reads a playlist and each entry. Knowing it lets yt-serve
// start yt-dlp with --use-extractors, skipping the ~0.25 s it spends compiling the
// URL patterns of ~1,900 extractors on every start.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('playlists').addColumn('extractor', 'text').execute()
  await db.schema.alterTable('videos').addColumn('extractor', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('videos').dropColumn('extractor').execute()
  await db.schema.alterTable('playlists').dropColumn('extractor').execute()
}
