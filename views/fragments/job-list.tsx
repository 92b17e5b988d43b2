/** @jsxImportSource @kitajs/html */
import type { Job } from '../../src/db/types'
import { JobCard } from './job-card'

/** #jobs: new cards are inserted at its top; the empty note hides once a card is there. */
export function JobList({ jobs, titles }: { jobs: Job[]; titles: Map<number, string> }) {
  return (
    <div id="jobs" class="jobs">
      {jobs.map((j) => (
        <JobCard job={j} playlistTitle={titles.get(j.playlist_id) ?? null} />
      ))}
      <p class="empty muted">No jobs running.</p>
    </div>
  )
}
