import type { DB } from './open'
import type { Video } from './types'
import { now } from './time'

/** What an import needs of each entry to match files to it and to judge whether it still needs them. */
export type ImportEntry = Pick<
  Video,
  | 'id'
  | 'source_id'
  | 'source_url'
  | 'title'
  | 'uploader'
  | 'upload_date'
  | 'position'
  | 'download_state'
  | 'extract_state'
  | 'video_path'
  | 'audio_path'
  | 'video_deleted_at'
>

export async function entriesForImport(db: DB, playlistId: number): Promise<ImportEntry[]> {
  return db
    .selectFrom('videos')
    .select([
      'id',
      'source_id',
      'source_url',
      'title',
      'uploader',
      'upload_date',
      'position',
      'download_state',
      'extract_state',
      'video_path',
      'audio_path',
      'video_deleted_at',
    ])
    .where('playlist_id', '=', playlistId)
    .orderBy('position')
    .orderBy('id')
    .execute()
}

/**
 * Takes an entry's video for an import: its destination is recorded and it is marked
 * downloading before the file moves, the state a download is in at that point, so a crash
 * in between ends the way it does for a download (adoptMovedDownloads keeps the file if it
 * arrived). Only an entry still waiting for its video is taken; false when a job got it first.
 */
export async function takeVideoForImport(db: DB, id: number, videoPath: string): Promise<boolean> {
  const r = await db
    .updateTable('videos')
    .set({ download_state: 'downloading', video_path: videoPath, updated_at: now() })
    .where('id', '=', id)
    .where('download_state', 'in', ['pending', 'failed'])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** The imported video is in place: downloaded, and no longer left out by the filters (as a finished download). */
export async function videoImported(db: DB, id: number): Promise<void> {
  await db
    .updateTable('videos')
    .set({ download_state: 'downloaded', error: null, skip_reason: null, updated_at: now() })
    .where('id', '=', id)
    .where('download_state', '=', 'downloading')
    .execute()
}

/** The move failed: the entry waits for its video again, pointing at nothing. */
export async function videoImportFailed(db: DB, id: number): Promise<void> {
  await db
    .updateTable('videos')
    .set({ download_state: 'pending', video_path: null, updated_at: now() })
    .where('id', '=', id)
    .where('download_state', '=', 'downloading')
    .execute()
}

/**
 * Takes an entry's audio for an import, recording its destination first and marking it
 * extracting (a crash in between leaves it pending with a path the next extraction replaces,
 * never an entry counted as extracted without its file). Only an entry still without audio.
 */
export async function takeAudioForImport(db: DB, id: number, audioPath: string): Promise<boolean> {
  const r = await db
    .updateTable('videos')
    .set({ extract_state: 'extracting', audio_path: audioPath, updated_at: now() })
    .where('id', '=', id)
    .where('extract_state', 'in', ['pending', 'failed'])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function audioImported(db: DB, id: number): Promise<void> {
  await db
    .updateTable('videos')
    .set({ extract_state: 'extracted', error: null, updated_at: now() })
    .where('id', '=', id)
    .where('extract_state', '=', 'extracting')
    .execute()
}

/**
 * An "Audio only" playlist (delete_videos) that got an entry's audio by import needs no video:
 * the entry ends as such a job leaves it, downloaded with the video deleted, so no job fetches
 * the video only to delete it. Only an entry still waiting for its video.
 */
export async function videoNotWanted(db: DB, id: number): Promise<void> {
  await db
    .updateTable('videos')
    .set({ download_state: 'downloaded', video_path: null, video_deleted_at: now(), error: null, skip_reason: null, updated_at: now() })
    .where('id', '=', id)
    .where('download_state', 'in', ['pending', 'failed'])
    .execute()
}

export async function audioImportFailed(db: DB, id: number): Promise<void> {
  await db
    .updateTable('videos')
    .set({ extract_state: 'pending', audio_path: null, updated_at: now() })
    .where('id', '=', id)
    .where('extract_state', '=', 'extracting')
    .execute()
}
