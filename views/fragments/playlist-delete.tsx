/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'
import type { Playlist } from '../../src/db/types'
import { plural } from '../format'

export const playlistDeleteId = (playlistId: number) => `playlist-${playlistId}-delete`

/**
 * Delete, folded away: opening it is the confirmation, and its two buttons are the two
 * answers (keep the files, or delete them too); a JS confirm() could offer only one. Success
 * sends the browser to the library (HX-Redirect); a refusal (a job is running) lands in the
 * message line.
 */
export function PlaylistDelete({ playlist: p, counts }: { playlist: Pick<Playlist, 'id' | 'title' | 'folder'>; counts: PlaylistCounts }) {
  const id = playlistDeleteId(p.id)
  const onError = { 'hx-status:4xx': `target:#${id}-message swap:innerHTML`, 'hx-status:5xx': `target:#${id}-message swap:innerHTML` }
  const button = (deleteFiles: boolean, label: string, kind: string) => (
    <button
      type="button"
      class={`btn ${kind}`}
      data-action={deleteFiles ? 'delete-with-files' : 'delete-keep-files'}
      hx-post={`/playlists/${p.id}/delete`}
      hx-vals={JSON.stringify({ delete_files: String(deleteFiles) })}
      hx-disable={`#${id} button`}
      {...onError}
      safe
    >
      {label}
    </button>
  )
  return (
    <details class="playlist-delete" id={id}>
      <summary aria-label={`Delete ${p.title}…`}>Delete…</summary>
      <p safe>
        {`Deleting forgets this playlist, its ${plural(counts.entries, 'entry', 'entries')} and its job history. ` +
          `Its files (${plural(counts.downloaded, 'video')}, ${plural(counts.extracted, 'audio file')}) are in ${p.folder}/.`}
      </p>
      <div class="btn-group" role="group" aria-label={`Delete ${p.title}`}>
        {button(false, 'Delete, keep the files', '')}
        {button(true, 'Delete with its files', 'btn-danger')}
      </div>
      <div class="action-message" id={`${id}-message`} aria-live="polite"></div>
    </details>
  )
}
