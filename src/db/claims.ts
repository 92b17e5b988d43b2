import type { DB } from './open'
import { now } from './time'
import type { JobRow } from './types'

/** A retry job takes exactly the failed items of both phases. */
export async function claimRetry(db: DB, job: Pick<JobRow, 'id' | 'playlist_id'>): Promise<void> {
  await db
    .updateTable('videos')
    .set({ download_state: 'pending', download_job_id: job.id, error: null })
    .where('playlist_id', '=', job.playlist_id)
    .where('download_state', '=', 'failed')
    .where('missing_since', 'is', null) // gone upstream: retrying can only fail again
    .execute()
  await db
    .updateTable('videos')
    .set({ extract_state: 'pending', extract_job_id: job.id, error: null })
    .where('playlist_id', '=', job.playlist_id)
    .where('download_state', '=', 'downloaded')
    .where('extract_state', '=', 'failed')
    .execute()
}

export type JobCounts = Pick<JobRow, 'download_total' | 'download_completed' | 'download_failed' | 'extract_total' | 'extract_completed' | 'extract_failed'>

/** The work a job owns and where it stands, from its item rows alone. */
export interface ClaimedWork {
  /** Still to download / extract, in playlist order. */
  download: number[]
  extract: number[]
  /** The counters of the job's phases (only those of its type). */
  counts: Partial<JobCounts>
}

/**
 * The work a job already owns (a resumed or retry job), with its counters recounted from
 * the item rows, which survive a crash where the job's counters may not.
 */
export async function claimedWork(db: DB, job: Pick<JobRow, 'id' | 'playlist_id' | 'type'>): Promise<ClaimedWork> {
  const rows = await db
    .selectFrom('videos')
    .select(['id', 'download_state', 'extract_state', 'download_job_id', 'extract_job_id'])
    .where('playlist_id', '=', job.playlist_id)
    .where((eb) => eb.or([eb('download_job_id', '=', job.id), eb('extract_job_id', '=', job.id)]))
    .orderBy('position')
    .execute()
  const mineDl = rows.filter((r) => r.download_job_id === job.id)
  const mineEx = rows.filter((r) => r.extract_job_id === job.id)
  const download = job.type === 'extract' ? [] : mineDl.filter((r) => r.download_state === 'pending' || r.download_state === 'downloading').map((r) => r.id)
  const extract = job.type === 'download' ? [] : mineEx.filter((r) => r.extract_state === 'pending' || r.extract_state === 'extracting').map((r) => r.id)
  const counts: Partial<JobCounts> = {}
  if (job.type !== 'extract') {
    counts.download_total = mineDl.length
    counts.download_completed = mineDl.filter((r) => r.download_state === 'downloaded').length
    counts.download_failed = mineDl.filter((r) => r.download_state === 'failed').length
  }
  if (job.type !== 'download') {
    counts.extract_completed = mineEx.filter((r) => r.extract_state === 'extracted').length
    counts.extract_failed = mineEx.filter((r) => r.extract_state === 'failed').length
    // Everything claimed for extraction, plus downloads still to come.
    counts.extract_total = mineEx.length + (job.type === 'both' ? download.length : 0)
  }
  return { download, extract, counts }
}

/**
 * A "both" job's downloads that finished without their extraction being claimed: a stop
 * (SIGTERM, a crash adopted by adoptMovedDownloads) can fall between the two writes. Its
 * resume claims them, or they would stay without audio.
 */
export async function claimOwnDownloaded(db: DB, job: Pick<JobRow, 'id' | 'playlist_id' | 'type'>): Promise<number> {
  if (job.type !== 'both') return 0
  const r = await db
    .updateTable('videos')
    .set({ extract_job_id: job.id, extract_state: 'pending' })
    .where('playlist_id', '=', job.playlist_id)
    .where('download_job_id', '=', job.id)
    .where('download_state', '=', 'downloaded')
    .where('extract_state', '=', 'pending')
    .where('extract_job_id', 'is', null)
    .where('skip_reason', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Claimed downloads given back before they started: free for a later job. */
export async function unclaimDownloads(db: DB, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('videos')
      .set({ download_job_id: null, updated_at: now() })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
}

/** After a crash: downloads caught between their recorded destination and their state change. */
export async function downloadsMidMove(db: DB, node: string): Promise<{ id: number; video_path: string }[]> {
  const rows = await db
    .selectFrom('videos')
    .select(['id', 'video_path'])
    .where('download_state', '=', 'downloading')
    .where('video_path', 'is not', null)
    // Another live node may be moving its file right now.
    .where((eb) => eb.or([eb('lease_node', 'is', null), eb('lease_node', '=', node), eb('lease_until', '<', now())]))
    .execute()
  return rows.map((r) => ({ id: r.id, video_path: r.video_path! }))
}
