import type { DB } from './open'
import type { Video } from './types'

export type RecheckCandidate = Pick<Video, 'id' | 'title' | 'source_id' | 'sponsorblock_segments'>

/**
 * Extracted YouTube entries uploaded on or after `since` (YYYY-MM-DD) whose SponsorBlock
 * answer predates `indexedAt` (the playlist's last sync), with their video still there to cut
 * again; at most `limit`, newest uploads first.
 */
export async function sponsorblockRecheckCandidates(db: DB, playlistId: number, since: string, indexedAt: string, limit: number): Promise<RecheckCandidate[]> {
  return (
    db
      .selectFrom('videos')
      .select(['id', 'title', 'source_id', 'sponsorblock_segments'])
      .where('playlist_id', '=', playlistId)
      .where('extractor', '=', 'youtube')
      .where('extract_state', '=', 'extracted')
      .where('download_state', '=', 'downloaded')
      .where('video_path', 'is not', null)
      .where('video_deleted_at', 'is', null)
      // A cut video's times no longer match SponsorBlock's: it is never cut again.
      .where('video_cut_at', 'is', null)
      .where('upload_date', '>=', since)
      .where('sponsorblock_checked_at', '<', indexedAt)
      .orderBy('upload_date', 'desc')
      .limit(limit)
      .execute()
  )
}

/**
 * Entries whose SponsorBlock answer changed go back to pending extraction for `jobId`, keeping
 * audio_path: the worker replaces the old file once the new one is made (as for a re-extract).
 */
export async function claimRecuts(db: DB, ids: number[], jobId: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('videos')
      .set({ extract_job_id: jobId, extract_state: 'pending', error: null })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('extract_state', '=', 'extracted')
      .execute()
}
