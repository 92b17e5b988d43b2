import type { PruneCandidate, PruneChoice } from '../library/retention'
import type { DB } from './open'
import { now } from './time'
import { ACTIVE_JOB_STATUSES } from './types'

/**
 * The entries of a playlist that hold a file retention could delete: a downloaded video or an
 * extracted audio, never one the user restored. `in_use`: claimed by an active job other
 * than `exceptJobId` (the job whose end runs the prune has no work in flight any more).
 */
export async function pruneCandidates(db: DB, playlistId: number, exceptJobId: number | null = null): Promise<PruneCandidate[]> {
  const active = await db
    .selectFrom('jobs')
    .select('id')
    .where('status', 'in', ACTIVE_JOB_STATUSES)
    .$if(exceptJobId !== null, (q) => q.where('id', '!=', exceptJobId as number))
    .execute()
  const busy = new Set(active.map((j) => j.id))
  const rows = await db
    .selectFrom('videos')
    .select([
      'id',
      'title',
      'position',
      'upload_date',
      'downloaded_at',
      'video_path',
      'audio_path',
      'download_state',
      'extract_state',
      'download_job_id',
      'extract_job_id',
    ])
    .where('playlist_id', '=', playlistId)
    .where('restored_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('download_state', '=', 'downloaded'), eb('video_path', 'is not', null)]),
        eb.and([eb('extract_state', '=', 'extracted'), eb('audio_path', 'is not', null)]),
      ]),
    )
    .execute()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    position: r.position,
    upload_date: r.upload_date,
    downloaded_at: r.downloaded_at,
    video_path: r.download_state === 'downloaded' ? r.video_path : null,
    audio_path: r.extract_state === 'extracted' ? r.audio_path : null,
    in_use: (r.download_job_id !== null && busy.has(r.download_job_id)) || (r.extract_job_id !== null && busy.has(r.extract_job_id)),
  }))
}

/**
 * Chooses and marks in one transaction, so no job claims an entry between the choice and
 * the mark (the one connection serialises them). A taken entry becomes `pruned` with its
 * paths cleared; the files are the caller's to delete once this returns (a crash in between
 * leaves a stray file, never a row that points at a deleted one). An extraction that had
 * failed goes back to pending: with the video gone there is nothing to retry.
 */
export async function markPruned(
  db: DB,
  playlistId: number,
  exceptJobId: number | null,
  choose: (candidates: PruneCandidate[]) => PruneChoice[],
): Promise<PruneChoice[]> {
  return db.transaction().execute(async (trx) => {
    const taken = choose(await pruneCandidates(trx, playlistId, exceptJobId))
    const t = now()
    for (const c of taken) {
      await trx
        .updateTable('videos')
        .set({
          download_state: 'pruned',
          video_path: null,
          pruned_at: t,
          error: null,
          ...(c.audio_path !== null ? { audio_path: null, extract_state: 'pending' as const } : {}),
          updated_at: t,
        })
        .where('id', '=', c.id)
        .execute()
      await trx.updateTable('videos').set({ extract_state: 'pending' }).where('id', '=', c.id).where('extract_state', '=', 'failed').execute()
    }
    return taken
  })
}

/**
 * A pruned entry back to pending, for the next job to fetch again; `restored_at` keeps it
 * out of every later prune. False when the entry is not a pruned one of this playlist.
 */
export async function restorePruned(db: DB, playlistId: number, videoId: number): Promise<boolean> {
  const t = now()
  const r = await db
    .updateTable('videos')
    .set({ download_state: 'pending', download_job_id: null, pruned_at: null, restored_at: t, error: null, updated_at: t })
    .where('id', '=', videoId)
    .where('playlist_id', '=', playlistId)
    .where('download_state', '=', 'pruned')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}
