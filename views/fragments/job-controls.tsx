/** @jsxImportSource @kitajs/html */
import type { Job } from '../../src/db/types'

type JobAction = 'pause' | 'resume' | 'cancel' | 'priority'

/** A button that posts a job action and swaps the card it sits in; `name` tells apart two buttons of one action. */
function JobButton({
  job,
  subject,
  action,
  name,
  label,
  kind,
  vals,
  title,
}: {
  job: Job
  /** Who the button acts on, in its accessible name ("Pause job #3 of Morning Mix"). */
  subject: string
  action: JobAction
  name?: string
  label: string
  kind?: string
  vals?: Record<string, string>
  title?: string
}) {
  return (
    <button
      type="button"
      class={`btn btn-small${kind ? ` ${kind}` : ''}`}
      data-action={name ?? action}
      title={title}
      hx-post={`/jobs/${job.id}/${action}`}
      hx-vals={vals ? JSON.stringify(vals) : undefined}
      hx-target={`#job-${job.id}`}
      hx-swap="outerHTML"
      hx-disable="this"
      aria-label={`${label} ${subject}`}
      safe
    >
      {label}
    </button>
  )
}

/**
 * Pause/Resume, Prioritise (or its undo, Normal priority) and Cancel for live jobs; Resume
 * for interrupted ones. High priority puts the job's items first in both worker pools.
 */
export function JobControls({ job, playlistTitle }: { job: Job; playlistTitle: string | null }) {
  // "Pause job #3 of Morning Mix": several cards' buttons stay apart in a screen reader's list.
  const subject = `job #${job.id} of ${playlistTitle ?? `playlist #${job.playlist_id}`}`
  if (job.status === 'interrupted')
    return <div class="job-controls">{<JobButton job={job} subject={subject} action="resume" label="Resume" kind="btn-primary" />}</div>
  if (job.status !== 'queued' && job.status !== 'running' && job.status !== 'paused') return ''
  return (
    <div class="job-controls">
      {job.priority === 'normal' ? (
        <JobButton job={job} subject={subject} action="priority" label="Prioritise" vals={{ priority: 'high' }} />
      ) : (
        <JobButton
          job={job}
          subject={subject}
          action="priority"
          name="deprioritise"
          label="Normal priority"
          vals={{ priority: 'normal' }}
          title="undo Prioritise: back in line with the other jobs"
        />
      )}
      {job.status === 'paused' ? (
        <JobButton job={job} subject={subject} action="resume" label="Resume" />
      ) : (
        <JobButton job={job} subject={subject} action="pause" label="Pause" />
      )}
      <JobButton job={job} subject={subject} action="cancel" label="Cancel" kind="btn-danger" />
    </div>
  )
}
