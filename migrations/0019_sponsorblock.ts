import type { Kysely } from 'kysely'
import { float } from './dialect'

// SponsorBlock (issue 14). Per playlist: what to do with the segments (null: the server's
// SPONSORBLOCK), which categories (null: SPONSORBLOCK_CATEGORIES), and whether the video is
// cut too. Per entry: the API's answer as validated JSON and when it was asked, so a
// re-extraction needs no second request, the audio's own length once cut, and when the video
// file was cut too (its times no longer match the answer, so it is never cut again).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('playlists').addColumn('sponsorblock', 'text').execute()
  await db.schema.alterTable('playlists').addColumn('sponsorblock_categories', 'text').execute()
  await db.schema
    .alterTable('playlists')
    .addColumn('sponsorblock_video', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('videos').addColumn('sponsorblock_segments', 'text').execute()
  await db.schema.alterTable('videos').addColumn('sponsorblock_checked_at', 'text').execute()
  await db.schema.alterTable('videos').addColumn('audio_duration', float(db)).execute()
  await db.schema.alterTable('videos').addColumn('video_cut_at', 'text').execute()
  // Entries indexed before the index named YouTube's extractor: their watch URLs say it.
  await db
    .updateTable('videos')
    .set({ extractor: 'youtube' })
    .where('extractor', 'is', null)
    .where((eb) => eb.or([eb('source_url', 'like', 'https://www.youtube.com/watch?v=%'), eb('source_url', 'like', 'https://www.youtube.com/shorts/%')]))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('videos').dropColumn('video_cut_at').execute()
  await db.schema.alterTable('videos').dropColumn('audio_duration').execute()
  await db.schema.alterTable('videos').dropColumn('sponsorblock_checked_at').execute()
  await db.schema.alterTable('videos').dropColumn('sponsorblock_segments').execute()
  await db.schema.alterTable('playlists').dropColumn('sponsorblock_video').execute()
  await db.schema.alterTable('playlists').dropColumn('sponsorblock_categories').execute()
  await db.schema.alterTable('playlists').dropColumn('sponsorblock').execute()
}
