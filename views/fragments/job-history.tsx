/** @jsxImportSource @kitajs/html */
import type { JobRow } from '../../src/db/types'
import { formatTime } from '../format'
import { ENTRIES_CHANGED_EVENT } from './entries-section'
import { JobLogLink } from './job-log-link'

type HistoryJob = Omit<JobRow, 'current' | 'delete_videos'>

export const historyFragmentUrl = (playlistId: number) => `/playlists/${playlistId}/history`

/**
 * The "Job history" section, refreshed like the entries section: it wakes on the
 * `entries-changed` a job start sends, polls every 2 s while a job of the playlist is live
 * (so the running row's counts move and its end shows), and its render after the end has
 * no timer. A page opened with nothing running polls nothing.
 */
export function HistorySection({ playlistId, jobs, live }: { playlistId: number; jobs: HistoryJob[]; live: boolean }) {
  return (
    <section
      id="history"
      class="history-section"
      aria-labelledby="history-heading"
      data-live={live ? 'true' : 'false'}
      hx-get={historyFragmentUrl(playlistId)}
      hx-trigger={live ? 'every 2s' : `${ENTRIES_CHANGED_EVENT} from:body`}
      hx-swap="outerMorph"
      {...{ 'hx-status:5xx': 'swap:none' }}
    >
      <h2 id="history-heading">Job history</h2>
      <JobHistory jobs={jobs} />
    </section>
  )
}

/** "done / total" of one phase, with the failures; a dash for a phase the job did not have. */
function PhaseSummary({ status, completed, total, failed }: { status: string | null; completed: number; total: number; failed: number }) {
  if (!status) return <span class="muted">–</span>
  return (
    <span>
      {completed} / {total}
      {failed > 0 ? <span class="warn"> · {failed} failed</span> : ''}
    </span>
  )
}

/**
 * Jobs, newest first, each with a link to its log: a playlist's recent ones, or (with
 * `titles`, which adds the Playlist column) the Activity page's history of all jobs.
 */
export function JobHistory({ jobs, titles, empty = 'No jobs yet.' }: { jobs: HistoryJob[]; titles?: Map<number, string>; empty?: string }) {
  if (jobs.length === 0)
    return (
      <p class="empty muted" safe>
        {empty}
      </p>
    )
  const prefix = titles ? 'activity' : 'history'
  return (
    <div class="table-wrap">
      <table class={titles ? 'history activity-history' : 'history'}>
        <thead>
          <tr>
            <th scope="col">Job</th>
            {titles ? <th scope="col">Playlist</th> : ''}
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
            <tr id={`${prefix}-${j.id}`} data-status={titles ? j.status : undefined}>
              <td>#{j.id}</td>
              {titles ? (
                <td>
                  <a href={`/playlists/${j.playlist_id}`} safe>
                    {titles.get(j.playlist_id) ?? `#${j.playlist_id}`}
                  </a>
                </td>
              ) : (
                ''
              )}
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
              <td class="time" data-label="started" safe>
                {formatTime(j.started_at ?? j.created_at)}
              </td>
              <td class="time" data-label="finished" safe>
                {formatTime(j.finished_at)}
              </td>
              <td data-label="downloaded">
                <PhaseSummary status={j.download_status} completed={j.download_completed} total={j.download_total} failed={j.download_failed} />
              </td>
              <td data-label="extracted">
                <PhaseSummary status={j.extract_status} completed={j.extract_completed} total={j.extract_total} failed={j.extract_failed} />
              </td>
              <td class="log">
                <JobLogLink jobId={j.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
