/** @jsxImportSource @kitajs/html */
import type { Playlist } from '../../src/db/types'
import { SETTING_LABELS } from '../../src/playlists/settings-labels'

export const playlistNameId = (playlistId: number) => `playlist-${playlistId}-name`

/**
 * The playlist's heading and, folded under "Rename", a form for a new display name. The
 * folder on disk keeps its name. Saving swaps this whole block (heading included); a 4xx
 * lands in the message line (hx-status).
 */
export function PlaylistName({ playlist: p, renamed }: { playlist: Pick<Playlist, 'id' | 'title' | 'folder'>; renamed?: boolean }) {
  const id = playlistNameId(p.id)
  const onError = { 'hx-status:4xx': `target:#${id}-message swap:innerHTML`, 'hx-status:5xx': `target:#${id}-message swap:innerHTML` }
  return (
    <div class="playlist-name" id={id}>
      <h1 safe>{p.title}</h1>
      <details class="rename">
        <summary aria-label={`Rename ${p.title}`}>Rename</summary>
        <form class="rename-form" hx-post={`/playlists/${p.id}/title`} hx-target={`#${id}`} hx-swap="outerHTML" hx-disable="find button" {...onError}>
          <label>
            <span>{SETTING_LABELS.title}</span>
            <input type="text" name="title" value={p.title} required maxlength="200" autocomplete="off" />
          </label>
          <button type="submit" class="btn">
            Save name
          </button>
          <p class="muted" safe>{`The folder on disk stays ${p.folder}/.`}</p>
          <div class="action-message" id={`${id}-message`} aria-live="polite"></div>
        </form>
      </details>
      {renamed ? (
        <p class="notice" role="status">
          Renamed
        </p>
      ) : (
        ''
      )}
    </div>
  )
}
