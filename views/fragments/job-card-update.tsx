/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'
import type { Job } from '../../src/db/types'
import type { DownloadPoolState } from '../../src/jobs/scheduler'
import { DownloadPoolBanner } from './download-pool-banner'
import { JobCard } from './job-card'
import { PlaylistActions } from './playlist-actions'
import { PlaylistStats } from './playlist-stats'

/**
 * A card plus, out-of-band, its playlist's counts and job buttons: sent when a job starts
 * or ends, so the buttons' disabled state and the counts follow without a reload.
 * Both pages that show cards (home, playlist) carry those two elements. The polled card
 * also brings the download pool banner, when given.
 */
export function JobCardUpdate({
  job,
  playlistTitle,
  counts,
  busy,
  pool,
}: {
  job: Job
  playlistTitle: string | null
  counts: PlaylistCounts | null
  busy: boolean
  pool?: DownloadPoolState
}) {
  return (
    <>
      <JobCard job={job} playlistTitle={playlistTitle} />
      {counts ? <PlaylistStats playlistId={job.playlist_id} counts={counts} oob /> : ''}
      {counts ? <PlaylistActions playlistId={job.playlist_id} playlistTitle={playlistTitle} busy={busy} failed={counts.failed} oob /> : ''}
      {pool ? <DownloadPoolBanner pool={pool} oob /> : ''}
    </>
  )
}
