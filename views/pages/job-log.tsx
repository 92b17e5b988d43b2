/** @jsxImportSource @kitajs/html */
import type { Job, JobEvent } from '../../src/db/types'
import type { SiteStatus } from '../site-status'
import { formatUtc } from '../format'
import { EventTable } from '../fragments/event-table'
import { isLiveJob } from '../fragments/job-card'
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

export const jobLogLiveUrl = (id: number) => `/jobs/${id}/log/live`

/** The page's job-log part: what the job is and what it recorded. */
export interface JobLogData {
  job: Job
  events: JobEvent[]
  limit: number
}

/**
 * The job's head and events. While the job is live it polls its own URL every 2 s and
 * replaces itself, so a line per item appears as the job goes; the render after the end
 * has no hx-trigger, which ends the polling (htmx 4 has no "286 stop polling"). A finished
 * job's log polls nothing.
 */
export function JobLogLive({ job, events, limit }: JobLogData) {
  const poll = isLiveJob(job.status) ? { 'hx-get': jobLogLiveUrl(job.id), 'hx-trigger': 'every 2s', 'hx-swap': 'outerHTML', 'hx-status:5xx': 'swap:none' } : {}
  return (
    <div id="job-log" data-status={job.status} {...poll}>
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
    </div>
  )
}

/** `/jobs/:id/log`: what the job recorded, for finding out why something failed; live while the job runs. */
export function JobLogPage({ playlistTitle, status, ...data }: JobLogData & { playlistTitle: string | null; status: SiteStatus }) {
  const { job } = data
  return (
    <Layout title={`Job #${job.id} log`} status={status}>
      <nav class="crumbs">
        <a href={`/playlists/${job.playlist_id}`} safe>
          {`← ${playlistTitle ?? `playlist #${job.playlist_id}`}`}
        </a>
      </nav>
      <JobLogLive {...data} />
    </Layout>
  )
}
