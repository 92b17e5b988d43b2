/** @jsxImportSource @kitajs/html */
export const jobLogUrl = (id: number) => `/jobs/${id}/log`

/** The link to a job's event log; on every job card and job-history row. */
export function JobLogLink({ jobId }: { jobId: number }) {
  return (
    <a class="log-link" href={jobLogUrl(jobId)} data-job-id={String(jobId)} aria-label={`Log of job #${jobId}`}>
      Log
    </a>
  )
}
