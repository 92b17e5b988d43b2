import { subtitleChoiceText } from '../library/subtitle-langs'
import { type Config, isRuntimeKey, SETTING_VARIABLES, type SettingKey } from '../config'

/** What the settings page and GET /api/settings say about one setting. */
export interface SettingInfo {
  key: SettingKey
  /** As the API and the database spell it: the variable in lower case (download_concurrency). */
  name: string
  label: string
  variable: string
  /** Changed on the settings page and applied at once; the others need the variable and a restart. */
  changeable: boolean
  /** Shown as "set" / "not set", never its value: a token, credentials, a webhook URL with its key, a cookies file. */
  secret: boolean
  /** Changeable, and may be saved for one node (cluster mode): its own workers and bandwidth. */
  perNode: boolean
  /** What it does, in a few words. */
  hint: string
}

const HINTS: Record<SettingKey, [label: string, hint: string]> = {
  downloadConcurrency: ['Download concurrency', "this node's yt-dlp workers, shared by all jobs"],
  extractConcurrency: ['Extract concurrency', "this node's ffmpeg workers, shared by all jobs"],
  rateLimit: ['Rate limit', "bytes per second for this node's downloads, like 500K or 2M; empty: unlimited"],
  sleepBetweenDownloads: ['Sleep between downloads', 'seconds between two downloads, whichever worker (plus up to 50 % jitter)'],
  downloadWindow: ['Download window', 'downloads start only inside this daily window (server time), like 01:00-07:00; empty: any time'],
  audioFormat: ['Audio format', "the format extraction writes, unless a playlist's settings say otherwise"],
  audioQuality: ['Audio quality', '0 (best) to 9: LAME VBR for mp3, a bitrate for re-encoded m4a/opus'],
  notifyUrl: ['Notify URL', 'finished jobs are posted here as JSON; empty: no notifications'],
  host: ['Host', 'address the server listens on'],
  port: ['Port', 'port the server listens on'],
  dataDir: ['Data dir', 'the database, the managed yt-dlp, and the playlist folders unless MEDIA_DIR is set'],
  mediaDir: ['Media dir', 'the playlist folders (videos, audio, covers), e.g. a shared mount; empty: inside the data dir'],
  batchSize: ['Batch size', 'at most this many downloads per job'],
  indexConcurrency: ['Index concurrency', 'yt-dlp processes reading playlists at once'],
  extractDelaySeconds: ['Extract delay seconds', 'in "both" jobs, wait this long before extracting'],
  ytdlpPath: ['yt-dlp path', 'a yt-dlp that always wins over the managed one'],
  ytdlpReleasesUrl: ['yt-dlp releases URL', 'where yt-dlp updates come from'],
  ytdlpChannel: ['yt-dlp channel', 'stable, nightly or a pinned release tag'],
  ytdlpAsset: ['yt-dlp asset', 'the release file to install'],
  ytdlpAutoUpdate: ['yt-dlp auto update', 'off, daily or weekly'],
  jsRuntime: ['JS runtime', "the JavaScript runtime for YouTube's challenges"],
  remoteComponents: ['Remote components', "yt-dlp's --remote-components"],
  ytdlpFormat: ['yt-dlp format', "yt-dlp's format selector"],
  ffmpegPath: ['ffmpeg path', 'the ffmpeg to run'],
  ffprobePath: ['ffprobe path', 'the ffprobe to run'],
  socketTimeout: ['Socket timeout', 'seconds yt-dlp waits on a silent connection'],
  stallTimeoutSeconds: ['Stall timeout seconds', 'a yt-dlp or ffmpeg silent this long is killed'],
  maxEventStreams: ['Max event streams', 'open Server-Sent Events streams at once'],
  fairShareSeconds: ['Fair share seconds', 'how long one job keeps a download worker while another waits'],
  rateLimitBackoffSeconds: ['Rate limit backoff seconds', 'first back-off after HTTP 429 or a bot check'],
  dataDirCheckSeconds: ['Data dir check seconds', 'how often the database file is checked to still be there'],
  minFreeSpaceMb: ['Min free space MB', 'downloads wait while less space is free; 0: no guard'],
  cookiesFile: ['Cookies file', 'a cookies file for yt-dlp; wins over an uploaded one'],
  proxy: ['Proxy', 'the proxy every yt-dlp goes through'],
  authToken: ['Auth token', 'the API token and login password'],
  insecureNoAuth: ['Insecure no auth', 'allow a non-loopback host without a token'],
  allowPrivateUrls: ['Allow private URLs', 'allow playlists on loopback and private addresses'],
  maxBodyBytes: ['Max body bytes', 'larger request bodies are refused'],
  allowedHosts: ['Allowed hosts', 'extra host names a tokenless server answers to'],
  publicUrl: ['Public URL', 'the external base URL for links in feeds'],
  trustProxy: ['Trust proxy', 'believe X-Forwarded-* headers from a reverse proxy'],
  sessionDays: ['Session days', 'a login lasts this many days'],
  resumeOnStart: ['Resume on start', 'resume the jobs the last shutdown interrupted'],
  databaseUrl: ['Database URL', 'postgres://… puts the archive in PostgreSQL; empty: SQLite in the data dir'],
  libraryLayout: ['Library layout', 'the layout new playlists get: plain, jellyfin or plex'],
  nameTemplate: ['File names', 'the naming template new playlists get, like {position} - {title}; empty: the default names'],
  keepNewest: ['Keep newest', 'retention default: keep the files of only the newest N entries; empty: off'],
  deleteVideosAfterDays: ['Delete videos after (days)', 'retention default: delete a video this many days after its download; empty: off'],
  keepAudio: ['Keep audio', 'retention default: keep the audio of pruned entries'],
  mediaServer: ['Media server', 'jellyfin or plex, refreshed after a job that added files (with MEDIA_SERVER_URL and MEDIA_SERVER_TOKEN)'],
  subtitles: ['Subtitles', 'default for playlists: off, all or language tags like en,de'],
  autoSubtitles: ['Auto-generated subtitles', 'default: also fetch auto-generated captions'],
  chapters: ['Chapters', 'default: embed chapters into videos and carry them into the audio'],
  splitChapters: ['Split chapters', 'default: also write one audio file per chapter'],
  sponsorblock: ['SponsorBlock', 'default for playlists: off, mark (chapters) or remove (cut from the audio)'],
  sponsorblockCategories: ['SponsorBlock categories', 'the segment categories acted on'],
  sponsorblockUrl: ['SponsorBlock URL', 'the SponsorBlock API or a mirror'],
  importDirs: ['Import folders', 'folders the web UI and API may import existing archives from; empty: import from the CLI only'],
  nodeName: ['Node name', "this node's name in a cluster (default: the host name)"],
  nodeRoles: ['Node roles', 'the work this node takes: download, extract, both or none'],
  leaseSeconds: ['Lease seconds', 'how long an item lease or heartbeat holds before a silent node is lost'],
  idlePollSeconds: [
    'Idle poll seconds',
    'how often an idle node looks for work unprompted (default 1; 5 on PostgreSQL, where a notification wakes it at once)',
  ],
  databaseOutageSeconds: ['Database outage seconds', 'how long a lost PostgreSQL connection is waited for before jobs are interrupted (0: at once)'],
  sourceAddress: ['Source address', 'the egress IP every yt-dlp of this node uses'],
  stagingDir: ['Staging dir', "this node's folder for downloads in progress"],
}

/** Where a change is saved: for this node only, or for every node. */
export const SETTING_SCOPES = ['node', 'cluster'] as const
export type SettingScope = (typeof SETTING_SCOPES)[number]

/** The changeable settings a node may hold its own value of; the rest are the same on every node. */
const PER_NODE = new Set<SettingKey>(['downloadConcurrency', 'extractConcurrency', 'rateLimit'])

const SECRET = new Set<SettingKey>(['mediaServer', 'databaseUrl', 'authToken', 'proxy', 'cookiesFile', 'notifyUrl'])

/** Every setting, the changeable ones first, in the order the page shows them. */
export const SETTINGS: SettingInfo[] = (Object.keys(HINTS) as SettingKey[]).map((key) => ({
  key,
  name: SETTING_VARIABLES[key].toLowerCase(),
  label: HINTS[key][0],
  variable: SETTING_VARIABLES[key],
  changeable: isRuntimeKey(key),
  secret: SECRET.has(key),
  perNode: PER_NODE.has(key),
  hint: HINTS[key][1],
}))

export const settingNamed = (name: string): SettingInfo | undefined => SETTINGS.find((s) => s.name === name)

/** A value as the API shows it: secrets as "set"/"not set", the download window as written. */
export function shownValue(config: Config, s: SettingInfo): string | number | boolean | string[] | null {
  const v = config[s.key]
  if (s.secret) return v === null || v === '' ? 'not set' : 'set'
  if (s.key === 'downloadWindow') return config.downloadWindow ? config.downloadWindow.text.replace('–', '-') : null
  if (s.key === 'subtitles') return subtitleChoiceText(config.subtitles)
  return v as string | number | boolean | string[] | null
}

const UNITS: [number, string][] = [
  [1024 ** 3, 'G'],
  [1024 ** 2, 'M'],
  [1024, 'K'],
]

/** Bytes per second as RATE_LIMIT would be written ("2M"); "" for unlimited. */
export function rateText(bytes: number): string {
  if (bytes === 0) return ''
  for (const [size, unit] of UNITS) if (bytes % size === 0) return `${bytes / size}${unit}`
  return String(bytes)
}

/** The text a form field holds for a changeable setting, as its variable would hold it; a secret's is empty. */
export function inputText(value: ReturnType<typeof shownValue>, s: SettingInfo): string {
  if (s.secret || value === null) return ''
  if (s.key === 'rateLimit') return rateText(value as number)
  return String(value)
}
