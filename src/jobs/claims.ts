import type { DB } from '../db/open'
import type { JobRow } from '../db/types'
import { downloadTotals } from '../db/videos'

/** A retry job takes exactly the failed items of both phases. */
export async function claimRetry(db: DB, job: JobRow): Promise<void> {
  await db
    .updateTable('videos')
    .set({ download_state: 'pending', download_job_id: job.id, error: null })
    .where('playlist_id', '=', job.playlist_id)
    .where('download_state', '=', 'failed')
    .where('missing_since', 'is', null) // gone upstream: retrying can only fail again
    .execute()
  await db
    .updateTable('videos')
    .set({ extract_state: 'pending', extract_job_id: job.id, error: null })
    .where('playlist_id', '=', job.playlist_id)
    .where('download_state', '=', 'downloaded')
    .where('extract_state', '=', 'failed')
    .execute()
}

/**
 * The work a job already owns (a resumed or retry job), with counts recomputed from
 * the item rows, which survive a crash where the job's counters may not.
 */
export async function claimedCounts(db: DB, job: JobRow) {
  const rows = await db
    .selectFrom('videos')
    .select(['id', 'download_state', 'extract_state', 'download_job_id', 'extract_job_id'])
    .where('playlist_id', '=', job.playlist_id)
    .where((eb) => eb.or([eb('download_job_id', '=', job.id), eb('extract_job_id', '=', job.id)]))
    .orderBy('position')
    .execute()
  const mineDl = rows.filter((r) => r.download_job_id === job.id)
  const mineEx = rows.filter((r) => r.extract_job_id === job.id)
  const download = job.type === 'extract' ? [] : mineDl.filter((r) => r.download_state === 'pending' || r.download_state === 'downloading').map((r) => r.id)
  const extract = job.type === 'download' ? [] : mineEx.filter((r) => r.extract_state === 'pending' || r.extract_state === 'extracting').map((r) => r.id)
  const dlFailed = mineDl.filter((r) => r.download_state === 'failed').length
  const patch: Partial<JobRow> = {}
  if (job.type !== 'extract') {
    patch.download_total = mineDl.length
    patch.download_completed = mineDl.filter((r) => r.download_state === 'downloaded').length
    patch.download_failed = dlFailed
  }
  if (job.type !== 'download') {
    patch.extract_completed = mineEx.filter((r) => r.extract_state === 'extracted').length
    patch.extract_failed = mineEx.filter((r) => r.extract_state === 'failed').length
    // Everything claimed for extraction, plus downloads still to come.
    patch.extract_total = mineEx.length + (job.type === 'both' ? download.length : 0)
  }
  const totals = await downloadTotals(db, job.playlist_id)
  const downloadedAtStart = totals.downloaded - (patch.download_completed ?? 0)
  const batching = job.download_batch_info !== null
  return { patch, download, extract, batch: { total: totals.total, downloadedAtStart, batching } }
}
