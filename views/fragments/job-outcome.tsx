/** @jsxImportSource @kitajs/html */
import type { Job, JobType } from '../../src/db/types'

const DONE: Record<JobType, string> = {
  both: 'Download and extraction completed',
  download: 'Download completed',
  extract: 'Extraction completed',
  relayout: 'Files moved',
}

export const completionMessage = (type: JobType) => `✓ ${DONE[type]}`

/** An extract job of an up-to-date playlist: true, where "Extraction completed" would suggest work was done. */
export const NOTHING_NEW = '✓ Nothing new to extract'

/** What a finished job says: the completion line with its failures, or why it stopped. */
/** ": <reason>" after a failed or interrupted job's label; the reason may quote remote text. */
function ErrorDetail({ error }: { error: string | null }) {
  if (!error) return ''
  return (
    <>
      {': '}
      <span class="outcome-error" safe>
        {error}
      </span>
    </>
  )
}

export function JobOutcome({ job }: { job: Job }) {
  const failed = job.download_failed + job.extract_failed
  switch (job.status) {
    case 'completed':
      return (
        <p class="outcome outcome-completed" role="status">
          <span class="ok" safe>
            {job.type === 'extract' && job.extract_total === 0 ? NOTHING_NEW : completionMessage(job.type)}
          </span>
          {failed > 0 ? <span class="warn"> · {failed} failed</span> : ''}
        </p>
      )
    case 'failed':
      return (
        <p class="outcome outcome-failed" role="alert">
          <span class="bad">✗ Failed</span>
          <ErrorDetail error={job.error} />
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
          <ErrorDetail error={job.error} />
        </p>
      )
    default:
      return ''
  }
}
