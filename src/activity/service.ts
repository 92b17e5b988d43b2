import { countJobs, dismissJob, type JobFilter } from '../db/jobs'
import { ACTIVE_JOB_STATUSES, type Job } from '../db/types'
import { Conflict } from '../errors'
import type { JobManager } from '../jobs/manager'

/** How long a finished job keeps its card on the home page unless dismissed first. */
export const FINISHED_CARD_MS = 24 * 60 * 60 * 1000

/** Statuses of a job that ran to an end (interrupted ones wait for Resume instead). */
export const ENDED_STATUSES = ['completed', 'failed', 'cancelled'] as const

/** One page of the job history, newest first, and how many jobs the filter matches. */
export async function jobHistory(manager: JobManager, filter: JobFilter & { limit: number; offset: number }): Promise<{ jobs: Job[]; total: number }> {
  const [jobs, total] = await Promise.all([manager.list(filter), countJobs(manager.ctx.db, filter)])
  return { jobs, total }
}

/** Jobs that ended in the last day and were not dismissed: their cards stay on the home page. */
export function recentlyEnded(manager: JobManager, at = Date.now()): Promise<Job[]> {
  const since = new Date(at - FINISHED_CARD_MS).toISOString()
  return manager.list({ status: [...ENDED_STATUSES], finished_since: since, dismissed: false, limit: 50 })
}

/** Takes a finished job's card off the home page; a live job has no card to dismiss yet. */
export async function dismiss(manager: JobManager, id: number): Promise<Job> {
  const job = await manager.get(id) // 404 for unknown jobs
  if ((ACTIVE_JOB_STATUSES as readonly string[]).includes(job.status))
    throw new Conflict(`job ${id} is still ${job.status}: only a finished job can be dismissed`)
  await dismissJob(manager.ctx.db, id)
  return manager.get(id)
}
