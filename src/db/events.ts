import type { DB } from './open'
import type { EventLevel, JobEvent } from './types'
import { now } from './time'

export async function addEvent(db: DB, jobId: number, level: EventLevel, message: string): Promise<void> {
  await db.insertInto('job_events').values({ job_id: jobId, level, message, at: now() }).execute()
}

/** The latest `limit` events of a job, oldest first: on a long job the end matters most. */
export async function listEvents(db: DB, jobId: number, limit = 1000): Promise<JobEvent[]> {
  const rows = await db.selectFrom('job_events').selectAll().where('job_id', '=', jobId).orderBy('id', 'desc').limit(limit).execute()
  return rows.reverse()
}
