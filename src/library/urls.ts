import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { Invalid } from '../errors'
import { isPrivateAddress } from './addresses'

export { isPrivateAddress }

export const MAX_URL_LENGTH = 2048

/** Syntax rules for a playlist URL; no network. Returns the normalised URL. */
export function checkUrlSyntax(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new Invalid('url is required')
  const url = raw.trim()
  if (url.length > MAX_URL_LENGTH) throw new Invalid(`url is longer than ${MAX_URL_LENGTH} characters`)
  if (url.startsWith('-')) throw new Invalid('url must not start with "-"')
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(url)) throw new Invalid('url must not contain spaces or control characters')
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Invalid('url is not a valid URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Invalid('only http and https URLs are accepted')
  if (!parsed.hostname) throw new Invalid('url has no host')
  if (parsed.username || parsed.password) throw new Invalid('url must not contain credentials')
  return url
}

export type Resolver = (host: string) => Promise<string[]>

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address)

/**
 * What the SSRF guard lets through. `resolve` and `isPrivate` default to the system's DNS
 * and the real classification; tests replace them to call one loopback alias "public".
 */
export interface UrlGuard {
  allowPrivate: boolean
  resolve?: Resolver
  isPrivate?: (ip: string) => boolean
}

const asGuard = (g: boolean | UrlGuard): Required<UrlGuard> => {
  const guard = typeof g === 'boolean' ? { allowPrivate: g } : g
  return { allowPrivate: guard.allowPrivate, resolve: guard.resolve ?? systemResolver, isPrivate: guard.isPrivate ?? isPrivateAddress }
}

/** A URL's host without IPv6 brackets, as the resolver and isIP want it. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '')

/** The addresses a host stands for: itself when it is an IP literal; throws when it does not resolve. */
const addressesOf = (host: string, resolve: Resolver): Promise<string[]> => (isIP(host) ? Promise.resolve([host]) : resolve(host))

/** SSRF guard: refuses hosts that resolve to this machine or its private networks. */
export async function checkUrlTarget(url: string, guard: boolean | UrlGuard): Promise<void> {
  const g = asGuard(guard)
  if (g.allowPrivate) return
  const host = hostOf(new URL(url))
  let addresses: string[]
  try {
    addresses = await addressesOf(host, g.resolve)
  } catch {
    throw new Invalid(`cannot resolve host "${host}"`)
  }
  if (addresses.some(g.isPrivate)) throw new Invalid(`"${host}" resolves to a private or local address; set ALLOW_PRIVATE_URLS=true to allow it`)
}

/**
 * What yt-dlp fetches for an entry that is not an absolute URL: it prefixes "//host/…"
 * with "http:" (sanitize_url) and, in the generic extractor, "host.tld/…" with "http://".
 * Null for anything else, which only an extractor's bare id can be.
 */
export function ytdlpFixup(raw: string): string | null {
  if (raw.startsWith('//')) return `http:${raw}`
  if (/^[^\s/]+\.[^\s/]+\//.test(raw)) return `http://${raw}`
  return null
}

const parseUrl = (raw: string): URL | null => {
  try {
    return new URL(raw)
  } catch {
    return null
  }
}

/**
 * SSRF guard for the entries a playlist lists: a public feed can name any URL, and yt-dlp
 * would fetch it and we would serve the answer as a file. Returns why an entry must not be
 * fetched, or null. A generic entry must be an absolute http(s) URL; any other entry that
 * is not a URL is checked as the URL yt-dlp would make of it, and a bare id is left to
 * yt-dlp. A host that does not resolve is too, since yt-dlp then fails it with its own
 * message. `hosts` caches lookups across one batch of entries.
 */
export async function entryTargetError(
  raw: string,
  guard: boolean | UrlGuard,
  hosts: Map<string, Promise<string[] | null>>,
  generic = false,
): Promise<string | null> {
  const g = asGuard(guard)
  if (g.allowPrivate) return null
  let url = parseUrl(raw)
  if (!url) {
    const notAbsolute = `the entry's URL "${raw.slice(0, 200)}" is not an absolute http or https URL`
    if (generic) return notAbsolute
    const fixed = ytdlpFixup(raw)
    if (!fixed) return null
    url = parseUrl(fixed)
    if (!url) return notAbsolute
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the entry's URL uses ${url.protocol.slice(0, -1)}:, only http and https are fetched`
  const host = hostOf(url)
  if (!host) return null
  let pending = hosts.get(host)
  if (!pending) {
    pending = addressesOf(host, g.resolve).catch(() => null)
    hosts.set(host, pending)
  }
  const addresses = await pending
  if (addresses?.some(g.isPrivate)) return `the entry's URL points to a private or local address ("${host}"); set ALLOW_PRIVATE_URLS=true to allow it`
  return null
}

/**
 * The form every spelling of one URL shares, for finding duplicates: the URL parser
 * lower-cases the scheme and host and drops a default port; a trailing dot on the host
 * and trailing slashes on the path go too. The URL as given is what is stored and shown.
 */
export function urlKey(raw: string): string {
  const url = parseUrl(raw.trim())
  if (!url) return raw.trim()
  const host = url.host.replace(/\.(?=:|$)/, '')
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') || '/' : url.pathname
  return `${url.protocol}//${host}${path}${url.search}${url.hash}`
}
