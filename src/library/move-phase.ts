import type { JobRow, PhaseStatus } from '../db/types'

/**
 * A relayout job has one phase, "Moving files", counted by move_total / move_completed; its
 * status follows the job's own, so it needs no column of its. Null for every other job type.
 */
export function moveStatus(job: Pick<JobRow, 'type' | 'status'>): PhaseStatus | null {
  if (job.type !== 'relayout') return null
  switch (job.status) {
    case 'queued':
      return 'pending'
    case 'running':
      return 'running'
    case 'paused':
      return 'paused'
    case 'completed':
      return 'completed'
    default:
      return 'failed'
  }
}
