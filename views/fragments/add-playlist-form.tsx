/** @jsxImportSource @kitajs/html */
/** The URL input, also re-sent out-of-band (empty) after a successful add to clear it. */
export function PlaylistUrlInput({ oob }: { oob?: boolean }) {
  return (
    <input
      id="playlist-url"
      name="url"
      type="url"
      required
      autocomplete="off"
      placeholder="https://www.youtube.com/playlist?list=…"
      aria-describedby="add-playlist-status"
      hx-swap-oob={oob ? 'true' : undefined}
    />
  )
}

/**
 * The add-playlist form. Success and error fragments (422 bad or unreadable URL,
 * 409 duplicate) both land in #add-playlist-status next to it: htmx 4 swaps 4xx.
 */
export function AddPlaylistForm() {
  return (
    <section class="card add-playlist" aria-labelledby="add-playlist-heading">
      <h2 id="add-playlist-heading">Add a playlist</h2>
      <form id="add-playlist" hx-post="/playlists" hx-target="#add-playlist-status" hx-swap="innerHTML" hx-disable="find button">
        <label for="playlist-url" class="visually-hidden">
          Playlist URL
        </label>
        <div class="input-row">
          <PlaylistUrlInput />
          <button type="submit" class="btn btn-primary">
            Add playlist
          </button>
        </div>
        <p class="busy muted">Reading the playlist…</p>
      </form>
      <div id="add-playlist-status" aria-live="polite"></div>
    </section>
  )
}
