import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { Unprocessable } from '../errors'

export const MAX_URL_LENGTH = 2048

/** Syntax rules for a playlist URL; no network. Returns the normalised URL. */
export function checkUrlSyntax(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new Unprocessable('url is required')
  const url = raw.trim()
  if (url.length > MAX_URL_LENGTH) throw new Unprocessable(`url is longer than ${MAX_URL_LENGTH} characters`)
  if (url.startsWith('-')) throw new Unprocessable('url must not start with "-"')
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(url)) throw new Unprocessable('url must not contain spaces or control characters')
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Unprocessable('url is not a valid URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Unprocessable('only http and https URLs are accepted')
  if (!parsed.hostname) throw new Unprocessable('url has no host')
  if (parsed.username || parsed.password) throw new Unprocessable('url must not contain credentials')
  return url
}

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((a, b) => a * 256 + Number(b), 0)
}

const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
]

/** Loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved. */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const n = v4ToInt(ip)
    return V4_BLOCKED.some(([net, bits]) => (n >>> (32 - bits)) === (v4ToInt(net) >>> (32 - bits)))
  }
  const v6 = ip.toLowerCase().replace(/^\[|\]$/g, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6)
  if (mapped) return isPrivateAddress(mapped[1])
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6)
}

export type Resolver = (host: string) => Promise<string[]>

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address)

/** A URL's host without IPv6 brackets, as the resolver and isIP want it. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '')

/** The addresses a host stands for: itself when it is an IP literal; throws when it does not resolve. */
const addressesOf = (host: string, resolve: Resolver): Promise<string[]> => (isIP(host) ? Promise.resolve([host]) : resolve(host))

/** SSRF guard: refuses hosts that resolve to this machine or its private networks. */
export async function checkUrlTarget(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return
  const host = hostOf(new URL(url))
  let addresses: string[]
  try {
    addresses = await addressesOf(host, systemResolver)
  } catch {
    throw new Unprocessable(`cannot resolve host "${host}"`)
  }
  if (addresses.some(isPrivateAddress))
    throw new Unprocessable(`"${host}" resolves to a private or local address; set ALLOW_PRIVATE_URLS=true to allow it`)
}

/**
 * SSRF guard for the entries a playlist lists: a public feed can name any URL, and yt-dlp
 * would fetch it and we would serve the answer as a file. Returns why an entry must not be
 * fetched, or null. Entries that are not URLs (an extractor's bare id) are left to yt-dlp;
 * a host that does not resolve is too, since yt-dlp then fails it with its own message.
 * `hosts` caches lookups across one batch of entries.
 */
export async function entryTargetError(
  raw: string,
  allowPrivate: boolean,
  hosts: Map<string, Promise<string[] | null>>,
  resolve: Resolver = systemResolver,
): Promise<string | null> {
  if (allowPrivate) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the entry's URL uses ${url.protocol.slice(0, -1)}:, only http and https are fetched`
  const host = hostOf(url)
  if (!host) return null
  let pending = hosts.get(host)
  if (!pending) {
    pending = addressesOf(host, resolve).catch(() => null)
    hosts.set(host, pending)
  }
  const addresses = await pending
  if (addresses?.some(isPrivateAddress)) return `the entry's URL points to a private or local address ("${host}"); set ALLOW_PRIVATE_URLS=true to allow it`
  return null
}
