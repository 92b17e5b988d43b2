import { t } from 'elysia'
import { AUDIO_FORMATS } from '../config'
import { SPONSORBLOCK_MODES, SYNC_INTERVALS } from '../db/types'
import { oneOf } from '../library/schema'

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
