/** @jsxImportSource @kitajs/html */
import type { Job, JobStatus } from '../../src/db/types'
import { moveStatus } from '../../src/library/move-phase'
import { batchInfo } from '../format'
import { JobControls } from './job-controls'
import { DismissButton } from './job-dismiss'
import { JobLogLink } from './job-log-link'
import { JobOutcome } from './job-outcome'
import { PhaseBar, phaseShown } from './phase-bar'
import { RunningItems } from './running-items'

export const isLiveJob = (status: JobStatus) => status === 'queued' || status === 'running' || status === 'paused'

export const jobCardUrl = (id: number) => `/jobs/${id}/card`

/**
 * One job as the seed's design note draws it: a bar per active phase, then the completion
 * message. While the job is live the card polls its own URL once a second and replaces
 * itself (outerHTML); the render of a finished job has
 * no hx-trigger, so the last swap ends the polling. htmx 4 has no "286 stop polling".
 */
export function JobCard({ job, playlistTitle }: { job: Job; playlistTitle: string | null }) {
  const live = isLiveJob(job.status)
  // htmx 4 swaps error responses: a 404 (job gone) replaces the card with the error and so
  // ends the polling, but a passing 5xx must not, so it swaps nothing and the next tick retries.
  const poll = live ? { 'hx-get': jobCardUrl(job.id), 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML', 'hx-status:5xx': 'swap:none' } : {}
  return (
    <section id={`job-${job.id}`} class={`job-card job-${job.status}`} data-job-id={String(job.id)} data-status={job.status} {...poll}>
      <header class="job-head">
        <h3 class="job-title">
          {'Playlist: '}
          <a href={`/playlists/${job.playlist_id}`} safe>
            {playlistTitle ?? `#${job.playlist_id}`}
          </a>
        </h3>
        <span class="job-chips">
          {job.priority === 'high' ? <span class="chip chip-high">high priority</span> : ''}
          <span class={`chip chip-${job.status}`}>
            {job.type} · {job.status}
          </span>
        </span>
      </header>
      {live && job.download_status && phaseShown(job.download_status) ? (
        <PhaseBar
          phase="download"
          status={job.download_status}
          completed={job.download_completed}
          failed={job.download_failed}
          total={job.download_total}
          batchInfo={batchInfo(job)}
        />
      ) : (
        ''
      )}
      {live && job.extract_status && phaseShown(job.extract_status) ? (
        <PhaseBar phase="extract" status={job.extract_status} completed={job.extract_completed} failed={job.extract_failed} total={job.extract_total} />
      ) : (
        ''
      )}
      {live && job.type === 'relayout' ? (
        <PhaseBar phase="move" status={moveStatus(job) ?? 'pending'} completed={job.move_completed} failed={0} total={job.move_total} />
      ) : (
        ''
      )}
      {live ? <RunningItems items={job.current} /> : <JobOutcome job={job} />}
      {live && job.control ? (
        <p class="muted control-asked" role="status" safe>
          {`${job.control === 'cancel' ? 'Cancel' : job.control === 'pause' ? 'Pause' : 'Resume'} asked: node ${job.node ?? '?'}, which runs this job, applies it in a moment`}
        </p>
      ) : (
        ''
      )}
      <footer class="job-foot">
        <JobLogLink jobId={job.id} />
        <JobControls job={job} playlistTitle={playlistTitle} />
        <DismissButton job={job} />
      </footer>
    </section>
  )
}
