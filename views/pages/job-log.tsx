/** @jsxImportSource @kitajs/html */
import type { Job, JobEvent } from '../../src/db/types'
import type { SiteStatus } from '../site-status'
import { formatUtc } from '../format'
import { EventTable } from '../fragments/event-table'
import { Layout } from '../layout'

/** Created, started and finished times, the ones that are known. */
function JobTimes({ job }: { job: Job }) {
  const times: [string, string | null][] = [
    ['created', job.created_at],
    ['started', job.started_at],
    ['finished', job.finished_at],
  ]
  return (
    <p class="muted job-times">
      {times
        .filter(([, at]) => at)
        .map(([label, at]) => (
          <span safe>{`${label} ${formatUtc(at)}`}</span>
        ))}
    </p>
  )
}

/** `/jobs/:id/log`: what the job recorded, for finding out why something failed. A static page. */
export function JobLogPage({
  job,
  playlistTitle,
  events,
  limit,
  status,
}: {
  job: Job
  playlistTitle: string | null
  events: JobEvent[]
  limit: number
  status: SiteStatus
}) {
  return (
    <Layout title={`Job #${job.id} log`} status={status}>
      <nav class="crumbs">
        <a href={`/playlists/${job.playlist_id}`} safe>
          {`← ${playlistTitle ?? `playlist #${job.playlist_id}`}`}
        </a>
      </nav>
      <section class="card log-head">
        <h1>Job #{job.id} log</h1>
        <p class="log-meta">
          <span class={`chip chip-${job.status}`}>
            {job.type} · {job.status}
          </span>
          {job.priority === 'high' ? <span class="chip chip-high">high priority</span> : ''}
          {job.error ? (
            <span class="outcome-error warn" safe>
              {job.error}
            </span>
          ) : (
            ''
          )}
        </p>
        <JobTimes job={job} />
      </section>
      <section class="log-section" aria-labelledby="events-heading">
        <h2 id="events-heading">Events</h2>
        <EventTable events={events} />
        {events.length >= limit ? <p class="muted">Only the latest {limit} events are shown.</p> : ''}
      </section>
    </Layout>
  )
}
