/** @jsxImportSource @kitajs/html */
import { AUDIO_FORMATS } from '../../src/config'
import type { Playlist } from '../../src/db/types'
import { SYNC_INTERVALS } from '../../src/db/types'
import { formatRelative, formatUtc } from '../format'

export const playlistSettingsId = (playlistId: number) => `playlist-${playlistId}-settings`

/** The server-wide values a playlist falls back to (AUDIO_FORMAT, AUDIO_QUALITY). */
export interface SettingDefaults {
  audio_format: string
  audio_quality: number
}

/** The tab boxes only make sense for a YouTube channel (its root or one of its tabs). */
const isChannel = (p: Playlist) => p.extractor === 'youtube:tab' && /youtube\.com\/(@|channel\/|c\/|user\/)/i.test(p.url)

const QUALITIES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

/** Seconds as the form's minutes ("1.5"), "" for no bound. */
const minutes = (s: number | null) => (s === null ? '' : String(Math.round((s / 60) * 100) / 100))

/** "sync: daily · next sync: 2026-08-02 14:03 UTC (in 23 h)", or "sync: off". */
function SyncStatus({ playlist, nowMs }: { playlist: Playlist; nowMs?: number }) {
  if (playlist.sync_interval === 'off') return <p class="sync-status muted">sync: off (no automatic sync)</p>
  return (
    <p class="sync-status">
      <span safe>{`sync: ${playlist.sync_interval}`}</span>
      {' · '}
      {playlist.next_sync_at ? (
        <span class="next-sync">
          <span safe>{`next sync: ${formatUtc(playlist.next_sync_at)}`}</span>{' '}
          <span class="muted" safe>{`(${formatRelative(playlist.next_sync_at, nowMs)})`}</span>
        </span>
      ) : (
        <span class="next-sync muted">next sync: not scheduled</span>
      )}
    </p>
  )
}

/**
 * audio_format, audio_quality, sync_interval and the download filters of one playlist
 * (entries they leave out are marked skipped, with the reason). Saving re-renders this
 * fragment with a "Saved" note; a 4xx lands in the message line instead (hx-status).
 */
export function PlaylistSettings({ playlist: p, defaults, saved, nowMs }: { playlist: Playlist; defaults: SettingDefaults; saved?: boolean; nowMs?: number }) {
  const id = playlistSettingsId(p.id)
  const onError = { 'hx-status:4xx': `target:#${id}-message swap:innerHTML`, 'hx-status:5xx': `target:#${id}-message swap:innerHTML` }
  return (
    <form id={id} class="settings" hx-post={`/playlists/${p.id}/settings`} hx-target="this" hx-swap="outerHTML" hx-disable="find button" {...onError}>
      <div class="settings-fields">
        <label>
          <span>audio format</span>
          <select name="audio_format">
            <option value="" selected={p.audio_format === null} safe>
              {`server default (${defaults.audio_format})`}
            </option>
            {AUDIO_FORMATS.map((f) => (
              <option value={f} selected={p.audio_format === f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>quality (0 best … 9 smallest)</span>
          <select name="audio_quality">
            <option value="" selected={p.audio_quality === null}>
              default ({defaults.audio_quality})
            </option>
            {QUALITIES.map((q) => (
              <option value={String(q)} selected={p.audio_quality === q}>
                {q}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>sync interval</span>
          <select name="sync_interval">
            {SYNC_INTERVALS.map((s) => (
              <option value={s} selected={p.sync_interval === s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="btn">
          Save
        </button>
      </div>
      <fieldset class="settings-fields download-filters">
        <legend>download only entries…</legend>
        <label>
          <span>at least (minutes)</span>
          <input type="text" inputmode="decimal" name="min_minutes" value={minutes(p.min_duration)} size="5" placeholder="any" />
        </label>
        <label>
          <span>at most (minutes)</span>
          <input type="text" inputmode="decimal" name="max_minutes" value={minutes(p.max_duration)} size="5" placeholder="any" />
        </label>
        <label>
          <span>title matching</span>
          <input type="text" name="title_include" value={p.title_include ?? ''} maxlength="200" placeholder="any title (a regular expression)" />
        </label>
        <label>
          <span>title not matching</span>
          <input type="text" name="title_exclude" value={p.title_exclude ?? ''} maxlength="200" placeholder="e.g. #shorts|trailer" />
        </label>
        <label>
          <span>uploaded on or after</span>
          <input type="date" name="date_after" value={p.date_after ?? ''} />
        </label>
      </fieldset>
      {isChannel(p) ? (
        <fieldset class="settings-fields channel-tabs">
          <legend>channel tabs (Videos always; read at the next sync or job)</legend>
          <input type="hidden" name="tabs" value="1" />
          <label>
            <input type="checkbox" name="include_shorts" checked={p.include_shorts} />
            <span>Shorts</span>
          </label>
          <label>
            <input type="checkbox" name="include_live" checked={p.include_live} />
            <span>Live</span>
          </label>
        </fieldset>
      ) : (
        ''
      )}
      <SyncStatus playlist={p} nowMs={nowMs} />
      <div class="action-message" id={`${id}-message`} aria-live="polite">
        {saved ? (
          <p class="notice" role="status">
            Saved
          </p>
        ) : (
          ''
        )}
      </div>
    </form>
  )
}
