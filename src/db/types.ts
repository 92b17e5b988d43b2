import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

// The closed sets of values: the API's `t` schemas (src/http/models.ts), the CLI's choices and
// the views read these arrays, the types below derive from them, so each list is written once.
/** `relayout` moves a playlist's files to where its library_layout and name_template put them. */
export const JOB_TYPES = ['download', 'extract', 'both', 'relayout'] as const
export const JOB_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'] as const
export const PRIORITIES = ['normal', 'high'] as const
export const SYNC_INTERVALS = ['off', 'hourly', 'daily', 'weekly'] as const
/** The entry lists of a playlist (GET /api/playlists/:id?filter=, the page's tabs). */
export const VIDEO_FILTERS = ['all', 'failed', 'missing', 'pending', 'extracted', 'skipped', 'pruned'] as const
/** What the extraction does with SponsorBlock's segments: nothing, chapters, or cut them out of the audio. */
export const SPONSORBLOCK_MODES = ['off', 'mark', 'remove'] as const

export type JobType = (typeof JOB_TYPES)[number]
export type JobStatus = (typeof JOB_STATUSES)[number]
export type Priority = (typeof PRIORITIES)[number]
export type SyncInterval = (typeof SYNC_INTERVALS)[number]
export type VideoFilter = (typeof VIDEO_FILTERS)[number]
export type SponsorblockMode = (typeof SPONSORBLOCK_MODES)[number]
export type PhaseStatus = 'pending' | 'running' | 'paused' | 'completed' | 'failed'
/** `pruned`: retention deleted the video (and the audio unless kept); no job downloads it again until it is restored. */
export type DownloadState = 'pending' | 'downloading' | 'downloaded' | 'failed' | 'pruned'
export type ExtractState = 'pending' | 'extracting' | 'extracted' | 'failed'
export type EventLevel = 'info' | 'warn' | 'error'

export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'paused']

export interface PlaylistTable {
  id: Generated<number>
  /** As the user gave it, for display. */
  url: string
  /** What duplicate spellings share (urlKey), unique; null only for duplicates that predate it. */
  url_key: string | null
  title: string
  folder: string
  uploader: string | null
  /** yt-dlp's name for the extractor that reads it ("generic", "youtube:tab"…). */
  extractor: string | null
  audio_format: string | null
  audio_quality: number | null
  sync_interval: Generated<SyncInterval>
  next_sync_at: string | null
  /** Download filters (seconds; case-insensitive regular expressions); null: no bound. */
  min_duration: number | null
  max_duration: number | null
  title_include: string | null
  title_exclude: string | null
  /** YYYY-MM-DD: entries uploaded before it are left out (unknown dates are not). */
  date_after: string | null
  /** A YouTube channel's Shorts / Live tabs are indexed too (1) or not (0); Videos always is. */
  include_shorts: Generated<number>
  include_live: Generated<number>
  /** 1 once the user chose the title: an index no longer replaces it with the upstream one. */
  renamed: Generated<number>
  /** 1 for the built-in "Singles" collection, which single videos join; 0 for every other playlist. */
  singles: Generated<number>
  /** 1: jobs of this playlist delete the videos they download once the audio is extracted (Audio only). */
  delete_videos: Generated<number>
  /** How its files are laid out: 'plain', 'jellyfin' or 'plex' (LIBRARY_LAYOUTS, src/library/layout.ts). */
  library_layout: Generated<string>
  /** The file names' template ({position}, {title}…); null: the layout's own names. */
  name_template: string | null
  /** Retention: keep the files of only the newest N entries; null: KEEP_NEWEST; 0: off. */
  keep_newest: number | null
  /** Retention: delete a video this many days after its download; null: DELETE_VIDEOS_AFTER_DAYS; 0: off. */
  delete_videos_after_days: number | null
  /** Retention keeps the audio of the entries it prunes (1) or deletes it too (0); null: KEEP_AUDIO. */
  keep_audio: number | null
  /** Media extras; null: the server's default (SUBTITLES, AUTO_SUBTITLES, CHAPTERS, SPLIT_CHAPTERS). */
  /** "off", "all" or language tags "en,de" (parseSubtitleChoice). */
  subtitles: string | null
  /** 1: YouTube's auto-generated captions too, where no subtitles of a language exist. */
  auto_subtitles: number | null
  /** 1: chapters are embedded into the video (yt-dlp) and carried into the audio (ffmpeg). */
  chapters: number | null
  /** 1: besides the whole audio, one file per chapter in a folder beside it (chapter_files). */
  split_chapters: number | null
  /** SponsorBlock for this playlist's YouTube entries; null: the server's SPONSORBLOCK. */
  sponsorblock: SponsorblockMode | null
  /** Comma-separated SponsorBlock categories; null: the server's SPONSORBLOCK_CATEGORIES. */
  sponsorblock_categories: string | null
  /** 1: `remove` cuts the segments out of the video file too; 0: only the audio. */
  sponsorblock_video: Generated<number>
  indexed_at: string | null
  created_at: string
  updated_at: string
}

/** One audio file a chapter split wrote: track `position` of the entry's chapters. */
export interface ChapterFileTable {
  video_id: number
  position: number
  title: string
  start_time: number
  end_time: number
  /** Relative to DATA_DIR: <folder>/audio/<audio name>/<nn> - <chapter>.<ext>. */
  path: string
}

export interface VideoTable {
  id: Generated<number>
  playlist_id: number
  source_id: string
  position: number
  title: string
  uploader: string | null
  duration: number | null
  /** The entry's own URL, as a person would open it: never with yt-dlp's smuggled data. */
  source_url: string
  /** yt-dlp's data smuggled into the entry's URL (a referer, say) as JSON, put back only in the download argv. */
  smuggled_data: string | null
  thumbnail_url: string | null
  upload_date: string | null
  /** The entry's description as the index gave it (the episode NFO's plot); null when none. */
  description: string | null
  /** The entry's extractor when the index is sure of it: "generic" (a direct media file), "youtube" (a YouTube video); null: unknown. */
  extractor: string | null
  download_state: Generated<DownloadState>
  extract_state: Generated<ExtractState>
  /** Relative to DATA_DIR, never absolute, so a moved data dir keeps working. */
  video_path: string | null
  audio_path: string | null
  /** The entry's thumbnail (<folder>/thumbnails/<name>.jpg), relative to DATA_DIR; also the audio's cover. */
  thumbnail_path: string | null
  error: string | null
  download_job_id: number | null
  extract_job_id: number | null
  missing_since: string | null
  /** When the video file was deleted on purpose after its audio was extracted; the row stays downloaded. */
  video_deleted_at: string | null
  /** When the download finished: retention's "after D days" counts from it. */
  downloaded_at: string | null
  /** When retention took this entry's files (download_state 'pruned'). */
  pruned_at: string | null
  /** When the user restored a pruned entry: retention never takes it again. */
  restored_at: string | null
  /** Why the playlist's download filters leave this entry out; null when they do not. */
  skip_reason: string | null
  /** SponsorBlock's validated answer for a YouTube entry, a JSON array of {start, end, category}; null: never asked. */
  sponsorblock_segments: string | null
  /** When SponsorBlock was last asked about this entry. */
  sponsorblock_checked_at: string | null
  /** Seconds of the audio file when it differs from the video's (segments cut out); null: the same as duration. */
  audio_duration: number | null
  /** When SponsorBlock's segments were cut out of the video file (sponsorblock_video); null: the file is as downloaded. */
  video_cut_at: string | null
  /** The node working on this item now, and until when its lease holds (renewed by its heartbeat); null: nobody. */
  lease_node: string | null
  lease_until: string | null
  /** The leasing node's live progress of the item (ItemProgress JSON), written at most twice a second. */
  live_progress: string | null
  created_at: string
  updated_at: string
}

export interface JobTable {
  id: Generated<number>
  playlist_id: number
  type: JobType
  status: Generated<JobStatus>
  priority: Generated<Priority>
  /** 1: the videos this job downloads are deleted once their audio is extracted and valid. */
  delete_videos: Generated<number>
  error: string | null
  created_at: string
  started_at: string | null
  finished_at: string | null
  download_status: PhaseStatus | null
  download_total: Generated<number>
  download_completed: Generated<number>
  download_failed: Generated<number>
  /** Batched download (see 0010): the playlist's entries to download when the batch was claimed; null when one batch covers them. */
  batch_total: number | null
  /** Of batch_total, those downloaded before this job's own downloads. */
  batch_done_before: Generated<number>
  extract_status: PhaseStatus | null
  extract_total: Generated<number>
  extract_completed: Generated<number>
  extract_failed: Generated<number>
  /** A relayout job: the files it has to move, and those moved ("Moving files n/N"). */
  move_total: Generated<number>
  move_completed: Generated<number>
  /**
   * Legacy, for older clients only: derived from the phase counters on every write
   * (JobRun), never read back. progress = % of items ended (completed or failed) in both
   * phases; total_items = download_total + extract_total; completed_items = the completed ones.
   */
  progress: Generated<number>
  total_items: Generated<number>
  completed_items: Generated<number>
  /** JSON array of ItemProgress for items in flight; written throttled. */
  current: string | null
  /** When the user dismissed the finished job's card from the home page; null: not dismissed. */
  dismissed_at: string | null
  /** The node that plans this job and keeps its counters (NODE_NAME); null for jobs from before cluster mode. */
  node: string | null
  /** A pause, resume or cancel asked of a serve that does not own the job, for the owner to apply; null: none pending. */
  control: JobControl | null
}

export const JOB_CONTROLS = ['pause', 'resume', 'cancel'] as const
export type JobControl = (typeof JOB_CONTROLS)[number]

export const NODE_ROLES = ['download', 'extract'] as const
export type NodeRole = (typeof NODE_ROLES)[number]

/** One yt-serve process sharing the database: a `serve` or a `worker`. */
export interface NodeTable {
  name: string
  host: string
  /** Comma-separated NodeRole values; empty: a node that only serves the UI and plans jobs. */
  roles: string
  kind: 'serve' | 'worker'
  version: string
  ytdlp_version: string | null
  lease_seconds: number
  started_at: string
  heartbeat_at: string
  /** Set on a clean stop; a node silent for longer than its lease without it is lost. */
  stopped_at: string | null
  /** The node's download back-off as its pool reports it (JSON of DownloadPoolState), or null. */
  backoff: string | null
}

/** The download pool's state as the scheduler reports it; a node's heartbeat stores it in `nodes.backoff` while it backs off. */
export interface DownloadPoolState {
  paused: boolean
  reason: string | null
  /** Back-off in force until this time (ISO), or null. */
  until: string | null
  consecutive_rate_limits: number
  /** Free space on the data dir's filesystem at the last look, or null if unknown. */
  disk_free_bytes: number | null
  /** DOWNLOAD_WINDOW as "01:00–07:00" (server time), or null when downloads may run any time. */
  window: string | null
  /** Outside DOWNLOAD_WINDOW: when it next opens (ISO); null inside it or without one. */
  window_opens_at: string | null
}

/** A chore that runs once cluster-wide (scheduled syncs): whoever holds the lease does it. */
export interface ClusterLeaseTable {
  name: string
  node: string
  until: string
}

export interface JobEventTable {
  id: Generated<number>
  job_id: number
  at: string
  level: EventLevel
  message: string
}

export interface SessionTable {
  /** sha256 of the cookie's random id, hex. */
  id_hash: string
  /** HMAC-SHA256(id, AUTH_TOKEN at sign-in), hex. */
  token_mac: string
  created_at: string
  expires_at: string
}

export interface YtdlpStateTable {
  id: number
  source: 'auto' | 'system'
  version: string | null
  path: string | null
  asset: string | null
  sha256: string | null
  channel: string | null
  installed_at: string | null
  previous_version: string | null
  previous_path: string | null
  previous_sha256: string | null
  checked_at: string | null
  error: string | null
}

/** A setting saved on the settings page; `value` is its text as the environment variable would hold it. */
export interface ServerSettingTable {
  id: Generated<number>
  /** The node the value holds for (NODE_NAME); '' holds for every node. */
  node: Generated<string>
  /** The setting's name as the API spells it (download_concurrency). */
  name: string
  value: string
  updated_at: string
}

/**
 * One move of a relayout job, recorded before the rename: after a crash the move is finished
 * (the file is at to_path: the row's `field` follows it) or undone (it is still at from_path).
 */
export interface FileMoveTable {
  id: Generated<number>
  job_id: number
  /** The entry whose `field` names the file; null for a playlist-wide file. */
  video_id: number | null
  field: 'video_path' | 'audio_path' | 'thumbnail_path'
  from_path: string
  to_path: string
  created_at: string
}

export interface Database {
  playlists: PlaylistTable
  videos: VideoTable
  jobs: JobTable
  job_events: JobEventTable
  sessions: SessionTable
  ytdlp_state: YtdlpStateTable
  server_settings: ServerSettingTable
  file_moves: FileMoveTable
  chapter_files: ChapterFileTable
  nodes: NodeTable
  cluster_leases: ClusterLeaseTable
}

/** A row as SQLite stores it: the tab switches are 0/1 there. */
export type PlaylistRow = Selectable<PlaylistTable>
/** A playlist as the code, the views and the API see it: the tab switches are booleans, as PATCH takes them. */
/** SQLite's 0/1 flags of a playlist, answered as booleans everywhere (API, views, code). */
export const PLAYLIST_FLAGS = ['include_shorts', 'include_live', 'renamed', 'singles', 'delete_videos', 'sponsorblock_video'] as const
/** 0/1 flags that may also be null (the server's default): booleans or null everywhere above the database. */
export const PLAYLIST_DEFAULTED_FLAGS = ['keep_audio', 'auto_subtitles', 'chapters', 'split_chapters'] as const
export type Playlist = Omit<PlaylistRow, (typeof PLAYLIST_FLAGS)[number] | (typeof PLAYLIST_DEFAULTED_FLAGS)[number]> &
  Record<(typeof PLAYLIST_FLAGS)[number], boolean> &
  Record<(typeof PLAYLIST_DEFAULTED_FLAGS)[number], boolean | null>
export type PlaylistUpdate = Updateable<PlaylistTable>
export type NewPlaylist = Insertable<PlaylistTable>
export type Video = Selectable<VideoTable>
export type ChapterFile = Selectable<ChapterFileTable>
/** An entry as lists show it (the API, the pages): smuggled_data is the download's business alone. */
/** One SponsorBlock segment as the API shows it: seconds from the start of the video, and why viewers marked it. */
export interface SponsorblockSegment {
  start: number
  end: number
  category: string
}

export type ListedVideo = Omit<Video, 'smuggled_data' | 'sponsorblock_segments'> & {
  /** The cached answer, read (null: SponsorBlock never asked; []: asked, nothing marked). */
  sponsorblock_segments: SponsorblockSegment[] | null
}
export type NewVideo = Insertable<VideoTable>
export type VideoUpdate = Updateable<VideoTable>
export type JobRow = Selectable<JobTable>
export type JobUpdate = Updateable<JobTable>
export type JobEvent = Selectable<JobEventTable>
export type Session = Selectable<SessionTable>
export type YtdlpState = Selectable<YtdlpStateTable>
export type FileMove = Selectable<FileMoveTable>
export type NodeRow = Selectable<NodeTable>
export type YtdlpStateUpdate = Updateable<Omit<YtdlpStateTable, 'id'>>

/** Live progress of one item in flight; lives in memory and in jobs.current. */
export interface ItemProgress {
  video_id: number
  title: string
  phase: 'download' | 'extract' | 'move'
  percent: number | null
  downloaded_bytes?: number | null
  total_bytes?: number | null
  speed?: number | null
  eta?: number | null
  /** The node running the item (NODE_NAME). */
  node?: string
}

export interface Job extends Omit<JobRow, 'current' | 'delete_videos'> {
  current: ItemProgress[]
  /** Audio only: the job deletes each video it downloaded once the audio reads back valid. */
  delete_videos: boolean
  /** The seed's "25/100 total (75 remaining)", computed from the batch counts (batchInfo). */
  download_batch_info: string | null
}
