/** @jsxImportSource @kitajs/html */
import type { JobType } from '../../src/db/types'

export const playlistActionsId = (playlistId: number) => `playlist-${playlistId}-actions`

const BUTTONS: { type: JobType; label: string }[] = [
  { type: 'download', label: 'Download' },
  { type: 'extract', label: 'Extract' },
  { type: 'both', label: 'Both' },
]

/**
 * Download / Extract / Both. A new job's card goes to the top of #jobs; errors (409 and
 * the like) go to the line under the buttons instead (htmx 4 swaps 4xx, hx-status picks
 * where). Disabled while the playlist has a live job; job cards swap this out-of-band.
 */
export function PlaylistActions({ playlistId, busy, oob }: { playlistId: number; busy: boolean; oob?: boolean }) {
  const id = playlistActionsId(playlistId)
  // `hx-status:4xx` has a digit after the colon, which JSX cannot spell; spread it.
  const onError = { 'hx-status:4xx': `target:#${id}-message swap:innerHTML`, 'hx-status:5xx': `target:#${id}-message swap:innerHTML` }
  return (
    <div class="playlist-actions" id={id} hx-swap-oob={oob ? 'true' : undefined}>
      <div class="btn-group" role="group" aria-label="Start a job">
        {BUTTONS.map((b) => (
          <button
            type="button"
            class={`btn${b.type === 'both' ? ' btn-primary' : ''}`}
            data-job-type={b.type}
            hx-post={`/playlists/${playlistId}/jobs`}
            hx-vals={JSON.stringify({ type: b.type })}
            hx-target="#jobs"
            hx-swap="afterbegin"
            {...onError}
            disabled={busy}
            title={busy ? 'a job is running for this playlist' : undefined}
            safe
          >
            {b.label}
          </button>
        ))}
      </div>
      <div class="action-message" id={`${id}-message`} aria-live="polite"></div>
    </div>
  )
}
