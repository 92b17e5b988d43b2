/** @jsxImportSource @kitajs/html */
import type { JobType } from '../../src/db/types'
import { plural } from '../format'

export const playlistActionsId = (playlistId: number) => `playlist-${playlistId}-actions`

const BUTTONS: { type: JobType; label: string }[] = [
  { type: 'download', label: 'Download' },
  { type: 'extract', label: 'Extract' },
  { type: 'both', label: 'Both' },
]

/** Starts a retry job for the failed items (manager.retryFailed); its card goes where any new card goes. */
function RetryFailedButton({
  playlistId,
  name,
  failed,
  busy,
  onError,
}: {
  playlistId: number
  name: string
  failed: number
  busy: boolean
  onError: Record<string, string>
}) {
  return (
    <button
      type="button"
      class="btn"
      data-action="retry-failed"
      hx-post={`/playlists/${playlistId}/retry-failed`}
      hx-target="#jobs"
      hx-swap="afterbegin"
      {...onError}
      disabled={busy}
      title={busy ? 'a job is running for this playlist' : `retry ${plural(failed, 'failed item')}`}
      aria-label={`Retry failed of ${name}`}
    >
      Retry failed
    </button>
  )
}

/** What re-extracting would do (src/jobs/reextract.ts): `files` in another format than `format`. */
export interface ReextractOfferView {
  format: string
  files: number
}

/** An extract job with reextract: the files in the old format are made again as `format`. */
function ReextractButton({
  playlistId,
  name,
  offer,
  busy,
  onError,
}: {
  playlistId: number
  name: string
  offer: ReextractOfferView
  busy: boolean
  onError: Record<string, string>
}) {
  const label = `Re-extract ${plural(offer.files, 'file')} as ${offer.format}`
  return (
    <button
      type="button"
      class="btn"
      data-action="reextract"
      hx-post={`/playlists/${playlistId}/jobs`}
      hx-vals={JSON.stringify({ type: 'extract', reextract: 'true' })}
      hx-target="#jobs"
      hx-swap="afterbegin"
      {...onError}
      disabled={busy}
      title={busy ? 'a job is running for this playlist' : 'the old files are replaced once the new ones are valid'}
      aria-label={`${label} for ${name}`}
      safe
    >
      {label}
    </button>
  )
}

/**
 * Download / Extract / Both, and Retry failed when the playlist has failed items. A new
 * job's card goes to the top of #jobs; errors (409 and the like) go to the line under the
 * buttons instead (htmx 4 swaps 4xx, hx-status picks where). Disabled while the playlist
 * has a live job; job cards swap this out-of-band.
 */
export function PlaylistActions({
  playlistId,
  playlistTitle,
  busy,
  failed,
  reextract,
  oob,
}: {
  playlistId: number
  playlistTitle: string | null
  busy: boolean
  failed: number
  /** Given where the re-extract offer is shown (the playlist page and its job cards); the button only when files > 0. */
  reextract?: ReextractOfferView
  oob?: boolean
}) {
  const id = playlistActionsId(playlistId)
  // "Download Morning Mix": a screen reader's list of buttons tells the library's rows apart (attributes are escaped).
  const name = playlistTitle ?? `playlist #${playlistId}`
  // `hx-status:4xx` has a digit after the colon, which JSX cannot spell; spread it.
  const onError = { 'hx-status:4xx': `target:#${id}-message swap:innerHTML`, 'hx-status:5xx': `target:#${id}-message swap:innerHTML` }
  return (
    <div class="playlist-actions" id={id} hx-swap-oob={oob ? 'true' : undefined}>
      <div class="btn-group" role="group" aria-label={`Start a job for ${name}`}>
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
            aria-label={`${b.label} ${name}`}
            safe
          >
            {b.label}
          </button>
        ))}
        {reextract && reextract.files > 0 ? <ReextractButton playlistId={playlistId} name={name} offer={reextract} busy={busy} onError={onError} /> : ''}
        {failed > 0 ? <RetryFailedButton playlistId={playlistId} name={name} failed={failed} busy={busy} onError={onError} /> : ''}
      </div>
      <div class="action-message" id={`${id}-message`} aria-live="polite"></div>
    </div>
  )
}
