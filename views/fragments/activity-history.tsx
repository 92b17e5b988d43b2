/** @jsxImportSource @kitajs/html */
import type { Job, JobStatus, JobType } from '../../src/db/types'
import { formatTime } from '../format'
import { PhaseSummary } from './job-history'
import { JobLogLink } from './job-log-link'

/** The Activity page's filters, as its GET query carries them: a filtered view is a link. */
export interface ActivityFilter {
  status?: JobStatus
  type?: JobType
  playlist_id?: number
}

export const ACTIVITY_PAGE_SIZE = 50

export function activityUrl(filter: ActivityFilter, offset = 0): string {
  const q = new URLSearchParams()
  if (filter.status) q.set('status', filter.status)
  if (filter.type) q.set('type', filter.type)
  if (filter.playlist_id !== undefined) q.set('playlist_id', String(filter.playlist_id))
  if (offset > 0) q.set('offset', String(offset))
  const s = q.toString()
  return s ? `/activity?${s}` : '/activity'
}

function Choice({ name, label, value, options }: { name: string; label: string; value: string; options: [string, string][] }) {
  return (
    <label class="filter-field">
      <span safe>{label}</span>
      <select name={name}>
        <option value="">any</option>
        {options.map(([v, text]) => (
          <option value={v} selected={v === value} safe>
            {text}
          </option>
        ))}
      </select>
    </label>
  )
}

/** A plain GET form: no script needed, and the resulting address can be shared. */
export function ActivityFilters({
  filter,
  statuses,
  types,
  playlists,
}: {
  filter: ActivityFilter
  statuses: readonly JobStatus[]
  types: readonly JobType[]
  playlists: { id: number; title: string }[]
}) {
  return (
    <form class="activity-filters" method="get" action="/activity" role="search" aria-label="Filter the job history">
      <Choice name="status" label="Status" value={filter.status ?? ''} options={statuses.map((s) => [s, s])} />
      <Choice name="type" label="Type" value={filter.type ?? ''} options={types.map((t) => [t, t])} />
      <Choice name="playlist_id" label="Playlist" value={filter.playlist_id?.toString() ?? ''} options={playlists.map((p) => [String(p.id), p.title])} />
      <button type="submit" class="btn btn-small">
        Filter
      </button>
      {filter.status || filter.type || filter.playlist_id !== undefined ? <a href="/activity">Clear filters</a> : ''}
    </form>
  )
}

/** Every job, newest first, with its playlist and a link to its log. */
export function ActivityHistory({ jobs, titles }: { jobs: Job[]; titles: Map<number, string> }) {
  if (jobs.length === 0) return <p class="empty muted">No jobs match.</p>
  return (
    <div class="table-wrap">
      <table class="history activity-history">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Playlist</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Finished</th>
            <th scope="col">Downloaded</th>
            <th scope="col">Extracted</th>
            <th scope="col">
              <span class="visually-hidden">Log</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr id={`activity-${j.id}`} data-status={j.status}>
              <td>#{j.id}</td>
              <td>
                <a href={`/playlists/${j.playlist_id}`} safe>
                  {titles.get(j.playlist_id) ?? `#${j.playlist_id}`}
                </a>
              </td>
              <td>{j.type}</td>
              <td>
                <span class={`chip chip-${j.status}`}>{j.status}</span>
                {j.error ? (
                  <div class="history-error muted" safe>
                    {j.error}
                  </div>
                ) : (
                  ''
                )}
              </td>
              <td class="time" safe>
                {formatTime(j.started_at ?? j.created_at)}
              </td>
              <td class="time" safe>
                {formatTime(j.finished_at)}
              </td>
              <td>
                <PhaseSummary status={j.download_status} completed={j.download_completed} total={j.download_total} failed={j.download_failed} />
              </td>
              <td>
                <PhaseSummary status={j.extract_status} completed={j.extract_completed} total={j.extract_total} failed={j.extract_failed} />
              </td>
              <td>
                <JobLogLink jobId={j.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
