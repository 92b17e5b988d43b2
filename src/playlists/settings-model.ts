import { t } from 'elysia'
import { AUDIO_FORMATS } from '../config'
import { LIBRARY_LAYOUTS } from '../library/layout'
import { SPONSORBLOCK_MODES, SYNC_INTERVALS } from '../db/types'
import { oneOf } from '../library/schema'

/** On, off, or null: back to the server's default. */
const defaultedSwitch = (name: string) => t.Union([t.Boolean(), t.Null()], { error: `${name} must be true, false or null` })

/**
 * A change to a playlist's settings, as PATCH /api/playlists/:id takes it: absent fields stay
 * as they are, null clears one. The API validates with this schema and the service takes its
 * type, so the two cannot drift apart.
 */
export const playlistSettings = t.Object({
  /** The display name (trimmed, 1 to 200 characters: the service says which is wrong). */
  title: t.Optional(t.String({ error: 'title must be a string' })),
  audio_format: t.Optional(t.Union([oneOf('audio_format', AUDIO_FORMATS), t.Null()])),
  audio_quality: t.Optional(t.Union([t.Integer({ minimum: 0, maximum: 9, error: 'audio_quality must be 0 to 9' }), t.Null()])),
  sync_interval: t.Optional(oneOf('sync_interval', SYNC_INTERVALS)),
  min_duration: t.Optional(t.Union([t.Integer({ minimum: 0, maximum: 1_000_000, error: 'min_duration must be a number of seconds' }), t.Null()])),
  max_duration: t.Optional(t.Union([t.Integer({ minimum: 0, maximum: 1_000_000, error: 'max_duration must be a number of seconds' }), t.Null()])),
  title_include: t.Optional(t.Union([t.String({ maxLength: 200, error: 'title_include must be a pattern of at most 200 characters' }), t.Null()])),
  title_exclude: t.Optional(t.Union([t.String({ maxLength: 200, error: 'title_exclude must be a pattern of at most 200 characters' }), t.Null()])),
  date_after: t.Optional(t.Union([t.String({ maxLength: 10, error: 'date_after must be a date written YYYY-MM-DD' }), t.Null()])),
  include_shorts: t.Optional(t.Boolean({ error: 'include_shorts must be true or false' })),
  include_live: t.Optional(t.Boolean({ error: 'include_live must be true or false' })),
  /** Changing it (or name_template) moves the playlist's files: a relayout job starts (relayout_job_id). */
  library_layout: t.Optional(oneOf('library_layout', LIBRARY_LAYOUTS)),
  /** {position}, {title}, {uploader}, {upload_date}, {id}, {playlist}; null or "" for the layout's own names. */
  name_template: t.Optional(t.Union([t.String({ maxLength: 200, error: 'name_template must be a template of at most 200 characters' }), t.Null()])),
  /** Retention (null: the server's default; 0: off for this playlist). */
  keep_newest: t.Optional(t.Union([t.Integer({ minimum: 0, maximum: 1_000_000, error: 'keep_newest must be a whole number from 0 (off)' }), t.Null()])),
  delete_videos_after_days: t.Optional(
    t.Union([t.Integer({ minimum: 0, maximum: 36_500, error: 'delete_videos_after_days must be a whole number of days from 0 (off)' }), t.Null()]),
  ),
  keep_audio: t.Optional(t.Union([t.Boolean({ error: 'keep_audio must be true, false or null' }), t.Null()])),
  /** "off", "all" or language tags "en,de"; null or "" for the server's SUBTITLES (the service checks the tags). */
  subtitles: t.Optional(t.Union([t.String({ maxLength: 400 }), t.Null()], { error: 'subtitles must be off, all or language tags like en,de' })),
  auto_subtitles: t.Optional(defaultedSwitch('auto_subtitles')),
  chapters: t.Optional(defaultedSwitch('chapters')),
  split_chapters: t.Optional(defaultedSwitch('split_chapters')),
  /** null: the server's SPONSORBLOCK. */
  sponsorblock: t.Optional(
    t.Union([oneOf('sponsorblock', SPONSORBLOCK_MODES), t.Null()], { error: `sponsorblock must be one of: ${SPONSORBLOCK_MODES.join(', ')}, or null` }),
  ),
  /** Comma-separated categories ("sponsor,selfpromo"); null or "": the server's SPONSORBLOCK_CATEGORIES. */
  sponsorblock_categories: t.Optional(
    t.Union([t.String({ maxLength: 200, error: 'sponsorblock_categories must be category names separated by commas' }), t.Null()]),
  ),
  sponsorblock_video: t.Optional(t.Boolean({ error: 'sponsorblock_video must be true or false' })),
})

export type SettingsPatch = typeof playlistSettings.static
