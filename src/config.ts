import { availableParallelism, hostname } from 'node:os'
import { isIPv4, isIPv6 } from 'node:net'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseTimeWindow, type TimeWindow } from './library/window'
import { DEFAULT_RELEASES_URL, nightlyReleasesUrl, SAFE_NAME, type JsRuntime } from './tools/ytdlp-release'

export const AUDIO_FORMATS = ['mp3', 'm4a', 'opus', 'flac'] as const
export type AudioFormat = (typeof AUDIO_FORMATS)[number]

export interface Config {
  host: string
  port: number
  dataDir: string
  batchSize: number
  downloadConcurrency: number
  extractConcurrency: number
  /** yt-dlp processes reading playlists at once (adds, jobs and syncs together). */
  indexConcurrency: number
  audioFormat: AudioFormat
  /** mp3 VBR quality 0 (best) … 9; for opus/m4a re-encodes it maps to a bitrate. */
  audioQuality: number
  extractDelaySeconds: number
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
  /** This node's name in the cluster (NODE_NAME, default the host name): unique per process sharing the database. */
  nodeName: string
  /** The work this node takes (NODE_ROLES); empty: a `serve` that only shows the UI and plans jobs. */
  nodeRoles: Role[]
  /** How long an item lease or a heartbeat holds; a node silent for longer is lost and its items go to others. */
  leaseSeconds: number
  /** Handed to every yt-dlp as --source-address (this node's egress IP); null: the system's choice. */
  sourceAddress: string | null
  /** This node's own folder for downloads in progress; null: <folder>/.staging inside DATA_DIR (one machine). */
  stagingDir: string | null
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

/**
 * The one place settings are parsed. `env` is the process environment merged over .env,
 * `flags` are command-line overrides (already named like the env variables).
 */
export function parseConfig(env: Env, flags: Env = {}): Config {
  const e: Env = { ...env, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) }
  const audioFormat = str(e, 'AUDIO_FORMAT', 'mp3').toLowerCase()
  if (!(AUDIO_FORMATS as readonly string[]).includes(audioFormat))
    throw new ConfigError(`AUDIO_FORMAT must be one of ${AUDIO_FORMATS.join(', ')}, got "${e.AUDIO_FORMAT}"`)
  const host = str(e, 'HOST', '127.0.0.1')
  const ffmpegPath = str(e, 'FFMPEG_PATH', 'ffmpeg')
  const cookies = str(e, 'COOKIES_FILE', '')
  if (cookies && !existsSync(cookies)) throw new ConfigError(`COOKIES_FILE points to "${cookies}", which does not exist`)
  const token = str(e, 'AUTH_TOKEN', '')
  const releases = releasesUrl(e)
  if (token && token.length < 16) throw new ConfigError('AUTH_TOKEN must be at least 16 characters long')
  const config: Config = {
    host,
    port: int(e, 'PORT', 8000, 0, 65535),
    dataDir: resolve(str(e, 'DATA_DIR', './data')),
    batchSize: int(e, 'BATCH_SIZE', 200, 1, 100_000),
    downloadConcurrency: int(e, 'DOWNLOAD_CONCURRENCY', 1, 1, 32),
    extractConcurrency: int(e, 'EXTRACT_CONCURRENCY', availableParallelism(), 1, 64),
    indexConcurrency: int(e, 'INDEX_CONCURRENCY', 2, 1, 32),
    audioFormat: audioFormat as AudioFormat,
    audioQuality: int(e, 'AUDIO_QUALITY', 2, 0, 9),
    extractDelaySeconds: num(e, 'EXTRACT_DELAY_SECONDS', 0, 0, 3600),
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
    sleepBetweenDownloads: num(e, 'SLEEP_BETWEEN_DOWNLOADS', 0, 0, 3600),
    rateLimitBackoffSeconds: num(e, 'RATE_LIMIT_BACKOFF_SECONDS', 30, 0.1, 3600),
    minFreeSpaceMb: int(e, 'MIN_FREE_SPACE_MB', 1024, 0, 1_000_000_000),
    dataDirCheckSeconds: num(e, 'DATA_DIR_CHECK_SECONDS', 10, 0.1, 3600),
    downloadWindow: timeWindow(e, 'DOWNLOAD_WINDOW'),
    notifyUrl: webhookUrl(e, 'NOTIFY_URL'),
    fairShareSeconds: num(e, 'FAIR_SHARE_SECONDS', 10, 0, 3600),
    stallTimeoutSeconds: num(e, 'STALL_TIMEOUT_SECONDS', 300, 1, 86_400),
    maxEventStreams: int(e, 'MAX_EVENT_STREAMS', 200, 1, 100_000),
    rateLimit: parseRate('RATE_LIMIT', e.RATE_LIMIT),
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
    nodeName: nodeName(e, 'NODE_NAME'),
    nodeRoles: roles(e, 'NODE_ROLES'),
    leaseSeconds: num(e, 'LEASE_SECONDS', 30, 1, 3600),
    sourceAddress: ipAddress(e, 'SOURCE_ADDRESS'),
    stagingDir: e.STAGING_DIR?.trim() ? resolve(e.STAGING_DIR.trim()) : null,
    resumeOnStart: bool(e, 'RESUME_ON_START', false),
  }
  return config
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
  return parseConfig({ ...readDotEnv(join(cwd, '.env')), ...process.env }, flags)
}
