/** @jsxImportSource @kitajs/html */
import type { Job, JobStatus, JobType } from '../../src/db/types'
import { JobHistory } from './job-history'

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
export const ActivityHistory = ({ jobs, titles }: { jobs: Job[]; titles: Map<number, string> }) => (
  <JobHistory jobs={jobs} titles={titles} empty="No jobs match." />
)
