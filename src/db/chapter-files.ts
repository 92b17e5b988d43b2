import type { DB } from './open'
import type { ChapterFile } from './types'

/** An entry's chapter files, in track order. */
export async function chapterFilesOf(db: DB, videoId: number): Promise<ChapterFile[]> {
  return db.selectFrom('chapter_files').selectAll().where('video_id', '=', videoId).orderBy('position').execute()
}

/** Every chapter file of a playlist's entries, for the file check. */
export async function chapterFilesOfPlaylist(db: DB, playlistId: number): Promise<ChapterFile[]> {
  return db
    .selectFrom('chapter_files')
    .innerJoin('videos', 'videos.id', 'chapter_files.video_id')
    .selectAll('chapter_files')
    .where('videos.playlist_id', '=', playlistId)
    .orderBy('videos.position')
    .orderBy('chapter_files.position')
    .execute()
}

/** The entry's chapter files are now exactly `files` (none: forgotten). */
export async function replaceChapterFiles(db: DB, videoId: number, files: Omit<ChapterFile, 'video_id'>[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('chapter_files').where('video_id', '=', videoId).execute()
    if (files.length > 0)
      await trx
        .insertInto('chapter_files')
        .values(files.map((f) => ({ ...f, video_id: videoId })))
        .execute()
  })
}
