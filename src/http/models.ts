import { t } from 'elysia'
import { AUDIO_FORMATS } from '../config'
import { LIBRARY_LAYOUTS } from '../library/layout'
import { JOB_STATUSES, JOB_TYPES, NODE_ROLES, PRIORITIES, SPONSORBLOCK_MODES, SYNC_INTERVALS, VIDEO_FILTERS } from '../db/types'
import { oneOf } from '../library/schema'
import { playlistSettings } from '../playlists/settings-model'
import { SETTING_LABELS as L } from '../playlists/settings-labels'
import { START_CHOICES } from '../playlists/paste'
import { SETTING_SCOPES, SETTINGS } from '../settings/catalog'
import { IMPORT_MATCHES } from '../playlists/import-match'

/**
 * A whole number written in plain decimal, its range spelled by `pattern`. t.Numeric takes
 * whatever Number() reads ("0x6", "1e3", "1.5", " 1"), and a fraction or 1e20 then reaches
 * SQLite, which refuses it with a 500. The range lives in the pattern because a throw inside
 * Decode would surface as a 500 too, not as a validation error.
 */
const wholeNumber = (pattern: string, error: string) =>
  t
    .Transform(t.String({ pattern, error }))
    .Decode((v) => Number(v))
    .Encode((n) => String(n))

/** A default/on/off select of the settings form ("" is the server default). */
const switchField = (label: string) => t.Union([t.Literal(''), t.Literal('on'), t.Literal('off')], { error: `${label}: on, off or the default` })

/** Row ids: 1 up to 15 digits, well inside both SQLite's integers and JS's exact ones. */
const scopeEnum = oneOf('scope', SETTING_SCOPES, 'scope must be node (this node only) or cluster (every node)')

const ID = '^[1-9][0-9]{0,14}$'
const idParam = (name: string) => wholeNumber(ID, `${name} must be a positive whole number`)

/** Retention fields as a form or a query sends them: "" is the server's default. */
const retentionFields = {
  keep_newest: t.Optional(
    t.String({ pattern: '^([0-9]{1,7})?$', error: `${L.keep_newest}: a whole number of entries (0: off), or empty for the server default` }),
  ),
  delete_videos_after_days: t.Optional(
    t.String({ pattern: '^([0-9]{1,5})?$', error: `${L.delete_videos_after_days}: a whole number of days (0: off), or empty for the server default` }),
  ),
  keep_audio: t.Optional(
    t.Union([t.Literal(''), t.Literal('true'), t.Literal('false')], { error: `${L.keep_audio}: true, false, or empty for the server default` }),
  ),
}

/** The shared download pool's state (`GET /api/downloads`), and a node's back-off on `GET /api/nodes`. */
const downloadPool = t.Object({
  paused: t.Boolean(),
  reason: t.Nullable(t.String()),
  until: t.Nullable(t.String({ description: 'back-off in force until this time (ISO 8601)' })),
  consecutive_rate_limits: t.Integer(),
  disk_free_bytes: t.Nullable(t.Number()),
  window: t.Nullable(t.String({ description: 'DOWNLOAD_WINDOW as "01:00–07:00" (server time)' })),
  window_opens_at: t.Nullable(t.String({ description: 'outside DOWNLOAD_WINDOW: when it next opens (ISO 8601)' })),
})

/** One node of the cluster as GET /api/nodes lists it (src/db/nodes.ts NodeInfo). */
const node = t.Object({
  name: t.String({ description: 'NODE_NAME' }),
  host: t.String(),
  kind: t.UnionEnum(['serve', 'worker']),
  roles: t.Array(t.UnionEnum(NODE_ROLES), { description: 'NODE_ROLES; empty: a node that only serves the UI and plans jobs' }),
  state: t.UnionEnum(['active', 'stopped', 'lost'], { description: 'lost: silent for longer than its lease_seconds without a clean stop' }),
  current: t.Array(t.Object({ video_id: t.Integer(), title: t.String(), job_id: t.Nullable(t.Integer()), phase: t.UnionEnum(['download', 'extract']) }), {
    description: 'the items it holds a live lease on: what it works on now',
  }),
  backoff: t.Nullable(downloadPool),
  version: t.String({ description: "the node's yt-serve version" }),
  ytdlp_version: t.Nullable(t.String()),
  lease_seconds: t.Integer(),
  started_at: t.String(),
  heartbeat_at: t.String(),
  stopped_at: t.Nullable(t.String()),
})

/** One SponsorBlock segment of an entry (src/db/types.ts SponsorblockSegment). */
const sponsorblockSegment = t.Object({
  start: t.Number({ description: 'seconds from the start of the video' }),
  end: t.Number(),
  category: t.String({ description: 'sponsor, selfpromo, interaction, intro, outro, preview, music_offtopic or filler' }),
})

/** The API's request shapes (and some of its answers); the single source of truth for validation. */
export const models = {
  id: t.Object({ id: idParam('id') }),
  /** An entry within its playlist: the player page. */
  entry: t.Object({ id: idParam('id'), videoId: idParam('videoId') }),
  /** A subtitle file beside an entry's video, by its language tag (`<stem>.<lang>.vtt`). */
  /** The player page's start, in whole seconds (a chapter link). */
  entryQuery: t.Object({ t: t.Optional(wholeNumber('^(0|[1-9][0-9]{0,6})$', 't must be a whole number of seconds')) }),
  subtitle: t.Object({ id: idParam('id'), lang: t.String({ pattern: '^[A-Za-z0-9_-]{1,35}$', error: 'lang must be a language tag' }) }),
  /** With `start`, paste and go: the job starts at once, on the playlist added or found. */
  newPlaylist: t.Object({
    url: t.String({ error: 'url must be a string' }),
    start: t.Optional(oneOf('start', START_CHOICES)),
    audio_format: t.Optional(
      t.Union([t.Literal(''), ...AUDIO_FORMATS.map((f) => t.Literal(f))], {
        error: `audio_format must be one of: ${AUDIO_FORMATS.join(', ')} (or empty for the playlist's own)`,
      }),
    ),
  }),
  playlistQuery: t.Object({
    offset: t.Optional(wholeNumber('^(0|[1-9][0-9]{0,8})$', 'offset must be a whole number from 0 to 999999999')),
    limit: t.Optional(wholeNumber('^([1-9][0-9]?|[1-4][0-9]{2}|500)$', 'limit must be a whole number from 1 to 500')),
    filter: t.Optional(oneOf('filter', VIDEO_FILTERS)),
    q: t.Optional(t.String({ maxLength: 200, error: 'q must be at most 200 characters' })),
  }),
  playlistSettings,
  /** The settings form: "" means the server default; audio_quality arrives as text. Errors use the form's labels. */
  playlistSettingsForm: t.Object({
    audio_format: t.Optional(
      t.Union([t.Literal(''), ...AUDIO_FORMATS.map((f) => t.Literal(f))], {
        error: `${L.audio_format}: one of ${AUDIO_FORMATS.join(', ')}, or the server default`,
      }),
    ),
    audio_quality: t.Optional(t.String({ pattern: '^[0-9]?$', error: `${L.audio_quality}: 0 to 9, or the default` })),
    sync_interval: t.Optional(oneOf('sync_interval', SYNC_INTERVALS, `${L.sync_interval}: one of ${SYNC_INTERVALS.join(', ')}`)),
    /** Minutes in the form (seconds in the API); empty: no bound. */
    min_minutes: t.Optional(t.String({ pattern: '^([0-9]{1,5}(\\.[0-9]+)?)?$', error: `${L.min_duration}: a number of minutes, or empty` })),
    max_minutes: t.Optional(t.String({ pattern: '^([0-9]{1,5}(\\.[0-9]+)?)?$', error: `${L.max_duration}: a number of minutes, or empty` })),
    title_include: t.Optional(t.String({ maxLength: 200, error: `${L.title_include}: at most 200 characters` })),
    title_exclude: t.Optional(t.String({ maxLength: 200, error: `${L.title_exclude}: at most 200 characters` })),
    date_after: t.Optional(t.String({ maxLength: 10, error: `${L.date_after}: a date written YYYY-MM-DD` })),
    /** Checkboxes: "on" when ticked; `tabs` marks a form that has them, so an unticked box means false. */
    tabs: t.Optional(t.Literal('1')),
    include_shorts: t.Optional(t.Literal('on')),
    include_live: t.Optional(t.Literal('on')),
    library_layout: t.Optional(oneOf('library_layout', LIBRARY_LAYOUTS, `${L.library_layout}: one of ${LIBRARY_LAYOUTS.join(', ')}`)),
    /** Empty: the layout's own names. */
    name_template: t.Optional(t.String({ maxLength: 200, error: `${L.name_template}: at most 200 characters` })),
    ...retentionFields,
    /** Empty: the server default. */
    subtitles: t.Optional(t.String({ maxLength: 400, error: `${L.subtitles}: off, all or language tags like en,de` })),
    auto_subtitles: t.Optional(switchField(L.auto_subtitles)),
    chapters: t.Optional(switchField(L.chapters)),
    split_chapters: t.Optional(switchField(L.split_chapters)),
    sponsorblock: t.Optional(
      t.Union([t.Literal(''), ...SPONSORBLOCK_MODES.map((m) => t.Literal(m))], {
        error: `${L.sponsorblock}: one of ${SPONSORBLOCK_MODES.join(', ')}, or the server default`,
      }),
    ),
    sponsorblock_categories: t.Optional(t.String({ maxLength: 200, error: `${L.sponsorblock_categories}: at most 200 characters` })),
    /** Marks a form that shows the SponsorBlock box, so an unticked one means false. */
    sb: t.Optional(t.Literal('1')),
    sponsorblock_video: t.Optional(t.Literal('on')),
  }),
  /** The prune preview (dry run): the playlist's retention, or these values over it (the settings form's, before Save). */
  pruneQuery: t.Object(retentionFields),
  /** The playlist page's rename form. */
  renameForm: t.Object({ title: t.String({ error: `${L.title}: required` }) }),
  /** The playlist page's delete buttons: keep the files ("false") or delete them too ("true"); no default, ever. */
  deleteForm: t.Object({ delete_files: oneOf('delete_files', ['true', 'false'] as const, 'choose whether to keep the files or delete them too') }),
  deleteQuery: t.Object({ delete_files: t.Optional(t.BooleanString({ error: 'delete_files must be true or false' })) }),
  newJob: t.Object({
    type: oneOf('type', JOB_TYPES),
    priority: t.Optional(oneOf('priority', PRIORITIES)),
    /** With type "extract": make the files in another format than the playlist's again (true, or "true" from a form). */
    reextract: t.Optional(t.BooleanString({ error: 'reextract must be true or false' })),
  }),
  /** POST /api/playlists/:id/import: a dry run unless `apply`; `dir` must lie inside IMPORT_DIRS. */
  importArchive: t.Object({
    dir: t.String({ minLength: 1, maxLength: 4096, error: 'dir must be the absolute path of a folder' }),
    apply: t.Optional(t.Boolean({ error: 'apply must be true or false' })),
    link: t.Optional(t.Boolean({ error: 'link must be true or false' })),
    match: t.Optional(oneOf('match', IMPORT_MATCHES)),
  }),
  /** The playlist page's import form: checkboxes and buttons send text. */
  importForm: t.Object({
    dir: t.String({ minLength: 1, maxLength: 4096, error: 'Folder: the absolute path of a folder on the server' }),
    apply: t.Optional(t.Literal('true')),
    link: t.Optional(t.Literal('on')),
    match: t.Optional(oneOf('match', IMPORT_MATCHES, 'Match: by id, or by title too')),
  }),
  jobQuery: t.Object({
    status: t.Optional(t.String()),
    type: t.Optional(oneOf('type', JOB_TYPES)),
    playlist_id: t.Optional(idParam('playlist_id')),
    limit: t.Optional(wholeNumber('^([1-9][0-9]{0,2}|1000)$', 'limit must be a whole number from 1 to 1000')),
    offset: t.Optional(wholeNumber('^(0|[1-9][0-9]{0,8})$', 'offset must be a whole number from 0 to 999999999')),
  }),
  /** The Activity page's filters: an empty select means "any", so "" is allowed and means absent. */
  activityQuery: t.Object({
    status: t.Optional(t.Union([t.Literal(''), oneOf('status', JOB_STATUSES)], { error: `status must be one of: ${JOB_STATUSES.join(', ')}` })),
    type: t.Optional(t.Union([t.Literal(''), oneOf('type', JOB_TYPES)], { error: `type must be one of: ${JOB_TYPES.join(', ')}` })),
    playlist_id: t.Optional(t.String({ pattern: `^(|${ID.slice(1, -1)})$`, error: 'playlist_id must be a positive whole number' })),
    offset: t.Optional(wholeNumber('^(0|[1-9][0-9]{0,8})$', 'offset must be a whole number from 0 to 999999999')),
  }),
  priority: t.Object({ priority: oneOf('priority', PRIORITIES) }),
  jobStatuses: JOB_STATUSES,
  /** Changeable server settings, each as its variable would be written ("2M", 4, "01:00-07:00"); null: back to the environment or default. */
  settingsPatch: t.Object(
    Object.fromEntries(
      SETTINGS.filter((s) => s.changeable).map((s) => [
        s.name,
        t.Optional(
          t.Union([t.String(), t.Number(), t.Null()], { description: `${s.hint} (${s.variable})`, error: `${s.name} must be a string, a number or null` }),
        ),
      ]),
    ),
    // Naming a read-only or unknown setting is refused in words (settings/service.ts), not dropped.
    { additionalProperties: t.Union([t.String(), t.Number(), t.Null()]) },
  ),
  settingsList: t.Object({
    settings: t.Array(
      t.Object({
        name: t.String(),
        label: t.String(),
        value: t.Union([t.String(), t.Number(), t.Boolean(), t.Array(t.String()), t.Null()]),
        source: t.UnionEnum(['default', '.env', 'env', 'flag', 'database', 'node']),
        variable: t.String(),
        changeable: t.Boolean(),
        secret: t.Boolean(),
        per_node: t.Boolean({ description: 'may be saved for one node (source "node") as well as for every node (source "database")' }),
        hint: t.String(),
      }),
    ),
  }),
  /** Where PATCH /api/settings saves: "node" (this node only, per-node settings) or "cluster" (every node); unset: this node when NODE_NAME is set, else every node. */
  settingsScope: t.Object({ scope: t.Optional(scopeEnum) }),
  /** A settings page row's form: the value as the variable would be written, and for a per-node setting where it is saved. */
  settingForm: t.Object({ value: t.String({ maxLength: 2000, error: 'the value must be at most 2000 characters' }), scope: t.Optional(scopeEnum) }),
  settingName: t.Object({ name: t.String({ pattern: '^[a-z_]{1,40}$', error: 'not a setting name' }) }),
  nodes: t.Object({ nodes: t.Array(node) }),
  /**
   * GET /api/playlists/:id, in part: the entries' SponsorBlock segments, read from their JSON
   * cache (null: never asked; []: nothing marked). Every other field passes as it is.
   */
  playlistDetail: t.Object(
    {
      videos: t.Array(
        t.Object(
          {
            duration: t.Nullable(t.Number({ description: "the video's length in seconds, as the index gave it" })),
            audio_duration: t.Nullable(t.Number({ description: "the audio's length when SponsorBlock cut segments out of it; null: the same as duration" })),
            sponsorblock_segments: t.Nullable(t.Array(sponsorblockSegment)),
          },
          { additionalProperties: true },
        ),
      ),
    },
    { additionalProperties: true },
  ),
}
