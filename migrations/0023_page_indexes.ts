import { type Kysely, sql } from 'kysely'

// Page indexes for large archives (100,000 entries, issue 15's scale bench). The home page,
// /api/playlists and `status` count every playlist's entries by state in one grouped scan:
// with an index holding exactly the columns that scan reads, SQLite walks the index alone
// instead of fetching each of 100,000 rows from the table. The playlist's cover (its first
// entry with a thumbnail) is one seek per playlist in a partial index, not a scan of all rows.
// That index holds thumbnail_path too: without it, SQLite's planner preferred
// videos_playlist_position on a real archive and read every entry of every playlist.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('videos_playlist_states')
    .on('videos')
    .columns(['playlist_id', 'download_state', 'extract_state', 'missing_since', 'skip_reason'])
    .execute()
  await db.schema
    .createIndex('videos_playlist_thumbnail')
    .on('videos')
    .columns(['playlist_id', 'position', 'id', 'thumbnail_path'])
    .where(sql.ref('thumbnail_path'), 'is not', null)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('videos_playlist_thumbnail').execute()
  await db.schema.dropIndex('videos_playlist_states').execute()
}
