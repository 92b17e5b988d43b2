/** @jsxImportSource @kitajs/html */
import type { Job, ListedVideo } from '../../src/db/types'

export const restoreTargetId = (videoId: number) => `video-${videoId}-restore`

/** On a pruned entry's row: fetch it again, and keep it out of later prunes. */
export function RestoreButton({ video }: { video: ListedVideo }) {
  return (
    <span id={restoreTargetId(video.id)}>
      <button
        type="button"
        class="btn btn-small"
        hx-post={`/playlists/${video.playlist_id}/entries/${video.id}/restore`}
        hx-target={`#${restoreTargetId(video.id)}`}
        hx-swap="innerHTML"
        aria-label={`Restore: ${video.title}`}
      >
        Restore
      </button>
    </span>
  )
}

/** The answer in the row: which job fetches it, or that the next one will. */
export function RestoreResult({ job }: { job: Job | null }) {
  return (
    <span class="notice" role="status">
      {job ? `Restored: job #${String(job.id)} fetches it again` : 'Restored: the next job fetches it again'}
    </span>
  )
}
