import { availableParallelism, hostname } from 'node:os'
import { isIPv4, isIPv6 } from 'node:net'
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve, sep } from 'node:path'
import { LIBRARY_LAYOUTS, type LibraryLayout, templateProblem } from './library/layout'
import { parseSubtitleChoice, type SubtitleChoice } from './library/subtitle-langs'
import { SPONSORBLOCK_MODES, type SponsorblockMode } from './db/types'
import { parseCategories } from './library/sponsorblock'
import { parseTimeWindow, type TimeWindow } from './library/window'
import { DEFAULT_RELEASES_URL, nightlyReleasesUrl, SAFE_NAME, type JsRuntime } from './tools/ytdlp-release'

export const AUDIO_FORMATS = ['mp3', 'm4a', 'opus', 'flac'] as const
export type AudioFormat = (typeof AUDIO_FORMATS)[number]

export interface Config {
  host: string
  port: number
  dataDir: string
  /**
   * MEDIA_DIR: where the playlist folders (every media file) live, e.g. a shared mount in a
   * cluster; null: inside DATA_DIR. Read it through mediaRoot() (src/library/paths.ts).
   */
  mediaDir: string | null
  /** postgres:// URL of a shared PostgreSQL database (cluster mode); null: SQLite in DATA_DIR. Holds a password: never logged or shown. */
  databaseUrl: string | null
  batchSize: number
  downloadConcurrency: number
  extractConcurrency: number
  /** yt-dlp processes reading playlists at once (adds, jobs and syncs together). */
  indexConcurrency: number
  audioFormat: AudioFormat
  /** mp3 VBR quality 0 (best) … 9; for opus/m4a re-encodes it maps to a bitrate. */
  audioQuality: number
  extractDelaySeconds: number
  /** The layout new playlists get ('plain', 'jellyfin', 'plex'); each playlist then keeps its own. */
  libraryLayout: LibraryLayout
  /** The naming template new playlists get; null: each layout's own names. */
  nameTemplate: string | null
  /** The server defaults of the per-playlist media extras (a playlist's own value wins when set). */
  subtitles: SubtitleChoice
  autoSubtitles: boolean
  /** Chapters embedded into videos and carried into the audio. */
  chapters: boolean
  /** One audio file per chapter besides the whole one. */
  splitChapters: boolean
  /** YTDLP_PATH when the user set it (it then always wins); null: the managed or the system yt-dlp. */
  ytdlpPath: string | null
  /** Where yt-dlp releases are fetched from (GitHub's layout: latest/download, download/<tag>). */
  ytdlpReleasesUrl: string
  /** "stable", "nightly" or an exact tag to pin. */
  ytdlpChannel: string
  /** Release file to install; null: chosen for this machine. */
  ytdlpAsset: string | null
  ytdlpAutoUpdate: 'off' | 'daily' | 'weekly'
  /** Which JavaScript runtime a new enough yt-dlp uses for YouTube's challenges ("auto" = yt-serve itself). */
  jsRuntime: JsRuntime
  /** --remote-components for a new enough yt-dlp (e.g. "ejs:github"); null: none. */
  remoteComponents: string | null
  ytdlpFormat: string
  ffmpegPath: string
  ffprobePath: string
  /** Seconds yt-dlp waits on a silent socket before giving up on an item. */
  socketTimeout: number
  sleepBetweenDownloads: number
  /** A yt-dlp or ffmpeg silent this long is hung: it is killed and its item fails. */
  stallTimeoutSeconds: number
  /** Open Server-Sent Events streams at once; each holds a connection and a subscription. */
  maxEventStreams: number
  /** How long one job keeps a download worker while another job waits for one. */
  fairShareSeconds: number
  /** First back-off after a 429 / bot check; doubles on each further hit. */
  rateLimitBackoffSeconds: number
  /** How often the database file is checked to still be the one opened (data dir deleted or moved). */
  dataDirCheckSeconds: number
  /** Downloads wait while the data dir's filesystem has less free space than this; 0 turns the guard off. */
  minFreeSpaceMb: number
  /** Downloads start only inside this daily window (server local time); null: any time. */
  downloadWindow: TimeWindow | null
  /** Finished jobs are posted here as JSON (webhook); null: no notifications. */
  notifyUrl: string | null
  /** Retention for playlists without their own: keep the newest N entries' files; null: off. */
  keepNewest: number | null
  /** Retention for playlists without their own: delete videos D days after download; null: off. */
  deleteVideosAfterDays: number | null
  /** Whether retention keeps the audio of what it prunes, for playlists without their own choice. */
  keepAudio: boolean
  /** A Jellyfin or Plex server told to rescan its libraries after a job that added files; null: none. */
  mediaServer: MediaServerConfig | null
  /** Bytes per second handed to yt-dlp's --limit-rate, 0 = unlimited. */
  rateLimit: number
  cookiesFile: string | null
  /** Handed to every yt-dlp as --proxy; holds credentials, so it is never logged or shown. */
  proxy: string | null
  authToken: string | null
  /**
   * Resume the jobs the last shutdown interrupted. Off for a terminal, where the operator sees
   * the log line; the container image turns it on, since a container restarts unattended.
   */
  resumeOnStart: boolean
  insecureNoAuth: boolean
  allowPrivateUrls: boolean
  maxBodyBytes: number
  /** Extra Host names (optionally name:port) a tokenless server answers to, e.g. a reverse proxy's. */
  allowedHosts: string[]
  /** The external base URL (origin plus optional path, no trailing slash) for links in feeds; null: as the client reached us. */
  publicUrl: string | null
  /** Honour X-Forwarded-Proto/Host/For: only behind a reverse proxy that sets them. */
  trustProxy: boolean
  /** A login session lasts this many days from sign-in (fixed, not sliding). */
  sessionDays: number
  /** What playlists without their own choice do with SponsorBlock's segments. */
  sponsorblock: SponsorblockMode
  /** The SponsorBlock categories playlists without their own list act on. */
  sponsorblockCategories: string[]
  /** The SponsorBlock API's origin (plus path), no trailing slash: sponsor.ajay.app or a mirror. */
  sponsorblockUrl: string
  /** Folders the API and UI may import archives from (and below); empty: import only from the CLI. */
  importDirs: string[]
  /** This node's name in the cluster (NODE_NAME, default the host name): unique per process sharing the database. */
  nodeName: string
  /** The work this node takes (NODE_ROLES); empty: a `serve` that only shows the UI and plans jobs. */
  nodeRoles: Role[]
  /** How long an item lease or a heartbeat holds; a node silent for longer is lost and its items go to others. */
  leaseSeconds: number
  /** How long an idle node waits before it looks for work unprompted (on PostgreSQL, LISTEN/NOTIFY wakes it sooner). */
  idlePollSeconds: number
  /** How long a lost PostgreSQL connection is waited for (statements held and retried) before jobs are interrupted; 0: at once. */
  databaseOutageSeconds: number
  /** Handed to every yt-dlp as --source-address (this node's egress IP); null: the system's choice. */
  sourceAddress: string | null
  /** This node's own folder for downloads in progress; null: <folder>/.staging inside DATA_DIR (one machine). */
  stagingDir: string | null
  /**
   * What the flags, environment, .env and defaults gave, before any value saved on the
   * settings page (src/settings): where each setting came from, and the changeable values a reset returns to.
   */
  startup: { sources: Record<SettingKey, SettingSource>; values: RuntimeValues }
}

/** Every setting: a Config property with a variable of its own. */
export type SettingKey = Exclude<keyof Config, 'startup'>

/**
 * Where a setting's value came from; "database" is a value saved on the settings page for
 * every node, "node" one saved for this node only (it wins over "database").
 */
export type SettingSource = 'default' | '.env' | 'env' | 'flag' | 'database' | 'node'

/** The variable that sets each setting (a command-line flag names the same one). */
export const SETTING_VARIABLES = {
  host: 'HOST',
  port: 'PORT',
  dataDir: 'DATA_DIR',
  mediaDir: 'MEDIA_DIR',
  batchSize: 'BATCH_SIZE',
  downloadConcurrency: 'DOWNLOAD_CONCURRENCY',
  extractConcurrency: 'EXTRACT_CONCURRENCY',
  indexConcurrency: 'INDEX_CONCURRENCY',
  audioFormat: 'AUDIO_FORMAT',
  audioQuality: 'AUDIO_QUALITY',
  extractDelaySeconds: 'EXTRACT_DELAY_SECONDS',
  ytdlpPath: 'YTDLP_PATH',
  ytdlpReleasesUrl: 'YTDLP_RELEASES_URL',
  ytdlpChannel: 'YTDLP_CHANNEL',
  ytdlpAsset: 'YTDLP_ASSET',
  ytdlpAutoUpdate: 'YTDLP_AUTO_UPDATE',
  jsRuntime: 'JS_RUNTIME',
  remoteComponents: 'REMOTE_COMPONENTS',
  ytdlpFormat: 'YTDLP_FORMAT',
  ffmpegPath: 'FFMPEG_PATH',
  ffprobePath: 'FFPROBE_PATH',
  socketTimeout: 'SOCKET_TIMEOUT',
  sleepBetweenDownloads: 'SLEEP_BETWEEN_DOWNLOADS',
  stallTimeoutSeconds: 'STALL_TIMEOUT_SECONDS',
  maxEventStreams: 'MAX_EVENT_STREAMS',
  fairShareSeconds: 'FAIR_SHARE_SECONDS',
  rateLimitBackoffSeconds: 'RATE_LIMIT_BACKOFF_SECONDS',
  dataDirCheckSeconds: 'DATA_DIR_CHECK_SECONDS',
  minFreeSpaceMb: 'MIN_FREE_SPACE_MB',
  downloadWindow: 'DOWNLOAD_WINDOW',
  notifyUrl: 'NOTIFY_URL',
  rateLimit: 'RATE_LIMIT',
  cookiesFile: 'COOKIES_FILE',
  proxy: 'PROXY',
  authToken: 'AUTH_TOKEN',
  insecureNoAuth: 'INSECURE_NO_AUTH',
  allowPrivateUrls: 'ALLOW_PRIVATE_URLS',
  maxBodyBytes: 'MAX_BODY_BYTES',
  allowedHosts: 'ALLOWED_HOSTS',
  publicUrl: 'PUBLIC_URL',
  trustProxy: 'TRUST_PROXY',
  sessionDays: 'SESSION_DAYS',
  resumeOnStart: 'RESUME_ON_START',
  databaseUrl: 'DATABASE_URL',
  libraryLayout: 'LIBRARY_LAYOUT',
  nameTemplate: 'NAME_TEMPLATE',
  keepNewest: 'KEEP_NEWEST',
  deleteVideosAfterDays: 'DELETE_VIDEOS_AFTER_DAYS',
  keepAudio: 'KEEP_AUDIO',
  mediaServer: 'MEDIA_SERVER',
  subtitles: 'SUBTITLES',
  autoSubtitles: 'AUTO_SUBTITLES',
  chapters: 'CHAPTERS',
  splitChapters: 'SPLIT_CHAPTERS',
  sponsorblock: 'SPONSORBLOCK',
  sponsorblockCategories: 'SPONSORBLOCK_CATEGORIES',
  sponsorblockUrl: 'SPONSORBLOCK_URL',
  importDirs: 'IMPORT_DIRS',
  nodeName: 'NODE_NAME',
  nodeRoles: 'NODE_ROLES',
  leaseSeconds: 'LEASE_SECONDS',
  idlePollSeconds: 'IDLE_POLL_SECONDS',
  databaseOutageSeconds: 'DATABASE_OUTAGE_SECONDS',
  sourceAddress: 'SOURCE_ADDRESS',
  stagingDir: 'STAGING_DIR',
} as const satisfies Record<SettingKey, string>

export const MEDIA_SERVER_KINDS = ['jellyfin', 'plex'] as const
export type MediaServerKind = (typeof MEDIA_SERVER_KINDS)[number]

export interface MediaServerConfig {
  kind: MediaServerKind
  /** Base URL, no trailing slash (a path prefix such as /jellyfin is kept). */
  url: string
  /** Jellyfin's API key or Plex's X-Plex-Token: never logged or shown. */
  token: string
}

/** What a node takes from the shared database (cluster mode, docs/cluster.md). */
export const ROLES = ['download', 'extract'] as const
export type Role = (typeof ROLES)[number]

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

/** Reads KEY=VALUE lines; the real environment always wins over the file. */
export function readDotEnv(path: string): Env {
  if (!existsSync(path)) return {}
  const out: Env = {}
  for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    const key = line
      .slice(0, eq)
      .replace(/^export\s+/, '')
      .trim()
    let value = line.slice(eq + 1).trim()
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1)
    out[key] = value
  }
  return out
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return def
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`)
  const n = Number(raw)
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`)
  return n
}

function num(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return def
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${name} must be a number between ${min} and ${max}, got "${raw}"`)
  return n
}

/**
 * A URL setting with one of `schemes`, or null when unset. `shape` shows the expected form in
 * the error; `echo` false keeps the value out of it (a proxy URL may hold a password).
 */
function urlSetting(env: Env, name: string, schemes: string[], shape: string, echo = true): URL | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  const refuse = () => new ConfigError(`${name} must be ${shape}${echo ? `, got "${raw}"` : ''}`)
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refuse()
  }
  if (!schemes.includes(url.protocol) || !url.hostname) throw refuse()
  return url
}

const HTTP = ['http:', 'https:']

/** An http(s) URL the admin chose; private addresses are fine here (ntfy, Gotify, Home Assistant on the LAN). */
const webhookUrl = (env: Env, name: string): string | null => urlSetting(env, name, HTTP, 'an http(s) URL')?.toString() ?? null

/** The external base URL: http(s), no credentials, query or fragment; any path loses its trailing slash. */
function publicBase(env: Env, name: string): string | null {
  const url = urlSetting(env, name, HTTP, 'an http(s) URL like https://yt.example.org')
  if (!url) return null
  if (url.username || url.password || url.search || url.hash)
    throw new ConfigError(`${name} must not carry credentials, a query or a fragment, got "${env[name]?.trim()}"`)
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** "yt.example.org, [::1]:8080" → lower-cased names, each optionally with its port. */
function hostList(env: Env, name: string): string[] {
  const raw = env[name]?.trim()
  if (!raw) return []
  return raw.split(',').map((part) => {
    const host = part.trim().toLowerCase()
    // A bracketed IPv6 literal or a DNS name / IPv4 address, then an optional port.
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?$/.test(host) || Number(host.split(']').pop()!.split(':')[1] ?? 0) > 65535)
      throw new ConfigError(`${name} must be host names separated by commas (each optionally with :port, IPv6 in brackets), got "${part.trim()}"`)
    return host
  })
}

/** http(s) or socks5 proxy URL for yt-dlp, kept as written; an error names the variable, never the value. */
const proxyUrl = (env: Env, name: string): string | null =>
  urlSetting(
    env,
    name,
    ['http:', 'https:', 'socks5:', 'socks5h:'],
    'an http://, https://, socks5:// or socks5h:// URL with a host, like http://host:3128',
    false,
  )
    ? env[name]!.trim()
    : null

/**
 * DATABASE_URL: postgres:// or postgresql://, with a host in the URL or, for a Unix socket,
 * in ?host=/run/postgresql. Kept as written (pg reads it); errors never echo it (a password).
 */
export function databaseUrl(env: Env, name: string): string | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  const shape = `${name} must be a postgres:// URL like postgres://user:password@host:5432/yt_serve (the value is not shown: it may hold a password)`
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(shape)
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) throw new ConfigError(shape)
  if (!url.hostname && !url.searchParams.get('host')) throw new ConfigError(`${name} names no host (give one, or ?host=/run/postgresql for a socket)`)
  if (url.pathname.replace(/^\//, '') === '') throw new ConfigError(`${name} names no database: end it with /DATABASE, like postgres://host/yt_serve`)
  return raw
}

/** "/srv/old, /mnt/usb" → absolute, normalised folders; relative ones are refused (whose working directory?). */
function dirList(env: Env, name: string): string[] {
  const raw = env[name]?.trim()
  if (!raw) return []
  return raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((dir) => {
      if (!isAbsolute(dir) || dir.includes('\0')) throw new ConfigError(`${name} must be absolute folders separated by commas, got "${dir}"`)
      return resolve(dir)
    })
}

/**
 * MEDIA_DIR: absolute, or resolved against the working directory like DATA_DIR. It must be a
 * writable folder, or creatable (its nearest existing parent writable), and must not hold the
 * data dir: the database never sits on the media mount, and a playlist folder could take its name.
 */
function mediaDirOf(env: Env, name: string, dataDir: string): string | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  if (raw.includes('\0')) throw new ConfigError(`${name} must be a folder path, got "${raw}"`)
  const dir = resolve(raw)
  if (dir === dataDir) return null
  if (dataDir.startsWith(dir.endsWith(sep) ? dir : dir + sep))
    throw new ConfigError(`${name} (${dir}) must not contain DATA_DIR (${dataDir}): keep the database off the media folder`)
  let at = dir
  while (!existsSync(at)) at = dirname(at)
  try {
    if (!statSync(at).isDirectory()) throw new Error(`${at} is not a folder`)
    accessSync(at, constants.W_OK | constants.X_OK)
  } catch (err) {
    const why = err instanceof Error && 'code' in err ? `${at} is not writable by this user` : err instanceof Error ? err.message : String(err)
    throw new ConfigError(`${name} must be a folder yt-serve can write to (or create), got "${raw}": ${why}`)
  }
  return dir
}

function timeWindow(env: Env, name: string): TimeWindow | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  try {
    return parseTimeWindow(raw)
  } catch (err) {
    throw new ConfigError(`${name} ${err instanceof Error ? err.message : err}`)
  }
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return def
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`)
}

/** "500K", "2M", "1048576" → bytes per second. */
export function parseRate(name: string, raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '' || raw.trim() === '0') return 0
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(raw.trim())
  if (!m) throw new ConfigError(`${name} must be bytes per second like 500K or 2M, got "${raw}"`)
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g']
  return Math.round(Number(m[1]) * mult)
}

function oneOf<T extends string>(env: Env, name: string, choices: readonly T[], def: T): T {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return def
  if (!(choices as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${env[name]}"`)
  return raw as T
}

/** A whole number ≥ 1, or null when unset. */
function positiveOrNull(env: Env, name: string, max: number): number | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  return int(env, name, 0, 1, max)
}

/**
 * MEDIA_SERVER, MEDIA_SERVER_URL and MEDIA_SERVER_TOKEN come as a set: one without the
 * others is a mistake worth stopping for. The token is never echoed in an error.
 */
function mediaServer(env: Env): MediaServerConfig | null {
  const kind = env.MEDIA_SERVER?.trim().toLowerCase()
  const url = urlSetting(env, 'MEDIA_SERVER_URL', HTTP, 'an http(s) URL like http://192.168.1.10:8096')
  const token = env.MEDIA_SERVER_TOKEN?.trim()
  if (!kind && !url && !token) return null
  if (!kind || !(MEDIA_SERVER_KINDS as readonly string[]).includes(kind))
    throw new ConfigError(
      `MEDIA_SERVER must be one of ${MEDIA_SERVER_KINDS.join(', ')} when MEDIA_SERVER_URL or MEDIA_SERVER_TOKEN is set${kind ? `, got "${env.MEDIA_SERVER}"` : ''}`,
    )
  if (!url) throw new ConfigError('MEDIA_SERVER_URL must be set when MEDIA_SERVER is (the address of your Jellyfin or Plex)')
  if (url.username || url.password || url.search || url.hash)
    throw new ConfigError('MEDIA_SERVER_URL must not carry credentials, a query or a fragment: the token goes in MEDIA_SERVER_TOKEN')
  if (!token) throw new ConfigError(`MEDIA_SERVER_TOKEN must be set when MEDIA_SERVER is (${kind === 'plex' ? 'your X-Plex-Token' : 'a Jellyfin API key'})`)
  if (/[\s\x00-\x1f]/.test(token)) throw new ConfigError('MEDIA_SERVER_TOKEN must not contain spaces or control characters')
  return { kind: kind as MediaServerKind, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, token }
}

function releasesUrl(env: Env): string {
  const url = webhookUrl(env, 'YTDLP_RELEASES_URL') ?? DEFAULT_RELEASES_URL
  return url.replace(/\/+$/, '')
}

function ytdlpChannel(env: Env, releases: string): string {
  const raw = env.YTDLP_CHANNEL?.trim() || 'stable'
  if (!SAFE_NAME.test(raw)) throw new ConfigError(`YTDLP_CHANNEL must be stable, nightly or a release tag such as 2025.11.12, got "${raw}"`)
  if (raw === 'nightly' && !nightlyReleasesUrl(releases))
    throw new ConfigError(
      `YTDLP_CHANNEL=nightly needs YTDLP_RELEASES_URL to end in /yt-dlp/yt-dlp/releases (the nightly builds are its sibling repository), got "${releases}"`,
    )
  return raw
}

function ytdlpAsset(env: Env): string | null {
  const raw = env.YTDLP_ASSET?.trim()
  if (!raw) return null
  if (!SAFE_NAME.test(raw)) throw new ConfigError(`YTDLP_ASSET must be a release file name such as yt-dlp or yt-dlp_linux, got "${raw}"`)
  return raw
}

/** "ejs:github" (the default), "" or "none" for none; yt-dlp's own syntax otherwise. */
function remoteComponents(env: Env): string | null {
  const raw = env.REMOTE_COMPONENTS
  if (raw === undefined) return 'ejs:github'
  const v = raw.trim()
  if (v === '' || v.toLowerCase() === 'none') return null
  if (!/^[A-Za-z0-9:,._-]+$/.test(v)) throw new ConfigError(`REMOTE_COMPONENTS must look like ejs:github (or be empty), got "${raw}"`)
  return v
}

function subtitleSetting(env: Env, name: string): SubtitleChoice {
  const c = parseSubtitleChoice(env[name] ?? '')
  if ('error' in c) throw new ConfigError(`${name} must be off, all or language tags separated by commas (en,de): it ${c.error}`)
  return c
}

function categories(env: Env, name: string): string[] {
  try {
    return parseCategories(env[name]?.trim() || DEFAULT_SPONSORBLOCK_CATEGORIES)
  } catch (err) {
    throw new ConfigError(`${name} ${err instanceof Error ? err.message : err}`)
  }
}

export const DEFAULT_SPONSORBLOCK_CATEGORIES = 'sponsor,selfpromo,interaction,music_offtopic'

/** The operator's own choice, like NOTIFY_URL: a self-hosted mirror may well be on the LAN, so private addresses go. */
function sponsorblockUrl(env: Env): string {
  const url = urlSetting(env, 'SPONSORBLOCK_URL', HTTP, 'an http(s) URL like https://sponsor.ajay.app')
  if (!url) return 'https://sponsor.ajay.app'
  if (url.username || url.password || url.search || url.hash)
    throw new ConfigError(`SPONSORBLOCK_URL must not carry credentials, a query or a fragment, got "${env.SPONSORBLOCK_URL?.trim()}"`)
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** "download,extract", "download", "" or "none" (nothing: a UI-only serve node). */
function roles(env: Env, name: string): Role[] {
  const raw = env[name]
  if (raw === undefined) return [...ROLES]
  const parts = raw
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p && p !== 'none')
  for (const p of parts)
    if (!(ROLES as readonly string[]).includes(p))
      throw new ConfigError(`${name} must list ${ROLES.join(' and/or ')} (comma-separated) or be none, got "${raw}"`)
  return ROLES.filter((r) => parts.includes(r))
}

function ipAddress(env: Env, name: string): string | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  if (!isIPv4(raw) && !isIPv6(raw)) throw new ConfigError(`${name} must be an IP address of this machine, like 192.0.2.10, got "${raw}"`)
  return raw
}

function nodeName(env: Env, name: string): string {
  const raw = env[name]?.trim() || hostname()
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(raw))
    throw new ConfigError(`${name} must be letters, digits, dots, dashes or underscores (at most 63), got "${raw}"`)
  return raw
}

function str(env: Env, name: string, def: string): string {
  const raw = env[name]
  return raw === undefined || raw.trim() === '' ? def : raw.trim()
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/** Sibling ffprobe of a configured ffmpeg ("/opt/ff/ffmpeg" → "/opt/ff/ffprobe", "ffmpeg" → "ffprobe"). */
export function ffprobeBeside(ffmpegPath: string): string {
  const base = ffmpegPath.split('/').pop() ?? 'ffmpeg'
  const probe = base.replace(/ffmpeg/, 'ffprobe')
  return ffmpegPath.includes('/') ? join(dirname(ffmpegPath), probe) : probe
}

function audioFormatOf(env: Env): AudioFormat {
  const format = str(env, 'AUDIO_FORMAT', 'mp3').toLowerCase()
  if (!(AUDIO_FORMATS as readonly string[]).includes(format))
    throw new ConfigError(`AUDIO_FORMAT must be one of ${AUDIO_FORMATS.join(', ')}, got "${env.AUDIO_FORMAT}"`)
  return format as AudioFormat
}

/**
 * The settings a running server can change (the settings page saves them in the database),
 * each read by the one parser startup uses too, so a bad value gets the same message.
 */
const runtimeParsers = {
  downloadConcurrency: (e: Env) => int(e, 'DOWNLOAD_CONCURRENCY', 1, 1, 32),
  extractConcurrency: (e: Env) => int(e, 'EXTRACT_CONCURRENCY', availableParallelism(), 1, 64),
  rateLimit: (e: Env) => parseRate('RATE_LIMIT', e.RATE_LIMIT),
  sleepBetweenDownloads: (e: Env) => num(e, 'SLEEP_BETWEEN_DOWNLOADS', 0, 0, 3600),
  downloadWindow: (e: Env) => timeWindow(e, 'DOWNLOAD_WINDOW'),
  audioFormat: audioFormatOf,
  audioQuality: (e: Env) => int(e, 'AUDIO_QUALITY', 2, 0, 9),
  notifyUrl: (e: Env) => webhookUrl(e, 'NOTIFY_URL'),
} satisfies { [K in SettingKey]?: (e: Env) => Config[K] }

export type RuntimeKey = keyof typeof runtimeParsers
export type RuntimeValues = Pick<Config, RuntimeKey>
export const RUNTIME_KEYS = Object.keys(runtimeParsers) as RuntimeKey[]

export const isRuntimeKey = (key: string): key is RuntimeKey => Object.hasOwn(runtimeParsers, key)

/** One changeable setting from its text as the variable would hold it ("2M", "01:00-07:00"); throws the startup message. */
export function parseRuntimeSetting<K extends RuntimeKey>(key: K, raw: string): Config[K] {
  return runtimeParsers[key]({ [SETTING_VARIABLES[key]]: raw }) as Config[K]
}

/** A flag over the environment over .env over the default. */
export function sourceOf(variable: string, layers: { flags: Env; env: Env; dotenv: Env }): SettingSource {
  if (layers.flags[variable] !== undefined) return 'flag'
  if (layers.env[variable] !== undefined) return 'env'
  if (layers.dotenv[variable] !== undefined) return '.env'
  return 'default'
}

function nameTemplate(env: Env, name: string): string | null {
  const v = str(env, name, '')
  if (v === '') return null
  const problem = templateProblem(v)
  if (problem) throw new ConfigError(`${name} is not a valid naming template: ${problem}`)
  return v
}

/**
 * The one place settings are parsed. `env` is the process environment merged over .env,
 * `flags` are command-line overrides (already named like the env variables).
 */
export function parseConfig(env: Env, flags: Env = {}, dotenv: Env = {}): Config {
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined))
  const e: Env = { ...dotenv, ...env, ...given }
  const runtime = Object.fromEntries(RUNTIME_KEYS.map((k) => [k, runtimeParsers[k](e)])) as RuntimeValues
  const host = str(e, 'HOST', '127.0.0.1')
  const dataDir = resolve(str(e, 'DATA_DIR', './data'))
  const ffmpegPath = str(e, 'FFMPEG_PATH', 'ffmpeg')
  const cookies = str(e, 'COOKIES_FILE', '')
  if (cookies && !existsSync(cookies)) throw new ConfigError(`COOKIES_FILE points to "${cookies}", which does not exist`)
  const token = str(e, 'AUTH_TOKEN', '')
  const releases = releasesUrl(e)
  if (token && token.length < 16) throw new ConfigError('AUTH_TOKEN must be at least 16 characters long')
  const config: Config = {
    host,
    port: int(e, 'PORT', 8000, 0, 65535),
    dataDir,
    mediaDir: mediaDirOf(e, 'MEDIA_DIR', dataDir),
    databaseUrl: databaseUrl(e, 'DATABASE_URL'),
    batchSize: int(e, 'BATCH_SIZE', 200, 1, 100_000),
    indexConcurrency: int(e, 'INDEX_CONCURRENCY', 2, 1, 32),
    extractDelaySeconds: num(e, 'EXTRACT_DELAY_SECONDS', 0, 0, 3600),
    libraryLayout: oneOf(e, 'LIBRARY_LAYOUT', LIBRARY_LAYOUTS, 'plain'),
    nameTemplate: nameTemplate(e, 'NAME_TEMPLATE'),
    subtitles: subtitleSetting(e, 'SUBTITLES'),
    autoSubtitles: bool(e, 'AUTO_SUBTITLES', false),
    chapters: bool(e, 'CHAPTERS', false),
    splitChapters: bool(e, 'SPLIT_CHAPTERS', false),
    ytdlpPath: str(e, 'YTDLP_PATH', '') || null,
    ytdlpReleasesUrl: releases,
    ytdlpChannel: ytdlpChannel(e, releases),
    ytdlpAsset: ytdlpAsset(e),
    ytdlpAutoUpdate: oneOf(e, 'YTDLP_AUTO_UPDATE', ['off', 'daily', 'weekly'] as const, 'daily'),
    jsRuntime: oneOf(e, 'JS_RUNTIME', ['auto', 'self', 'deno', 'node', 'none'] as const, 'auto'),
    remoteComponents: remoteComponents(e),
    ytdlpFormat: str(e, 'YTDLP_FORMAT', 'bestvideo*+bestaudio/best'),
    ffmpegPath,
    ffprobePath: str(e, 'FFPROBE_PATH', ffprobeBeside(ffmpegPath)),
    socketTimeout: num(e, 'SOCKET_TIMEOUT', 20, 1, 600),
    rateLimitBackoffSeconds: num(e, 'RATE_LIMIT_BACKOFF_SECONDS', 30, 0.1, 3600),
    minFreeSpaceMb: int(e, 'MIN_FREE_SPACE_MB', 1024, 0, 1_000_000_000),
    dataDirCheckSeconds: num(e, 'DATA_DIR_CHECK_SECONDS', 10, 0.1, 3600),
    keepNewest: positiveOrNull(e, 'KEEP_NEWEST', 1_000_000),
    deleteVideosAfterDays: positiveOrNull(e, 'DELETE_VIDEOS_AFTER_DAYS', 36_500),
    keepAudio: bool(e, 'KEEP_AUDIO', true),
    mediaServer: mediaServer(e),
    fairShareSeconds: num(e, 'FAIR_SHARE_SECONDS', 10, 0, 3600),
    stallTimeoutSeconds: num(e, 'STALL_TIMEOUT_SECONDS', 300, 1, 86_400),
    maxEventStreams: int(e, 'MAX_EVENT_STREAMS', 200, 1, 100_000),
    cookiesFile: cookies ? resolve(cookies) : null,
    proxy: proxyUrl(e, 'PROXY'),
    authToken: token || null,
    insecureNoAuth: bool(e, 'INSECURE_NO_AUTH', false),
    allowPrivateUrls: bool(e, 'ALLOW_PRIVATE_URLS', false),
    maxBodyBytes: int(e, 'MAX_BODY_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    allowedHosts: hostList(e, 'ALLOWED_HOSTS'),
    publicUrl: publicBase(e, 'PUBLIC_URL'),
    trustProxy: bool(e, 'TRUST_PROXY', false),
    sessionDays: int(e, 'SESSION_DAYS', 30, 1, 3650),
    sponsorblock: oneOf(e, 'SPONSORBLOCK', SPONSORBLOCK_MODES, 'off'),
    sponsorblockCategories: categories(e, 'SPONSORBLOCK_CATEGORIES'),
    sponsorblockUrl: sponsorblockUrl(e),
    nodeName: nodeName(e, 'NODE_NAME'),
    nodeRoles: roles(e, 'NODE_ROLES'),
    leaseSeconds: num(e, 'LEASE_SECONDS', 30, 1, 3600),
    // NOTIFY wakes nodes on PostgreSQL; the poll is only its safety net there (docs/cluster.md).
    idlePollSeconds: num(e, 'IDLE_POLL_SECONDS', e.DATABASE_URL?.trim() ? 5 : 1, 0.05, 3600),
    databaseOutageSeconds: num(e, 'DATABASE_OUTAGE_SECONDS', 20, 0, 3600),
    sourceAddress: ipAddress(e, 'SOURCE_ADDRESS'),
    stagingDir: e.STAGING_DIR?.trim() ? resolve(e.STAGING_DIR.trim()) : null,
    resumeOnStart: bool(e, 'RESUME_ON_START', false),
    importDirs: dirList(e, 'IMPORT_DIRS'),
    ...runtime,
    startup: {
      sources: Object.fromEntries(Object.entries(SETTING_VARIABLES).map(([k, v]) => [k, sourceOf(v, { flags: given, env, dotenv })])) as Record<
        SettingKey,
        SettingSource
      >,
      values: { ...runtime },
    },
  }
  return config
}

/**
 * This process's node name when it is one node of a cluster, else undefined. A cluster is
 * DATABASE_URL, or a NODE_NAME given on a shared SQLite file: both say "other nodes may share
 * this store", so what the process owns on disk (its pid file, its children's registry) is
 * named after the node. The default (SQLite, no NODE_NAME) keeps the one-machine names.
 */
export function clusterNode(config: Pick<Config, 'databaseUrl' | 'nodeName' | 'startup'>): string | undefined {
  return config.databaseUrl || config.startup.sources.nodeName !== 'default' ? config.nodeName : undefined
}

/** Refuses to expose an unauthenticated server beyond this machine. */
export function checkExposure(config: Config): string | null {
  if (isLoopbackHost(config.host) || config.authToken) return null
  if (config.insecureNoAuth) return `WARNING: listening on ${config.host} without authentication (--insecure-no-auth).`
  throw new ConfigError(
    `HOST=${config.host} is not a loopback address: set AUTH_TOKEN (16+ characters) or pass --insecure-no-auth to expose yt-serve without a login`,
  )
}

export function loadConfig(flags: Env = {}, cwd = process.cwd()): Config {
  return parseConfig(process.env, flags, readDotEnv(join(cwd, '.env')))
}
