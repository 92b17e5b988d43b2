import { ytdlpReleaseDate } from './ytdlp'

/** yt-dlp's own release layout (GitHub releases, or any mirror of it). */
export const DEFAULT_RELEASES_URL = 'https://github.com/yt-dlp/yt-dlp/releases'
export const ASSETS = ['yt-dlp', 'yt-dlp_linux', 'yt-dlp_linux_aarch64'] as const
/** Sites (YouTube above all) change often; a yt-dlp older than this is likely to fail on them. */
export const YTDLP_STALE_DAYS = 90
/** The first release with --js-runtimes and --remote-components (the EJS challenge solver). */
export const JS_RUNTIMES_SINCE = '2025.11.12'

/** A tag or asset name is one path segment: nothing that could climb out of the release URL. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

/** The nightly builds live in a sibling repository with the same layout. */
export function nightlyReleasesUrl(releasesUrl: string): string | null {
  const u = releasesUrl.replace(/\/+$/, '')
  return /\/yt-dlp\/yt-dlp\/releases$/.test(u) ? u.replace(/\/yt-dlp\/yt-dlp\/releases$/, '/yt-dlp/yt-dlp-nightly-builds/releases') : null
}

/** Where the files of the chosen release are: `<base>/latest/download` or `<base>/download/<tag>`. */
export function releaseDir(releasesUrl: string, channel: string): string {
  const base = releasesUrl.replace(/\/+$/, '')
  if (channel === 'stable') return `${base}/latest/download`
  if (channel === 'nightly') {
    const nightly = nightlyReleasesUrl(base)
    if (!nightly) throw new Error(`the nightly channel needs YTDLP_RELEASES_URL to end in /yt-dlp/yt-dlp/releases, got ${base}`)
    return `${nightly}/latest/download`
  }
  return `${base}/download/${encodeURIComponent(channel)}`
}

/** "Python 3.11.7" → [3, 11]; null when it is not a Python version line. */
export function parsePythonVersion(text: string): [number, number] | null {
  const m = /Python\s+(\d+)\.(\d+)/.exec(text)
  return m ? [Number(m[1]), Number(m[2])] : null
}

/**
 * The zipapp when a python3 ≥ 3.10 can run it (small, and the same file on every
 * architecture); otherwise the standalone build for this machine.
 */
export function chooseAsset(o: { override: string | null; python: [number, number] | null; arch: string }): string {
  if (o.override) return o.override
  if (o.python && (o.python[0] > 3 || (o.python[0] === 3 && o.python[1] >= 10))) return 'yt-dlp'
  return o.arch === 'arm64' ? 'yt-dlp_linux_aarch64' : 'yt-dlp_linux'
}

/** `SHA2-256SUMS`: "<64 hex>  <name>" per line (sha256sum's format, "*" for binary mode). */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S.*?)\s*$/.exec(line)
    if (m) sums.set(m[2], m[1].toLowerCase())
  }
  return sums
}

/** Whole days since the release date in a yt-dlp version, or null when it is not one. */
export function ytdlpAgeDays(version: string | null, now = new Date()): number | null {
  const released = version ? ytdlpReleaseDate(version) : null
  return released ? Math.floor((now.getTime() - released.getTime()) / 86_400_000) : null
}

export function isStale(version: string | null, now = new Date()): boolean {
  const age = ytdlpAgeDays(version, now)
  return age !== null && age > YTDLP_STALE_DAYS
}

/** Compares release dates; nightlies ("2025.11.12.232843") count as their day. */
export function versionAtLeast(version: string | null, min: string): boolean {
  const v = version ? ytdlpReleaseDate(version) : null
  const m = ytdlpReleaseDate(min)
  return v !== null && m !== null && v.getTime() >= m.getTime()
}

/** The installed file's name in DATA_DIR/bin: one per asset and version, never overwritten. */
export function versionedName(asset: string, version: string): string {
  return `${asset}-${version.replace(/[^A-Za-z0-9._-]/g, '_')}`
}

export type JsRuntime = 'auto' | 'self' | 'deno' | 'node' | 'none'

export interface RuntimeWiring {
  args: string[]
  env: Record<string, string>
}

/**
 * Extra yt-dlp arguments and environment for YouTube's JS challenges. yt-serve's own
 * executable is a Bun: compiled, it acts as the bun CLI only with BUN_BE_BUN=1, which is
 * set for this yt-dlp alone. An older yt-dlp gets nothing: it would refuse the flags.
 */
export function jsRuntimeWiring(o: {
  version: string | null
  jsRuntime: JsRuntime
  remoteComponents: string | null
  execPath: string
  compiled: boolean
}): RuntimeWiring {
  if (!versionAtLeast(o.version, JS_RUNTIMES_SINCE)) return { args: [], env: {} }
  const args: string[] = []
  const env: Record<string, string> = {}
  if (o.jsRuntime === 'auto' || o.jsRuntime === 'self') {
    args.push('--js-runtimes', `bun:${o.execPath}`)
    if (o.compiled) env.BUN_BE_BUN = '1'
  } else if (o.jsRuntime !== 'none') args.push('--js-runtimes', o.jsRuntime)
  if (o.remoteComponents) args.push('--remote-components', o.remoteComponents)
  return { args, env }
}
