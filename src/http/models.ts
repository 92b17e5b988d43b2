import { t } from 'elysia'
import { AUDIO_FORMATS } from '../config'
import { JOB_STATUSES, JOB_TYPES, SYNC_INTERVALS } from '../db/types'

/**
 * One of a few strings. Elysia's UnionEnum carries `default: values[0]`, which its
 * validator then fills into every request that leaves the field out: a PATCH of one
 * setting would reset the others. An absent field must stay absent.
 */
const oneOf = <T extends string>(name: string, values: readonly T[]) => {
  const schema = t.UnionEnum(values as unknown as [T, ...T[]], { error: `${name} must be one of: ${values.join(', ')}` })
  delete (schema as { default?: unknown }).default
  return schema
}

/** The API's request shapes; the single source of truth for validation. */
export const models = {
  id: t.Object({ id: t.Numeric({ minimum: 1, error: 'id must be a positive number' }) }),
  newPlaylist: t.Object({ url: t.String({ error: 'url must be a string' }) }),
  playlistQuery: t.Object({
    offset: t.Optional(t.Numeric({ minimum: 0, error: 'offset must be 0 or more' })),
    limit: t.Optional(t.Numeric({ minimum: 1, maximum: 500, error: 'limit must be between 1 and 500' })),
    filter: t.Optional(oneOf('filter', ['all', 'failed', 'missing', 'pending', 'extracted', 'skipped'] as const)),
    q: t.Optional(t.String({ maxLength: 200, error: 'q must be at most 200 characters' })),
  }),
  playlistSettings: t.Object({
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
  }),
  /** The settings form: "" means the server default; audio_quality arrives as text. */
  playlistSettingsForm: t.Object({
    audio_format: t.Optional(t.Union([t.Literal(''), ...AUDIO_FORMATS.map((f) => t.Literal(f))], { error: `audio_format must be one of: ${AUDIO_FORMATS.join(', ')} (or empty for the server default)` })),
    audio_quality: t.Optional(t.String({ pattern: '^[0-9]?$', error: 'audio_quality must be 0 to 9 (or empty for the default)' })),
    sync_interval: t.Optional(oneOf('sync_interval', SYNC_INTERVALS)),
    /** Minutes in the form (seconds in the API); empty: no bound. */
    min_minutes: t.Optional(t.String({ pattern: '^([0-9]{1,5}(\\.[0-9]+)?)?$', error: 'the minimum length must be a number of minutes (or empty)' })),
    max_minutes: t.Optional(t.String({ pattern: '^([0-9]{1,5}(\\.[0-9]+)?)?$', error: 'the maximum length must be a number of minutes (or empty)' })),
    title_include: t.Optional(t.String({ maxLength: 200, error: 'title_include must be a pattern of at most 200 characters' })),
    title_exclude: t.Optional(t.String({ maxLength: 200, error: 'title_exclude must be a pattern of at most 200 characters' })),
    date_after: t.Optional(t.String({ maxLength: 10, error: 'date_after must be a date written YYYY-MM-DD' })),
    /** Checkboxes: "on" when ticked; `tabs` marks a form that has them, so an unticked box means false. */
    tabs: t.Optional(t.Literal('1')),
    include_shorts: t.Optional(t.Literal('on')),
    include_live: t.Optional(t.Literal('on')),
  }),
  deleteQuery: t.Object({ delete_files: t.Optional(t.BooleanString({ error: 'delete_files must be true or false' })) }),
  newJob: t.Object({
    type: oneOf('type', JOB_TYPES),
    priority: t.Optional(oneOf('priority', ['normal', 'high'] as const)),
  }),
  jobQuery: t.Object({
    status: t.Optional(t.String()),
    playlist_id: t.Optional(t.Numeric({ minimum: 1, error: 'playlist_id must be a positive number' })),
    limit: t.Optional(t.Numeric({ minimum: 1, maximum: 1000, error: 'limit must be between 1 and 1000' })),
  }),
  priority: t.Object({ priority: oneOf('priority', ['normal', 'high'] as const) }),
  jobStatuses: JOB_STATUSES,
}
