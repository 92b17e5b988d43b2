import type { Kysely } from 'kysely'
import { float } from './dialect'

// Per-playlist media extras, each null until set (null: the server's default, SUBTITLES,
// AUTO_SUBTITLES, CHAPTERS, SPLIT_CHAPTERS). `subtitles` is "off", "all" or "en,de"; the
// others are 0/1. `chapter_files` records the audio files a chapter split wrote, so file
// checks, re-extraction and deletion know them; they go with their entry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('playlists').addColumn('subtitles', 'text').execute()
  await db.schema.alterTable('playlists').addColumn('auto_subtitles', 'integer').execute()
  await db.schema.alterTable('playlists').addColumn('chapters', 'integer').execute()
  await db.schema.alterTable('playlists').addColumn('split_chapters', 'integer').execute()
  await db.schema
    .createTable('chapter_files')
    .addColumn('video_id', 'integer', (c) => c.notNull().references('videos.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('start_time', float(db), (c) => c.notNull())
    .addColumn('end_time', float(db), (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chapter_files_pk', ['video_id', 'position'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chapter_files').execute()
  for (const column of ['split_chapters', 'chapters', 'auto_subtitles', 'subtitles']) await db.schema.alterTable('playlists').dropColumn(column).execute()
}
