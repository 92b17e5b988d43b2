/** @jsxImportSource @kitajs/html */
import { AUDIO_FORMATS, type Config } from '../../src/config'
import type { Playlist } from '../../src/db/types'
import { SPONSORBLOCK_MODES, SYNC_INTERVALS } from '../../src/db/types'
import { SETTING_LABELS as L } from '../../src/playlists/settings-labels'
import { formatRelative, formatUtc } from '../format'

export const playlistSettingsId = (playlistId: number) => `playlist-${playlistId}-settings`

/** The server-wide values a playlist falls back to (AUDIO_FORMAT, AUDIO_QUALITY, SPONSORBLOCK, SPONSORBLOCK_CATEGORIES). */
export interface SettingDefaults {
  audio_format: string
  audio_quality: number
  sponsorblock: string
  sponsorblock_categories: string
}

export const settingDefaults = (c: Config): SettingDefaults => ({
  audio_format: c.audioFormat,
  audio_quality: c.audioQuality,
  sponsorblock: c.sponsorblock,
  sponsorblock_categories: c.sponsorblockCategories.join(','),
})

const SPONSORBLOCK_WORDS: Record<string, string> = { off: 'off', mark: 'mark as chapters', remove: 'cut from the audio' }

/** The tab boxes only make sense for a YouTube channel (its root or one of its tabs). */
const isChannel = (p: Playlist) => p.extractor === 'youtube:tab' && /youtube\.com\/(@|channel\/|c\/|user\/)/i.test(p.url)

const QUALITIES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

/** Seconds as the form's minutes ("1.5"), "" for no bound. */
const minutes = (s: number | null) => (s === null ? '' : String(Math.round((s / 60) * 100) / 100))

const SYNC_WORDS: Record<Playlist['sync_interval'], string> = { off: 'sync off', hourly: 'syncs hourly', daily: 'syncs daily', weekly: 'syncs weekly' }

/** The collapsed form's summary: "opus q3 · syncs daily · 2 filters · shorts off". */
export function settingsSummary(p: Playlist, defaults: SettingDefaults): string {
  const format = p.audio_format ?? defaults.audio_format
  const audio = p.audio_quality === null ? format : `${format} q${p.audio_quality}`
  const filters = [p.min_duration, p.max_duration, p.title_include, p.title_exclude, p.date_after].filter((v) => v !== null).length
  const parts = [audio, SYNC_WORDS[p.sync_interval], filters === 0 ? 'no filters' : filters === 1 ? '1 filter' : `${filters} filters`]
  if (isChannel(p)) parts.push(`shorts ${p.include_shorts ? 'on' : 'off'}`, `live ${p.include_live ? 'on' : 'off'}`)
  const sponsorblock = p.sponsorblock ?? defaults.sponsorblock
  if (sponsorblock !== 'off') parts.push(`SponsorBlock ${sponsorblock}${sponsorblock === 'remove' && p.sponsorblock_video ? ' (video too)' : ''}`)
  return parts.join(' · ')
}

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
 * (entries they leave out are marked skipped, with the reason), collapsed under a summary
 * in words. One Save for the whole form re-renders this fragment open, with a "Saved"
 * note; a 4xx lands in the message line instead (hx-status), in the labels' words.
 */
export function PlaylistSettings({ playlist: p, defaults, saved, nowMs }: { playlist: Playlist; defaults: SettingDefaults; saved?: boolean; nowMs?: number }) {
  const id = playlistSettingsId(p.id)
  const onError = { 'hx-status:4xx': `target:#${id}-message swap:innerHTML`, 'hx-status:5xx': `target:#${id}-message swap:innerHTML` }
  return (
    <form id={id} class="settings" hx-post={`/playlists/${p.id}/settings`} hx-target="this" hx-swap="outerHTML" hx-disable="find button" {...onError}>
      <details class="settings-details" open={saved === true}>
        <summary>
          <span class="settings-title">Settings</span>{' '}
          <span class="muted settings-summary" safe>
            {settingsSummary(p, defaults)}
          </span>
        </summary>
        <div class="settings-fields">
          <label>
            <span>{L.audio_format}</span>
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
            <span safe>{`${L.audio_quality} (0 best … 9 smallest)`}</span>
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
            <span>{L.sync_interval}</span>
            <select name="sync_interval">
              {SYNC_INTERVALS.map((s) => (
                <option value={s} selected={p.sync_interval === s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset class="settings-fields download-filters">
          <legend>download only entries…</legend>
          <label>
            <span>{L.min_duration}</span>
            <input type="text" inputmode="decimal" name="min_minutes" value={minutes(p.min_duration)} size="5" placeholder="any" />
          </label>
          <label>
            <span>{L.max_duration}</span>
            <input type="text" inputmode="decimal" name="max_minutes" value={minutes(p.max_duration)} size="5" placeholder="any" />
          </label>
          <label>
            <span>{L.title_include}</span>
            <input type="text" name="title_include" value={p.title_include ?? ''} maxlength="200" placeholder="any title (a regular expression)" />
          </label>
          <label>
            <span>{L.title_exclude}</span>
            <input type="text" name="title_exclude" value={p.title_exclude ?? ''} maxlength="200" placeholder="e.g. #shorts|trailer" />
          </label>
          <label>
            <span>{L.date_after}</span>
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
        <fieldset class="settings-fields sponsorblock">
          <legend>SponsorBlock (YouTube entries, at extraction)</legend>
          <input type="hidden" name="sb" value="1" />
          <label>
            <span>{L.sponsorblock}</span>
            <select name="sponsorblock">
              <option value="" selected={p.sponsorblock === null} safe>
                {`server default (${SPONSORBLOCK_WORDS[defaults.sponsorblock] ?? defaults.sponsorblock})`}
              </option>
              {SPONSORBLOCK_MODES.map((m) => (
                <option value={m} selected={p.sponsorblock === m} safe>
                  {SPONSORBLOCK_WORDS[m]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{L.sponsorblock_categories}</span>
            <input
              type="text"
              name="sponsorblock_categories"
              value={p.sponsorblock_categories ?? ''}
              maxlength="200"
              placeholder={defaults.sponsorblock_categories}
            />
          </label>
          <label>
            <input type="checkbox" name="sponsorblock_video" checked={p.sponsorblock_video} />
            <span>{L.sponsorblock_video}</span>
          </label>
        </fieldset>
        <SyncStatus playlist={p} nowMs={nowMs} />
        <div class="settings-save">
          <button type="submit" class="btn btn-primary">
            Save
          </button>
        </div>
        <div class="action-message" id={`${id}-message`} aria-live="polite">
          {saved ? (
            <p class="notice" role="status">
              Saved
            </p>
          ) : (
            ''
          )}
        </div>
      </details>
    </form>
  )
}
