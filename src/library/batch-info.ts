import type { JobRow } from '../db/types'

export type BatchCounts = Pick<JobRow, 'batch_total' | 'batch_done_before' | 'download_completed'>

/**
 * The seed's "25/100 total (75 remaining)", counted over the whole playlist; null when one
 * batch covers it. The one place the text is made: the API's download_batch_info, the
 * job card and the CLI's bars all read it from here.
 */
export function batchInfo(job: BatchCounts): string | null {
  if (job.batch_total === null) return null
  const done = job.batch_done_before + job.download_completed
  return `${done}/${job.batch_total} total (${Math.max(0, job.batch_total - done)} remaining)`
}
