/** @jsxImportSource @kitajs/html */
import type { Job } from '../../src/db/types'

export const dismissUrl = (id: number) => `/jobs/${id}/dismiss`

/** A finished card's Dismiss: the card leaves the home page for good (it would after a day anyway). */
export function DismissButton({ job }: { job: Job }) {
  if (job.status !== 'completed' && job.status !== 'failed' && job.status !== 'cancelled') return ''
  return (
    <button
      type="button"
      class="btn btn-small"
      data-action="dismiss"
      hx-post={dismissUrl(job.id)}
      hx-target={`#job-${job.id}`}
      hx-swap="outerHTML"
      hx-disable="this"
    >
      Dismiss
    </button>
  )
}
