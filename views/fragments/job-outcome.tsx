/** @jsxImportSource @kitajs/html */
import type { Job, JobType } from '../../src/db/types'

const DONE: Record<JobType, string> = {
  both: 'Download and extraction completed',
  download: 'Download completed',
  extract: 'Extraction completed',
}

export const completionMessage = (type: JobType) => `✓ ${DONE[type]}`

/** What a finished job says: the completion line with its failures, or why it stopped. */
export function JobOutcome({ job }: { job: Job }) {
  const failed = job.download_failed + job.extract_failed
  switch (job.status) {
    case 'completed':
      return (
        <p class="outcome outcome-completed" role="status">
          <span class="ok" safe>{completionMessage(job.type)}</span>
          {failed > 0 ? <span class="warn"> · {failed} failed</span> : ''}
        </p>
      )
    case 'failed':
      return (
        <p class="outcome outcome-failed" role="alert">
          <span class="bad">✗ Failed</span>
          {job.error ? (
            <>
              {': '}
              <span class="outcome-error" safe>
                {job.error}
              </span>
            </>
          ) : (
            ''
          )}
        </p>
      )
    case 'cancelled':
      return (
        <p class="outcome outcome-cancelled" role="status">
          <span class="muted">Cancelled</span>
        </p>
      )
    case 'interrupted':
      return (
        <p class="outcome outcome-interrupted" role="status">
          <span class="warn">Interrupted</span>
          {job.error ? (
            <>
              {': '}
              <span class="outcome-error" safe>
                {job.error}
              </span>
            </>
          ) : (
            ''
          )}
        </p>
      )
    default:
      return ''
  }
}
