/** @jsxImportSource @kitajs/html */
import { AUDIO_FORMATS } from '../../src/config'
import type { Playlist } from '../../src/db/types'
import { SPONSORBLOCK_MODES, SYNC_INTERVALS } from '../../src/db/types'
import { LIBRARY_LAYOUTS, type LibraryLayout } from '../../src/library/layout'
import { SETTING_LABELS as L } from '../../src/playlists/settings-labels'
import type { SettingDefaults } from '../../src/playlists/setting-defaults'
import { formatRelative, formatUtc } from '../format'

export const playlistSettingsId = (playlistId: number) => `playlist-${playlistId}-settings`

export type { SettingDefaults }

export const prunePreviewId = (playlistId: number) => `playlist-${playlistId}-prune-preview`

/** A count setting as the form shows it: "" for the server default. */
const countValue = (n: number | null) => (n === null ? '' : String(n))
/** The server default of a count setting, in words. */
const countDefault = (n: number | null, unit: string) => (n === null ? 'off' : `${n} ${unit}`)

const SPONSORBLOCK_WORDS: Record<string, string> = { off: 'off', mark: 'mark as chapters', remove: 'cut from the audio' }

/** The tab boxes only make sense for a YouTube channel (its root or one of its tabs). */
const isChannel = (p: Playlist) => p.extractor === 'youtube:tab' && /youtube\.com\/(@|channel\/|c\/|user\/)/i.test(p.url)

const QUALITIES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

const LAYOUT_WORDS: Record<LibraryLayout, string> = {
  plain: 'plain (videos/, audio/, thumbnails/)',
  jellyfin: 'Jellyfin (a TV show, NFOs, a music folder)',
  plex: 'Plex (a TV show, a music folder)',
}

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
  if (p.library_layout !== 'plain') parts.push(`${p.library_layout} layout`)
  const keep = p.keep_newest ?? defaults.keep_newest ?? 0
  const days = p.delete_videos_after_days ?? defaults.delete_videos_after_days ?? 0
  if (keep > 0) parts.push(`keeps newest ${keep}`)
  if (days > 0) parts.push(`videos deleted after ${days} d`)
  const subtitles = p.subtitles ?? defaults.subtitles
  if (subtitles !== 'off') parts.push(`subtitles ${subtitles}${(p.auto_subtitles ?? defaults.auto_subtitles) ? ' (+auto)' : ''}`)
  if (p.split_chapters ?? defaults.split_chapters) parts.push('split chapters')
  else if (p.chapters ?? defaults.chapters) parts.push('chapters')
  const sponsorblock = p.sponsorblock ?? defaults.sponsorblock
  if (sponsorblock !== 'off') parts.push(`SponsorBlock ${sponsorblock}${sponsorblock === 'remove' && p.sponsorblock_video ? ' (video too)' : ''}`)
  return parts.join(' · ')
}

/** A setting that is on, off, or the server's default (null). */
function SwitchSelect({ name, label, value, fallback }: { name: string; label: string; value: boolean | null; fallback: boolean }) {
  return (
    <label>
      <span safe>{label}</span>
      <select name={name}>
        <option value="" selected={value === null} safe>{`default (${fallback ? 'on' : 'off'})`}</option>
        <option value="on" selected={value === true}>
          on
        </option>
        <option value="off" selected={value === false}>
          off
        </option>
      </select>
    </label>
  )
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
export function PlaylistSettings({
  playlist: p,
  defaults,
  saved,
  nowMs,
  relayoutJobId,
}: {
  playlist: Playlist
  defaults: SettingDefaults
  saved?: boolean
  nowMs?: number
  /** The relayout job the save started (a new layout or file names), if any. */
  relayoutJobId?: number | null
}) {
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
        <fieldset class="settings-fields library-layout">
          <legend>files on disk (a change moves the existing files)</legend>
          <label>
            <span>{L.library_layout}</span>
            <select name="library_layout">
              {LIBRARY_LAYOUTS.map((l) => (
                <option value={l} selected={p.library_layout === l} safe>
                  {LAYOUT_WORDS[l]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{L.name_template}</span>
            <input
              type="text"
              name="name_template"
              value={p.name_template ?? ''}
              maxlength="200"
              placeholder="the layout's own names, e.g. {position} - {title}"
              aria-describedby={`${id}-template-help`}
            />
          </label>
          <p class="muted" id={`${id}-template-help`}>
            Fields: {'{position}'}, {'{title}'}, {'{uploader}'}, {'{upload_date}'}, {'{id}'}, {'{playlist}'}. Jellyfin and Plex keep the episode code
            (S2024E007) in front.
          </p>
        </fieldset>
        <fieldset class="settings-fields retention">
          <legend>retention (runs after a job that added files, and on each scheduled sync)</legend>
          <label>
            <span>{L.keep_newest}</span>
            <input
              type="text"
              inputmode="numeric"
              name="keep_newest"
              value={countValue(p.keep_newest)}
              size="5"
              placeholder={`default: ${countDefault(defaults.keep_newest, 'entries')}`}
            />
          </label>
          <label>
            <span>{L.delete_videos_after_days}</span>
            <input
              type="text"
              inputmode="numeric"
              name="delete_videos_after_days"
              value={countValue(p.delete_videos_after_days)}
              size="5"
              placeholder={`default: ${countDefault(defaults.delete_videos_after_days, 'days')}`}
            />
          </label>
          <label>
            <span>{L.keep_audio}</span>
            <select name="keep_audio">
              <option value="" selected={p.keep_audio === null} safe>
                {`server default (${defaults.keep_audio ? 'yes' : 'no'})`}
              </option>
              <option value="true" selected={p.keep_audio === true}>
                yes
              </option>
              <option value="false" selected={p.keep_audio === false}>
                no: delete the audio too
              </option>
            </select>
          </label>
          <p class="muted retention-help">0 turns a rule off for this playlist; newest means latest upload date, then playlist position.</p>
          <button
            type="button"
            class="btn"
            hx-get={`/playlists/${p.id}/prune-preview`}
            hx-include="closest fieldset"
            hx-target={`#${prunePreviewId(p.id)}`}
            hx-swap="innerHTML"
          >
            Preview what a prune would delete
          </button>
          <div id={prunePreviewId(p.id)} aria-live="polite"></div>
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
        <fieldset class="settings-fields media-extras">
          <legend>subtitles and chapters (for what is downloaded or extracted from now on)</legend>
          <label>
            <span>{L.subtitles}</span>
            <input
              type="text"
              name="subtitles"
              value={p.subtitles ?? ''}
              maxlength="400"
              placeholder={`server default (${defaults.subtitles}); off, all, or en,de`}
            />
          </label>
          <SwitchSelect name="auto_subtitles" label={L.auto_subtitles} value={p.auto_subtitles} fallback={defaults.auto_subtitles} />
          <SwitchSelect name="chapters" label={L.chapters} value={p.chapters} fallback={defaults.chapters} />
          <SwitchSelect name="split_chapters" label={`${L.split_chapters} (one audio file each)`} value={p.split_chapters} fallback={defaults.split_chapters} />
        </fieldset>
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
              {relayoutJobId ? (
                <>
                  {' · moving the files: '}
                  <a href={`/jobs/${relayoutJobId}/log`} safe>
                    {`job #${relayoutJobId}`}
                  </a>
                </>
              ) : (
                ''
              )}
            </p>
          ) : (
            ''
          )}
        </div>
      </details>
    </form>
  )
}
