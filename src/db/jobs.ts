import type { DB } from './open'
import {
  ACTIVE_JOB_STATUSES,
  type ItemProgress,
  type Job,
  type JobControl,
  type JobRow,
  type JobStatus,
  type JobType,
  type JobUpdate,
  type Priority,
} from './types'
import { now } from './time'
import { batchInfo } from '../library/batch-info'
import { uniqueViolation } from './dialect'

export class ActiveJobExists extends Error {
  constructor(readonly jobId: number | null) {
    super('this playlist already has a queued or running job')
  }
}

/** The one way a job row becomes a Job: live items (the run's, or the stored JSON), the batch line, booleans. */
export function toJob(row: JobRow, live?: ItemProgress[]): Job {
  return { ...row, current: live ?? parseCurrent(row.current), download_batch_info: batchInfo(row), delete_videos: row.delete_videos === 1 }
}

function parseCurrent(json: string | null): ItemProgress[] {
  if (!json) return []
  try {
    return JSON.parse(json)
  } catch {
    return []
  }
}

export async function activeJobForPlaylist(db: DB, playlistId: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('playlist_id', '=', playlistId).where('status', 'in', ACTIVE_JOB_STATUSES).executeTakeFirst()
}

/**
 * The partial unique index makes this atomic: of twenty racing inserts exactly one wins.
 * `node` names the node that will run it from the start, so another node's start never takes a queued job.
 */
export async function insertJob(
  db: DB,
  playlistId: number,
  type: JobType,
  priority: Priority = 'normal',
  deleteVideos = false,
  node: string | null = null,
): Promise<JobRow> {
  try {
    return await db
      .insertInto('jobs')
      .values({
        playlist_id: playlistId,
        type,
        priority,
        delete_videos: deleteVideos && type === 'both' ? 1 : 0,
        status: 'queued',
        node,
        created_at: now(),
        download_status: type === 'download' || type === 'both' ? 'pending' : null,
        extract_status: type === 'extract' || type === 'both' ? 'pending' : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  } catch (err) {
    // SQLite names the index's column, PostgreSQL the index.
    const rule = uniqueViolation(err)
    if (rule === 'jobs.playlist_id' || rule === 'jobs_one_active_per_playlist') {
      const active = await activeJobForPlaylist(db, playlistId)
      throw new ActiveJobExists(active?.id ?? null)
    }
    throw err
  }
}

export async function findJob(db: DB, id: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()
}

/** What a job list can be narrowed by; `finished_since` with `dismissed: false` is the home page's finished cards. */
export interface JobFilter {
  status?: JobStatus[]
  type?: JobType
  playlist_id?: number
  /** Only jobs that finished at or after this ISO time. */
  finished_since?: string
  /** false: only jobs not dismissed; true: only dismissed ones; absent: both. */
  dismissed?: boolean
}

function filtered(db: DB, filter: JobFilter) {
  let q = db.selectFrom('jobs')
  if (filter.status?.length) q = q.where('status', 'in', filter.status)
  if (filter.type !== undefined) q = q.where('type', '=', filter.type)
  if (filter.playlist_id !== undefined) q = q.where('playlist_id', '=', filter.playlist_id)
  if (filter.finished_since !== undefined) q = q.where('finished_at', '>=', filter.finished_since)
  if (filter.dismissed !== undefined) q = q.where('dismissed_at', filter.dismissed ? 'is not' : 'is', null)
  return q
}

export async function listJobs(db: DB, filter: JobFilter & { limit?: number; offset?: number } = {}): Promise<JobRow[]> {
  return filtered(db, filter)
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute()
}

/** How many jobs the filter matches, for a pager. */
export async function countJobs(db: DB, filter: JobFilter = {}): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Takes a finished job's card off the home page; a second dismissal keeps the first time. */
export async function dismissJob(db: DB, id: number): Promise<void> {
  await db.updateTable('jobs').set({ dismissed_at: now() }).where('id', '=', id).where('dismissed_at', 'is', null).execute()
}

export async function updateJob(db: DB, id: number, patch: JobUpdate): Promise<void> {
  await db.updateTable('jobs').set(patch).where('id', '=', id).execute()
}

/**
 * The owner's write of its job row, conditional on still being its owner (or on nobody being:
 * rows from before cluster mode): a node that was silent too long and lost the job to another
 * `serve` does not overwrite it. False: the row names another node (or is gone).
 */
export async function updateOwnedJob(db: DB, id: number, node: string, patch: JobUpdate): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set(patch)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('node', '=', node), eb('node', 'is', null)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * Running and paused jobs planned by one of `nodes`. Not relayouts (their file moves are their
 * owner's crash story), nor queued ones (a queued job has claimed nothing yet: it is planned
 * when its node starts it, a moment after it was created).
 */
export async function activeJobsOf(db: DB, nodes: string[]): Promise<JobRow[]> {
  if (nodes.length === 0) return []
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('node', 'in', nodes)
    .where('status', 'in', ['running', 'paused'])
    .where('type', '!=', 'relayout')
    .orderBy('id')
    .execute()
}

/**
 * Takes over a job whose owner `from` is lost: one UPDATE, conditional on the job still being
 * `from`'s and unfinished, and on `from` not having beaten since it was seen lost (its
 * `heartbeat_at` unchanged). Of several nodes trying at once exactly one gets it; a node that
 * comes back keeps its job. Returns the row as taken, or undefined.
 */
export async function takeOverJob(db: DB, id: number, from: string, seenHeartbeat: string, to: string): Promise<JobRow | undefined> {
  return db
    .updateTable('jobs')
    .set({ node: to })
    .where('id', '=', id)
    .where('node', '=', from)
    .where('status', 'in', ['running', 'paused'])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('nodes').select('nodes.name').where('nodes.name', '=', from).where('nodes.heartbeat_at', '!=', seenHeartbeat))),
    )
    .returningAll()
    .executeTakeFirst()
}

/** A server that died mid-job left these behind; they can be resumed. */
export async function markInterrupted(db: DB, reason: string, node: string): Promise<number[]> {
  const rows = await db
    .updateTable('jobs')
    .set({ status: 'interrupted', error: reason, current: null })
    .where('status', 'in', ['running', 'paused'])
    // A job another node plans is that node's to stop.
    .where((eb) => eb.or([eb('node', 'is', null), eb('node', '=', node)]))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/**
 * Resuming an interrupted job, conditional on it still being interrupted: of two nodes
 * resuming it at once (RESUME_ON_START), one gets it. False: someone else did first.
 */
export async function requeueInterrupted(db: DB, id: number, node: string): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ status: 'queued', node }).where('id', '=', id).where('status', '=', 'interrupted').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The statuses in which each remote request still applies (interrupted jobs are resumed by any node: requeueInterrupted). */
const CONTROL_APPLIES: Record<JobControl, JobStatus[]> = {
  pause: ['queued', 'running'],
  resume: ['paused'],
  cancel: ['queued', 'running', 'paused'],
}

/**
 * A non-owner records a pause, resume or cancel for the owner to apply: one conditional UPDATE,
 * only on a job another node still owns and whose status the action still applies to. A newer
 * request replaces one not yet applied (the last click wins, as it would on the owner).
 */
export async function requestControl(db: DB, id: number, requester: string, control: JobControl): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ control })
    .where('id', '=', id)
    .where('node', 'is not', null)
    .where('node', '!=', requester)
    .where('status', 'in', CONTROL_APPLIES[control])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The owner clears a request it has applied, only if it is still the one it read (a newer one waits for the next pass). */
export async function clearControl(db: DB, id: number, node: string, applied: JobControl): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ control: null }).where('id', '=', id).where('node', '=', node).where('control', '=', applied).executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
