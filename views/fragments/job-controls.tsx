/** @jsxImportSource @kitajs/html */
import type { Job } from '../../src/db/types'

/** A button that posts a job action and swaps the card it sits in. */
function JobButton({ job, action, label, kind }: { job: Job; action: 'pause' | 'resume' | 'cancel'; label: string; kind?: string }) {
  return (
    <button
      type="button"
      class={`btn btn-small${kind ? ` ${kind}` : ''}`}
      data-action={action}
      hx-post={`/jobs/${job.id}/${action}`}
      hx-target={`#job-${job.id}`}
      hx-swap="outerHTML"
      hx-disable="this"
      safe
    >
      {label}
    </button>
  )
}

/** Pause/Resume and Cancel for live jobs; Resume for interrupted ones. */
export function JobControls({ job }: { job: Job }) {
  if (job.status === 'interrupted') return <div class="job-controls">{<JobButton job={job} action="resume" label="Resume" kind="btn-primary" />}</div>
  if (job.status !== 'queued' && job.status !== 'running' && job.status !== 'paused') return ''
  return (
    <div class="job-controls">
      {job.status === 'paused' ? <JobButton job={job} action="resume" label="Resume" /> : <JobButton job={job} action="pause" label="Pause" />}
      <JobButton job={job} action="cancel" label="Cancel" kind="btn-danger" />
    </div>
  )
}
