import { listJobs } from '../db/jobs'
import { findPlaylist, playlistCounts, updatePlaylist } from '../db/playlists'
import type { Playlist, PlaylistUpdate, VideoFilter } from '../db/types'
import { listVideos } from '../db/videos'
import { compilePattern, isIsoDate, type DownloadFilters } from '../library/filters'
import { templateProblem } from '../library/layout'
import { parseCategories } from '../library/sponsorblock'
import { applyDownloadFilters } from './download-filters'
import type { AppContext } from '../context'
import { requirePlaylist } from './require-playlist'
import type { SettingsPatch } from './settings-model'
import { InvalidSetting } from './settings-labels'
import { parseSubtitleChoice, subtitleChoiceText } from '../library/subtitle-langs'
import { nextSyncAt } from './sync-times'

/**
 * A playlist with its counts, one page of entries and its recent jobs, as the API and the
 * pages show it; `history: false` leaves the jobs out (the entries section polls without them).
 */
export async function playlistDetail(
  ctx: AppContext,
  id: number,
  page: { offset?: number; limit?: number; filter?: VideoFilter; q?: string } = {},
  opts: { history?: boolean } = {},
) {
  const playlist = await requirePlaylist(ctx.db, id)
  const offset = page.offset ?? 0
  const limit = page.limit ?? 100
  const [counts, { videos, total }, jobs] = await Promise.all([
    playlistCounts(ctx.db, id),
    listVideos(ctx.db, id, { offset, limit, filter: page.filter, q: page.q }),
    opts.history === false ? [] : listJobs(ctx.db, { playlist_id: id, limit: 20 }),
  ])
  return {
    ...playlist,
    counts,
    videos,
    videos_total: total,
    offset,
    limit,
    filter: page.filter ?? 'all',
    q: page.q?.trim() ?? '',
    jobs: jobs.map(({ current: _c, ...j }) => j),
  }
}

/** Longest display name a rename accepts (yt-dlp's own titles are not held to it). */
export const MAX_TITLE_LENGTH = 200

export async function updatePlaylistSettings(ctx: AppContext, id: number, patch: SettingsPatch): Promise<Playlist> {
  const playlist = await requirePlaylist(ctx.db, id)
  const update: PlaylistUpdate = {}
  if (patch.title !== undefined) Object.assign(update, { title: checkTitle(patch.title), renamed: 1 })
  if (patch.audio_format !== undefined) update.audio_format = patch.audio_format
  if (patch.audio_quality !== undefined) update.audio_quality = patch.audio_quality
  if (patch.include_shorts !== undefined) update.include_shorts = patch.include_shorts ? 1 : 0
  if (patch.include_live !== undefined) update.include_live = patch.include_live ? 1 : 0
  if (patch.keep_newest !== undefined) update.keep_newest = patch.keep_newest
  if (patch.delete_videos_after_days !== undefined) update.delete_videos_after_days = patch.delete_videos_after_days
  if (patch.keep_audio !== undefined) update.keep_audio = patch.keep_audio === null ? null : patch.keep_audio ? 1 : 0
  if (patch.subtitles !== undefined) update.subtitles = checkSubtitles(patch.subtitles)
  for (const key of ['auto_subtitles', 'chapters', 'split_chapters'] as const) {
    const v = patch[key]
    if (v !== undefined) update[key] = v === null ? null : v ? 1 : 0
  }
  if (patch.sponsorblock !== undefined) update.sponsorblock = patch.sponsorblock
  if (patch.sponsorblock_categories !== undefined) update.sponsorblock_categories = checkCategories(patch.sponsorblock_categories)
  if (patch.sponsorblock_video !== undefined) update.sponsorblock_video = patch.sponsorblock_video ? 1 : 0
  if (patch.sync_interval !== undefined) {
    update.sync_interval = patch.sync_interval
    update.next_sync_at = nextSyncAt(patch.sync_interval, new Date())
  }
  if (patch.library_layout !== undefined) update.library_layout = patch.library_layout
  if (patch.name_template !== undefined) update.name_template = checkTemplate(patch.name_template)
  const filters = checkFilters(playlist, patch)
  Object.assign(update, filters)
  await updatePlaylist(ctx.db, id, update)
  // Entries waiting for a download are re-sorted at once, not at the next index.
  const updated = (await findPlaylist(ctx.db, id))!
  if (Object.keys(filters).length > 0) await applyDownloadFilters(ctx, updated)
  return updated
}

/** A naming template, checked on save; "" or null: the layout's own names. */
function checkTemplate(raw: string | null): string | null {
  if (raw === null || raw.trim() === '') return null
  const problem = templateProblem(raw)
  if (problem) throw new InvalidSetting('name_template', `name_template is not a valid template: ${problem}`, `not a valid template: ${problem}`)
  return raw
}

/** SponsorBlock categories as stored: known names, comma-separated, each once; null (or "") for the server's. */
function checkCategories(raw: string | null): string | null {
  if (raw === null || raw.trim() === '') return null
  try {
    return parseCategories(raw).join(',')
  } catch (err) {
    const problem = err instanceof Error ? err.message : String(err)
    throw new InvalidSetting('sponsorblock_categories', `sponsorblock_categories ${problem}`, problem)
  }
}

/** A new display name, trimmed; refused when empty or too long. */
function checkTitle(raw: string): string {
  const title = raw.trim()
  if (title === '') throw new InvalidSetting('title', 'title must not be empty', 'must not be empty')
  if (title.length > MAX_TITLE_LENGTH)
    throw new InvalidSetting('title', `title must be at most ${MAX_TITLE_LENGTH} characters`, `must be at most ${MAX_TITLE_LENGTH} characters`)
  return title
}

/** "off", "all" or "en,de" as stored; null (or "") for the server default; a bad tag is refused with the reason. */
function checkSubtitles(raw: string | null): string | null {
  if (raw === null || raw.trim() === '') return null
  const choice = parseSubtitleChoice(raw)
  if ('error' in choice) throw new InvalidSetting('subtitles', `subtitles ${choice.error}`, choice.error)
  return subtitleChoiceText(choice)
}

/** The filter fields of a patch, validated against each other and the stored ones; "" clears a pattern. */
function checkFilters(current: DownloadFilters, patch: Partial<DownloadFilters>): Partial<DownloadFilters> {
  const out: Partial<DownloadFilters> = {}
  for (const key of ['title_include', 'title_exclude'] as const) {
    const v = patch[key]
    if (v === undefined) continue
    const pattern = v === null || v.trim() === '' ? null : v.trim()
    if (pattern !== null) {
      try {
        compilePattern(key, pattern)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        throw new InvalidSetting(key, message, message.replace(`${key} is `, ''))
      }
    }
    out[key] = pattern
  }
  if (patch.date_after !== undefined) {
    const date = patch.date_after === null || patch.date_after.trim() === '' ? null : patch.date_after.trim()
    if (date !== null && !isIsoDate(date))
      throw new InvalidSetting('date_after', 'date_after must be a date written YYYY-MM-DD', 'not a date written YYYY-MM-DD')
    out.date_after = date
  }
  if (patch.min_duration !== undefined) out.min_duration = patch.min_duration
  if (patch.max_duration !== undefined) out.max_duration = patch.max_duration
  const min = out.min_duration !== undefined ? out.min_duration : current.min_duration
  const max = out.max_duration !== undefined ? out.max_duration : current.max_duration
  if (min !== null && max !== null && min > max)
    throw new InvalidSetting('min_duration', 'min_duration must not be longer than max_duration', 'must not be more than the maximum')
  return out
}
