/** @jsxImportSource @kitajs/html */
import type { Job } from '../../src/db/types'
import { JobCard } from './job-card'

/**
 * Interrupted jobs (the server stopped while they ran), each with Resume, so after a
 * restart they are on the home page without digging. Nothing when there are none.
 */
export function NeedsAttention({ jobs, titles }: { jobs: Job[]; titles: Map<number, string> }) {
  if (jobs.length === 0) return ''
  return (
    <section id="needs-attention" class="attention-section" aria-labelledby="attention-heading">
      <h2 id="attention-heading">Needs attention</h2>
      <p class="muted attention-hint">These jobs were interrupted when the server stopped. Resume continues where they left off.</p>
      <div class="jobs">
        {jobs.map((j) => (
          <JobCard job={j} playlistTitle={titles.get(j.playlist_id) ?? null} />
        ))}
      </div>
    </section>
  )
}
