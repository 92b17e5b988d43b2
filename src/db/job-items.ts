import type { DB } from './open'
import type { DownloadState, ExtractState } from './types'

/** One item of a job as a node that does not run the job reads it: its phase states and its live progress. */
export interface JobItem {
  id: number
  title: string
  download_state: DownloadState
  extract_state: ExtractState
  download_job_id: number | null
  extract_job_id: number | null
  error: string | null
  lease_node: string | null
  lease_until: string | null
  live_progress: string | null
}

/** The items a job claimed in either phase (one query, for the event stream of a job another node owns). */
export async function jobItems(db: DB, jobId: number): Promise<JobItem[]> {
  return db
    .selectFrom('videos')
    .select(['id', 'title', 'download_state', 'extract_state', 'download_job_id', 'extract_job_id', 'error', 'lease_node', 'lease_until', 'live_progress'])
    .where((eb) => eb.or([eb('download_job_id', '=', jobId), eb('extract_job_id', '=', jobId)]))
    .orderBy('position')
    .execute()
}
