import type { DB } from './open'
import { ACTIVE_JOB_STATUSES, type Job, type JobRow, type JobStatus, type JobType, type JobUpdate, type Priority } from './types'
import { now } from './time'
import { batchInfo } from '../library/batch-info'

export class ActiveJobExists extends Error {
  constructor(readonly jobId: number | null) {
    super('this playlist already has a queued or running job')
  }
}

export function toJob(row: JobRow): Job {
  let current: Job['current'] = []
  if (row.current) {
    try {
      current = JSON.parse(row.current)
    } catch {
      current = []
    }
  }
  return { ...row, current, download_batch_info: batchInfo(row) }
}

export async function activeJobForPlaylist(db: DB, playlistId: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('playlist_id', '=', playlistId).where('status', 'in', ACTIVE_JOB_STATUSES).executeTakeFirst()
}

/** The partial unique index makes this atomic: of twenty racing inserts exactly one wins. */
export async function insertJob(db: DB, playlistId: number, type: JobType, priority: Priority = 'normal', deleteVideos = false): Promise<JobRow> {
  try {
    return await db
      .insertInto('jobs')
      .values({
        playlist_id: playlistId,
        type,
        priority,
        delete_videos: deleteVideos && type === 'both' ? 1 : 0,
        status: 'queued',
        created_at: now(),
        download_status: type === 'extract' ? null : 'pending',
        extract_status: type === 'download' ? null : 'pending',
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  } catch (err) {
    if (err instanceof Error && /UNIQUE constraint failed: jobs\.playlist_id/.test(err.message)) {
      const active = await activeJobForPlaylist(db, playlistId)
      throw new ActiveJobExists(active?.id ?? null)
    }
    throw err
  }
}

export async function findJob(db: DB, id: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listJobs(db: DB, filter: { status?: JobStatus[]; playlist_id?: number; limit?: number; offset?: number } = {}): Promise<JobRow[]> {
  let q = db.selectFrom('jobs').selectAll()
  if (filter.status?.length) q = q.where('status', 'in', filter.status)
  if (filter.playlist_id !== undefined) q = q.where('playlist_id', '=', filter.playlist_id)
  return q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute()
}

export async function updateJob(db: DB, id: number, patch: JobUpdate): Promise<void> {
  await db.updateTable('jobs').set(patch).where('id', '=', id).execute()
}

/** A server that died mid-job left these behind; they can be resumed. */
export async function markInterrupted(db: DB, reason: string): Promise<number[]> {
  const rows = await db
    .updateTable('jobs')
    .set({ status: 'interrupted', error: reason, current: null })
    .where('status', 'in', ['running', 'paused'])
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}
