import { createHash } from 'node:crypto'
import type { IndexedEntry } from '../db/videos'

export interface CommonArgsOptions {
  socketTimeout: number
  cookiesFile?: string | null
  /** PROXY: http(s) or socks5 URL, maybe with credentials (see redactArgv). */
  proxy?: string | null
  /** SOURCE_ADDRESS: the local IP yt-dlp binds to, so each node of a cluster fetches from its own. */
  sourceAddress?: string | null
  /** The JS runtime wiring of a new enough yt-dlp (--js-runtimes, --remote-components). */
  runtimeArgs?: string[]
}

/** Options every yt-dlp call shares: no user config files, no colour codes; cookies, proxy and JS runtime when set. */
function base(bin: string, o: CommonArgsOptions): string[] {
  const args = [bin, '--ignore-config', '--no-colors', '--socket-timeout', String(o.socketTimeout), ...(o.runtimeArgs ?? [])]
  if (o.cookiesFile) args.push('--cookies', o.cookiesFile)
  if (o.proxy) args.push('--proxy', o.proxy)
  if (o.sourceAddress) args.push('--source-address', o.sourceAddress)
  return args
}

/** Only the generic extractor is named: other extractors' names are regexes with ':' in them. */
const extractorArgs = (extractor: string | null | undefined) => (extractor === 'generic' ? ['--use-extractors', 'generic'] : [])

export function buildIndexArgs(bin: string, url: string, o: CommonArgsOptions & { extractor?: string | null }): string[] {
  // "--" ends option parsing: a hostile URL can never be read as a flag.
  return [...base(bin, o), ...extractorArgs(o.extractor), '--flat-playlist', '--dump-single-json', '--no-warnings', '--', url]
}

export interface DownloadArgsOptions extends CommonArgsOptions {
  format: string
  /** Absolute path, or null to let yt-dlp search PATH (a bare name makes it warn and go without). */
  ffmpegLocation: string | null
  stagingDir: string
  retries: number
  rateLimit: number
  /** "generic" when every URL is the generic extractor's: yt-dlp then starts ~0.25 s faster. */
  extractor?: string | null
  /** Subtitles to fetch beside the video (and embed where the container allows); none when absent. */
  subtitles?: SubtitleRequest | null
  /** Write the site's chapters into the video (yt-dlp's --embed-chapters). */
  embedChapters?: boolean
}

/** `langs`: checked language tags (parseSubtitleChoice), or every language the site has. */
export interface SubtitleRequest {
  langs: string[] | 'all'
  /** Auto-generated captions too (YouTube's), for languages without real subtitles. */
  auto: boolean
}

/**
 * --write-subs keeps the files beside the video even with --embed-subs (yt-dlp deletes
 * embedded ones otherwise). WebVTT is preferred and anything else converted to it: it is
 * what browsers play (the player page's <track>) and what a WebM can embed. yt-dlp embeds
 * only into mp4, mkv and webm and skips the rest with a note.
 */
export function subtitleArgs(s: SubtitleRequest | null | undefined): string[] {
  if (!s) return []
  const langs = s.langs === 'all' ? 'all' : s.langs.join(',')
  return [
    '--write-subs',
    ...(s.auto ? ['--write-auto-subs'] : []),
    '--sub-langs',
    langs,
    '--sub-format',
    'vtt/srt/best',
    '--convert-subs',
    'vtt',
    '--embed-subs',
  ]
}

export const MARK = { start: '[yts:b] ', progress: '[yts:p] ', done: '[yts:m] ' } as const

/**
 * One yt-dlp process downloads many URLs in order, announcing each item on stdout;
 * that saves a ~0.5 s interpreter start per video. Files land in a staging folder
 * under yt-dlp's id (stable, so a killed run resumes its .part) and are renamed by us.
 */
export function buildDownloadArgs(bin: string, urls: string[], o: DownloadArgsOptions): string[] {
  const args = [
    ...base(bin, o),
    ...extractorArgs(o.extractor),
    '--no-playlist',
    '--ignore-errors',
    '--newline',
    '--progress',
    '--continue',
    '--no-mtime',
    // Cover art for the audio files; converted so every format can embed it.
    '--write-thumbnail',
    '--convert-thumbnails',
    'jpg',
    '--retries',
    String(o.retries),
    '--fragment-retries',
    String(o.retries),
    '--format',
    o.format,
    ...(o.ffmpegLocation ? ['--ffmpeg-location', o.ffmpegLocation] : []),
    '--output',
    `${o.stagingDir}/%(id)s.%(ext)s`,
    '--progress-template',
    `download:${MARK.progress}%(progress.downloaded_bytes)s %(progress.total_bytes)s %(progress.total_bytes_estimate)s %(progress.speed)s %(progress.eta)s %(info.id)j`,
    '--print',
    `before_dl:${MARK.start}%(id)j`,
    '--print',
    `after_move:${MARK.done}%(id)j %(filepath)j`,
  ]
  if (o.rateLimit > 0) args.push('--limit-rate', String(o.rateLimit))
  args.push(...subtitleArgs(o.subtitles))
  if (o.embedChapters) args.push('--embed-chapters')
  return [...args, '--', ...urls]
}

export type DownloadEvent =
  | { kind: 'start'; id: string }
  | { kind: 'progress'; id: string; downloaded_bytes: number | null; total_bytes: number | null; speed: number | null; eta: number | null }
  | { kind: 'done'; id: string; path: string }

const numOrNull = (s: string | undefined): number | null => {
  if (s === undefined || s === 'NA' || s === 'None') return null
  const n = Number(s)
  return Number.isFinite(n) ? n : null
}

/** Parses one stdout line of a download run; anything not ours is ignored. */
export function parseDownloadLine(line: string): DownloadEvent | null {
  try {
    if (line.startsWith(MARK.start)) return { kind: 'start', id: JSON.parse(line.slice(MARK.start.length)) }
    if (line.startsWith(MARK.done)) {
      const [id, path] = JSON.parse(`[${line.slice(MARK.done.length).replace('" "', '","')}]`)
      return typeof id === 'string' && typeof path === 'string' ? { kind: 'done', id, path } : null
    }
    if (line.startsWith(MARK.progress)) {
      const rest = line.slice(MARK.progress.length)
      const parts = rest.split(' ')
      const id = JSON.parse(parts.slice(5).join(' '))
      return {
        kind: 'progress',
        id,
        downloaded_bytes: numOrNull(parts[0]),
        total_bytes: numOrNull(parts[1]) ?? numOrNull(parts[2]),
        speed: numOrNull(parts[3]),
        eta: numOrNull(parts[4]),
      }
    }
  } catch {
    return null
  }
  return null
}

/** "ERROR: [generic] x: Unable to …; please report this issue on …" → the useful part. */
export function cleanYtdlpError(text: string): string {
  const lines = redactCredentials(text)
    .split(/\r?\n/)
    .filter((l) => l.startsWith('ERROR:'))
  const line = (lines.at(-1) ?? redactCredentials(text).split(/\r?\n/).filter(Boolean).at(-1) ?? 'yt-dlp failed').trim()
  return line
    .replace(/^ERROR:\s*/, '')
    .replace(/^\[[^\]]+\]\s+(?:[^\s:]+:\s+)?/, '')
    .replace(/;\s*please report this issue.*$/i, '')
    .replace(/\s*\(caused by .*\)\s*$/i, '')
    .slice(0, 500)
}

/** "http://user:secret@proxy:3128" → "http://***@proxy:3128": error text and logged argv never carry credentials. */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, '$1***@')
}

export const redactArgv = (argv: string[]): string[] => argv.map(redactCredentials)

export function isErrorLine(line: string): boolean {
  return line.startsWith('ERROR:')
}

/** HTTP 429 or YouTube's bot check: signs that we should slow down. */
export function isRateLimitError(message: string): boolean {
  return /HTTP Error 429|Too Many Requests|confirm you.re not a bot|rate.?limit/i.test(message)
}

const sha = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16)

/** The ids parseIndex gives entries the generic extractor reads (a YouTube id has 11 characters). */
export const isGenericSourceId = (id: string) => /^g[0-9a-f]{16}$/.test(id)

/**
 * The source ids an id read from a file name or a .info.json may stand for (an import):
 * itself (YouTube and every extractor with ids), or, for a feed item yt-dlp named by its guid,
 * the id parseIndex made of that guid.
 */
export const sourceIdsOf = (fileId: string): string[] => [fileId, `g${sha(fileId)}`]

/**
 * The id yt-dlp's generic extractor gives a media URL it reads directly (its _generic_id: the
 * last path piece without its extension, query included, percent-decoded), which is what its
 * default file names carry; parseIndex hashes the URL instead, so an import needs both.
 */
export function genericFileId(url: string): string {
  const last = url.replace(/\/+$/, '').split('/').at(-1) ?? ''
  const dot = last.lastIndexOf('.')
  const stem = dot > 0 ? last.slice(0, dot) : last
  try {
    return decodeURIComponent(stem)
  } catch {
    return stem
  }
}

interface RawEntry {
  _type?: string
  id?: unknown
  url?: unknown
  webpage_url?: unknown
  title?: unknown
  uploader?: unknown
  channel?: unknown
  duration?: unknown
  thumbnail?: unknown
  thumbnails?: { url?: string }[]
  upload_date?: unknown
  description?: unknown
  timestamp?: unknown
  ie_key?: unknown
  /** A single video's own JSON names its extractor here (flat entries say ie_key). */
  extractor_key?: unknown
  entries?: RawEntry[]
}

export interface IndexResult {
  title: string
  /** yt-dlp's IE name for the playlist ("generic", "youtube:tab"…). */
  extractor: string | null
  uploader: string | null
  entries: IndexedEntry[]
  /** Playlists and channel tabs listed by URL only: to be read with yt-dlp in turn. */
  nested: string[]
  /** The URL named one video, not a list: it joins the Singles collection. */
  single: boolean
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null)

function uploadDate(e: RawEntry): string | null {
  const d = str(e.upload_date)
  if (d && /^\d{8}$/.test(d)) return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`
  if (typeof e.timestamp === 'number') return new Date(e.timestamp * 1000).toISOString().slice(0, 10)
  return null
}

/** Strips yt-dlp's smuggled data: "url#__youtubedl_smuggle=…". */
export function unsmuggle(url: string): { url: string; data: Record<string, unknown> } {
  const i = url.indexOf('#__youtubedl_smuggle=')
  if (i < 0) return { url, data: {} }
  try {
    return { url: url.slice(0, i), data: JSON.parse(decodeURIComponent(url.slice(i + '#__youtubedl_smuggle='.length).replace(/\+/g, ' '))) }
  } catch {
    return { url: url.slice(0, i), data: {} }
  }
}

/**
 * What is worth keeping of an entry's smuggled data: everything but the id (the generic
 * extractor's force_videoid, which downloadUrl replaces with ours), as JSON; null for nothing.
 */
export function keptSmuggledData(data: Record<string, unknown>): string | null {
  const { force_videoid: _id, ...rest } = data
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : null
}

function parseSmuggled(json: string | null): Record<string, unknown> {
  if (!json) return {}
  try {
    const v = JSON.parse(json)
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
  } catch {
    return {}
  }
}

/**
 * The URL handed to yt-dlp, and only to yt-dlp: the clean source URL with the smuggled data
 * the index kept, plus, for the generic extractor, our id as force_videoid, so the id printed
 * while downloading maps back to the row (the generic extractor honours it).
 */
export function downloadUrl(sourceUrl: string, sourceId: string, smuggledData: string | null = null): string {
  const { url, data: inUrl } = unsmuggle(sourceUrl)
  const data: Record<string, unknown> = { ...inUrl, ...parseSmuggled(smuggledData) }
  if (sourceId.startsWith('g')) data.force_videoid = sourceId
  return Object.keys(data).length > 0 ? `${url}#__youtubedl_smuggle=${encodeURIComponent(JSON.stringify(data))}` : url
}

/**
 * Playlists keep placeholders for videos made private or deleted. They are left out of
 * the index, so an entry we had becomes "missing since" and its files stay.
 */
function isUnavailable(e: RawEntry & { availability?: unknown }): boolean {
  return /^\[(private|deleted) video\]$/i.test(str(e.title) ?? '') || e.availability === 'private'
}

const MEDIA_FILE = /\.(mp4|m4v|mov|webm|mkv|avi|mp3|m4a|aac|ogg|oga|opus|flac|wav)$/i

/**
 * The extractor an entry needs, when it is certain: a direct media file that only the
 * generic extractor reads. An RSS item linking to a video page could need any extractor.
 */
function entryExtractor(url: string, generic: boolean, e: RawEntry): string | null {
  // SponsorBlock knows YouTube's videos only: the name says which entries it can be asked about.
  if (e.ie_key === 'Youtube' || e.extractor_key === 'Youtube') return 'youtube'
  if (!generic) return null
  let path = ''
  try {
    path = new URL(url).pathname
  } catch {
    return null
  }
  return MEDIA_FILE.test(path) ? 'generic' : null
}

/** The tabs of a YouTube channel yt-serve can index; Videos always, Shorts and Live when the playlist asks. */
export type ChannelTab = 'videos' | 'shorts' | 'live'
export interface TabChoice {
  shorts: boolean
  live: boolean
}
export const VIDEOS_ONLY: TabChoice = { shorts: false, live: false }

const YOUTUBE_HOST = /^(?:www\.|m\.|music\.)?youtube\.com$/i
const CHANNEL_PATH = /^\/(?:@[^/]+|channel\/[^/]+|c\/[^/]+|user\/[^/]+)(?:\/(videos|shorts|streams|live))?\/?$/i

function youtubePath(url: string): string | null {
  try {
    const u = new URL(url)
    return YOUTUBE_HOST.test(u.hostname) ? u.pathname : null
  } catch {
    return null
  }
}

/** "/@x/shorts" → shorts, "/channel/UC…/streams" → live (yt-dlp's name for the Live tab); null for anything not a channel tab. */
export function channelTab(url: string): ChannelTab | null {
  const m = CHANNEL_PATH.exec(youtubePath(url) ?? '')
  if (!m?.[1]) return null
  const tab = m[1].toLowerCase()
  return tab === 'videos' ? 'videos' : tab === 'shorts' ? 'shorts' : 'live'
}

const tabWanted = (tab: ChannelTab | null, choice: TabChoice) => tab === null || tab === 'videos' || choice[tab]

/**
 * What a flat entry is. yt-dlp's youtube:tab extractor lists channels (a /channels tab,
 * search results) and playlists (a /playlists tab, a Music artist's albums) as url
 * entries with ie_key YoutubeTab: they are lists, never videos.
 */
function entryKind(e: RawEntry, url: string): 'video' | 'list' | 'other' {
  const tab = channelTab(url)
  if (tab) return 'list'
  if (e.ie_key !== 'YoutubeTab' && e.ie_key !== 'YoutubePlaylist') return 'video'
  const path = youtubePath(url)
  if (path !== null && (/[?&]list=/.test(url) || path.startsWith('/playlist'))) return 'list'
  return 'other'
}

/**
 * Turns `--flat-playlist -J` output into ordered entries. Entries without an extractor
 * id (RSS enclosures via the generic extractor) get "g" + a hash of their guid or URL.
 *
 * A YouTube channel URL comes back as a playlist of tab playlists (Videos, then Live and
 * Shorts, each with its entries: yt-dlp expands tabs even with --flat-playlist); only the
 * tabs in `tabs` are kept. Nested lists yt-dlp left as URLs are returned in `nested`
 * for the caller to read, never stored as videos.
 */
export function parseIndex(json: string, playlistUrl: string, tabs: TabChoice = VIDEOS_ONLY): IndexResult {
  const data = JSON.parse(json) as RawEntry & { title?: unknown }
  const flat: RawEntry[] = []
  const nested: string[] = []
  const walk = (e: RawEntry, depth: number) => {
    if (!Array.isArray(e.entries)) {
      flat.push(e)
      return
    }
    // The top level is filtered too when the URL given named no tab: a channel with only
    // Shorts comes back as its Shorts tab alone. A tab URL given on purpose is kept whole.
    const tab = channelTab(str(e.webpage_url) ?? str(e.url) ?? str((e as { original_url?: unknown }).original_url) ?? '')
    if ((depth > 0 || channelTab(playlistUrl) === null) && !tabWanted(tab, tabs)) return
    for (const c of e.entries) if (c) walk(c, depth + 1)
  }
  if (Array.isArray(data.entries)) walk(data, 0)
  else flat.push({ ...data, url: str(data.webpage_url) ?? playlistUrl })
  const entries: IndexedEntry[] = []
  for (const e of flat) {
    const rawUrl = str(e.url) ?? str(e.webpage_url)
    if (!rawUrl || isUnavailable(e)) continue
    const kind = entryKind(e, rawUrl)
    if (kind !== 'video') {
      if (kind === 'list' && tabWanted(channelTab(rawUrl), tabs) && !nested.includes(rawUrl)) nested.push(rawUrl)
      continue
    }
    const { url, data: smuggled } = unsmuggle(rawUrl)
    const id = str(e.id)
    const generic = !id || e.ie_key === 'Generic'
    const sourceId = generic ? `g${sha(str(smuggled.force_videoid) ?? url)}` : id!
    const thumb = str(e.thumbnail) ?? str(e.thumbnails?.at(-1)?.url)
    entries.push({
      source_id: sourceId,
      position: entries.length + 1,
      title: (str(e.title) ?? url.split('/').pop() ?? sourceId).slice(0, 500),
      uploader: str(e.uploader) ?? str(e.channel),
      duration: typeof e.duration === 'number' && Number.isFinite(e.duration) ? e.duration : null,
      // Stored and shown clean; downloadUrl smuggles what yt-dlp needs back in at download time.
      source_url: url,
      smuggled_data: keptSmuggledData(smuggled),
      thumbnail_url: thumb,
      upload_date: uploadDate(e),
      // The episode NFO's plot; bounded, as a description can run to pages.
      description: str(e.description)?.slice(0, 5000) ?? null,
      extractor: entryExtractor(url, generic, e),
    })
  }
  return {
    title: (str(data.title) ?? playlistUrl).slice(0, 500),
    extractor: str((data as { extractor?: unknown }).extractor),
    uploader: str(data.uploader) ?? str(data.channel),
    entries,
    nested,
    single: !Array.isArray(data.entries),
  }
}

/** yt-dlp versions are release dates ("2023.03.04", nightlies add ".232843"); null for anything else. */
export function ytdlpReleaseDate(version: string): Date | null {
  const m = /^(\d{4})\.(\d{1,2})\.(\d{1,2})(?:\.\d+)?$/.exec(version.trim())
  if (!m) return null
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCMonth() === Number(m[2]) - 1 ? d : null
}
