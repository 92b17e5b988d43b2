/** @jsxImportSource @kitajs/html */
import { AUDIO_FORMATS } from '../../src/config'

/** The URL input, also re-sent out-of-band (empty) after a successful paste to clear it. */
export function PlaylistUrlInput({ oob }: { oob?: boolean }) {
  return (
    <input
      id="playlist-url"
      name="url"
      type="url"
      required
      autocomplete="off"
      placeholder="https://www.youtube.com/playlist?list=… or a single video"
      aria-describedby="add-playlist-status"
      hx-swap-oob={oob ? 'true' : undefined}
    />
  )
}

const CHOICES = [
  { value: 'both', label: 'Video + audio', hint: 'keeps the video and extracts its audio' },
  { value: 'audio', label: 'Audio only', hint: 'extracts the audio, then deletes each video file' },
  { value: 'video', label: 'Video only', hint: 'downloads the video, no audio extraction' },
] as const

/**
 * Paste and go, the one add form: the URL is added (or found, if already there) and its job
 * starts at once. The answer (a notice with a link, or a 4xx error) lands in
 * #add-playlist-status: htmx 4 swaps 4xx too, and it replaces the previous answer. While a
 * request runs, CSS hides the old answer, so a new paste never shows a stale error.
 */
export function AddPlaylistForm({ defaultFormat }: { defaultFormat: string }) {
  return (
    <section class="card add-playlist" aria-labelledby="add-playlist-heading">
      <h2 id="add-playlist-heading">Paste and go</h2>
      <form id="add-playlist" hx-post="/playlists" hx-target="#add-playlist-status" hx-swap="innerHTML" hx-disable="find button">
        <label for="playlist-url">Playlist, channel or video URL</label>
        <div class="input-row">
          <PlaylistUrlInput />
          <button type="submit" class="btn btn-primary">
            Start
          </button>
        </div>
        <div class="paste-options">
          <fieldset class="paste-keep">
            <legend>Keep</legend>
            {CHOICES.map((c) => (
              <label class="paste-choice">
                <input type="radio" name="start" value={c.value} checked={c.value === 'both'} />
                <span>{c.label}</span> <small class="muted" safe>{`(${c.hint})`}</small>
              </label>
            ))}
          </fieldset>
          <label class="paste-format">
            {'Audio format '}
            <select name="audio_format">
              <option value="" selected safe>
                {`the playlist's (${defaultFormat} unless set)`}
              </option>
              {AUDIO_FORMATS.map((f) => (
                <option value={f}>{f}</option>
              ))}
            </select>
          </label>
        </div>
        <p class="busy muted">Reading the URL…</p>
      </form>
      <div id="add-playlist-status" aria-live="polite"></div>
    </section>
  )
}
