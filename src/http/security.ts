import { createHash, timingSafeEqual } from 'node:crypto'
import { Elysia } from 'elysia'
import type { Config } from '../config'
import type { DB } from '../db/open'
import { addressBytes } from '../library/addresses'
import { API_DOCS_PATH } from './api-docs'
import { cookieValue, SESSION_COOKIE, sessionValid } from './sessions'
import type { FailureThrottle } from './throttle'

/** The listening socket as Elysia hands it over (null under app.handle). */
export type Listener = { port?: number; requestIP(request: Request): { address: string } | null } | null

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Reachable without a login: the login form itself and what it needs to render. */
const PUBLIC_PATHS = [/^\/login$/, /^\/assets\//, /^\/favicon/]

const digest = (s: string) => createHash('sha256').update(s).digest()

/** Constant-time comparison; hashing first makes the lengths equal. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b))
}

/** The first value of a comma-separated header (a proxy chain appends its own). */
const firstOf = (v: string | null) => v?.split(',')[0].trim() || null

/**
 * Where the client sent the request: scheme, host and their origin. X-Forwarded-Proto/Host
 * count only with TRUST_PROXY; anyone can send them, and only a proxy we sit behind makes them true.
 */
export function requestOrigin(request: Request, trustProxy: boolean): { scheme: 'http' | 'https'; host: string; origin: string } {
  const url = new URL(request.url)
  const host = ((trustProxy && firstOf(request.headers.get('x-forwarded-host'))) || request.headers.get('host') || url.host).toLowerCase()
  const proto = (trustProxy && firstOf(request.headers.get('x-forwarded-proto'))) || url.protocol.replace(':', '')
  const scheme = proto === 'https' ? 'https' : 'http'
  let origin = `${scheme}://${host}`
  try {
    origin = new URL(origin).origin // drops a default port the way browsers do in Origin
  } catch {}
  return { scheme, host, origin }
}

/**
 * Who is knocking, for the back-off: the socket's peer, or with TRUST_PROXY the address our proxy
 * appended to X-Forwarded-For. An IPv6 client counts as its /64: one host owns a whole /64,
 * so per-address counting would hand a guesser 2^64 fresh starts.
 */
export function clientAddress(request: Request, server: Listener, trustProxy: boolean): string {
  const forwarded = trustProxy ? request.headers.get('x-forwarded-for')?.split(',').pop()?.trim() : undefined
  const address = forwarded || server?.requestIP(request)?.address || 'unknown'
  const bytes = addressBytes(address)
  if (!bytes) return address
  if (bytes.length === 4) return bytes.join('.')
  // IPv4-mapped (how a dual-stack socket reports a v4 peer): the v4 client it is.
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.subarray(12).join('.')
  const group = (i: number) => ((bytes[i] << 8) | bytes[i + 1]).toString(16)
  return `${[0, 2, 4, 6].map(group).join(':')}::/64`
}

const originOf = (raw: string): string | null => {
  try {
    return new URL(raw).origin
  } catch {
    return null
  }
}

/**
 * Cross-site requests cannot change state (MeTube's CORS hole): browsers send
 * Sec-Fetch-Site / Origin, scripts like curl send neither and are let through.
 */
export function crossSiteReason(request: Request, config: Pick<Config, 'trustProxy' | 'publicUrl'>): string | null {
  if (!UNSAFE.has(request.method)) return null
  // Browsers set Sec-Fetch-Site themselves (pages cannot forge it) and get it right behind
  // a reverse proxy, so when it is there it decides alone.
  const site = request.headers.get('sec-fetch-site')
  if (site) return site === 'same-origin' || site === 'none' ? null : `cross-site request refused (Sec-Fetch-Site: ${site})`
  const origin = request.headers.get('origin')
  if (origin === null) return null
  // Scheme, host and port: http://x and https://x, or x:8000 and x:8001, are different sites.
  const sent = originOf(origin)
  const own = [requestOrigin(request, config.trustProxy).origin, config.publicUrl && originOf(config.publicUrl)]
  return sent !== null && own.includes(sent) ? null : `cross-origin request refused (Origin: ${origin})`
}

/** "name:port" → its parts; IPv6 keeps its brackets. */
function splitHost(host: string): { name: string; port: number | null } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.toLowerCase())
  return m ? { name: m[1], port: m[2] === undefined ? null : Number(m[2]) } : { name: host, port: -1 }
}

/**
 * DNS rebinding defence for a server without a token: a page on evil.example whose name
 * now resolves to 127.0.0.1 is "same origin" with us, so only the Host header gives it away.
 * We answer to the loopback names and HOST on our own port, PUBLIC_URL's host and
 * ALLOWED_HOSTS. A Host without a port passes for those names: browsers always send the port
 * they connected to unless it is the default one, and a rebinding page cannot choose our name.
 */
export function hostChecker(config: Config): (host: string, listenPort: number) => boolean {
  const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h.toLowerCase())
  const local = new Set(['127.0.0.1', 'localhost', '[::1]', bracket(config.host)])
  const extra = [...config.allowedHosts]
  if (config.publicUrl) extra.push(new URL(config.publicUrl).host)
  const anyPort = new Set(extra.filter((h) => splitHost(h).port === null))
  const exact = new Set(extra.filter((h) => splitHost(h).port !== null))
  return (host, listenPort) => {
    const { name, port } = splitHost(host)
    if (local.has(name) && (port === null || port === listenPort)) return true
    return anyPort.has(name) || exact.has(host.toLowerCase())
  }
}

function tokenMatches(auth: string, token: string): boolean {
  if (auth.startsWith('Bearer ')) return sameSecret(auth.slice(7).trim(), token)
  // Basic auth with the token as password (any user name): what podcast apps can send.
  if (auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon >= 0 && sameSecret(decoded.slice(colon + 1), token)
  }
  return false
}

export function refuse(status: number, message: string, api: boolean, headers: Record<string, string> = {}): Response {
  return api
    ? Response.json({ error: message }, { status, headers })
    : new Response(`<p class="error" role="alert">${Bun.escapeHTML(message)}</p>`, {
        status,
        headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
      })
}

export const tooManyAttempts = (seconds: number) => `too many wrong tokens from this address: try again in ${seconds} s`

/** A browser navigating (Accept: text/html first or anywhere), not a script asking for JSON. */
const wantsHtml = (request: Request) => /\btext\/html\b/.test(request.headers.get('accept') ?? '')

const FEED_AND_MEDIA = /^\/(media\/\d+\/|playlists\/\d+\/(podcast\.xml|playlist\.m3u8)$)/

/** A body we would read: declared by Content-Length, or (app.handle) simply present. */
const hasBody = (request: Request) => {
  const length = request.headers.get('content-length')
  return length === null ? request.body !== null : Number(length) > 0
}
const mediaType = (request: Request) => request.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? ''
/** The cookies upload takes the file itself (curl --data-binary, or a file field); every other API body is JSON. */
const COOKIES_PATH = '/api/cookies'
const acceptedBodyType = (path: string, type: string): boolean =>
  type === 'application/json' || (path === COOKIES_PATH && (type === 'text/plain' || type === 'multipart/form-data'))

/**
 * Every request passes here first: the Host check (tokenless servers), body size and framing,
 * the cross-site check, then the token (bearer, Basic or a session cookie) with a back-off
 * for wrong ones, and JSON-only bodies on the API.
 */
export function securityPlugin(config: Config, db: DB, throttle: FailureThrottle) {
  const hostAllowed = hostChecker(config)
  return new Elysia({ name: 'security' }).onRequest(async ({ request, server }) => {
    const path = new URL(request.url).pathname
    const api = path.startsWith('/api/')
    if (!config.authToken) {
      const { host } = requestOrigin(request, config.trustProxy)
      if (!hostAllowed(host, server?.port ?? config.port))
        return refuse(421, `this server does not answer to the host name "${host}"; add it to ALLOWED_HOSTS (or set AUTH_TOKEN) to use it`, api)
    }
    const length = Number(request.headers.get('content-length') ?? 0)
    if (length > config.maxBodyBytes) return refuse(413, `request body larger than ${config.maxBodyBytes} bytes`, api)
    // Without a length we could only learn the size by reading; no client of ours needs chunked uploads.
    if (request.headers.has('transfer-encoding')) return refuse(411, 'send the request body with a Content-Length (chunked bodies are not accepted)', api)
    const cross = crossSiteReason(request, config)
    if (cross) return refuse(403, cross, api)
    if (config.authToken && !PUBLIC_PATHS.some((re) => re.test(path))) {
      const denied = await authenticate(request, server, config.authToken, path, api)
      if (denied) return denied
    }
    if (api && hasBody(request) && !acceptedBodyType(path, mediaType(request)))
      return refuse(
        415,
        path === COOKIES_PATH
          ? 'send the cookies file as text/plain or as the multipart field "file"'
          : 'send the request body as JSON with Content-Type: application/json',
        true,
      )
  })

  async function authenticate(request: Request, server: Listener, token: string, path: string, api: boolean): Promise<Response | null> {
    // A cookie is a random id nobody can guess at, so it is checked without any back-off.
    if (await sessionValid(db, cookieValue(request.headers.get('cookie'), SESSION_COOKIE), token)) return null
    const auth = request.headers.get('authorization')
    if (auth) {
      const client = clientAddress(request, server, config.trustProxy)
      const wait = throttle.retryAfter(client)
      if (wait > 0) return refuse(429, tooManyAttempts(wait), api, { 'retry-after': String(wait) })
      if (tokenMatches(auth, token)) {
        throttle.succeed(client)
        return null
      }
      throttle.fail(client)
    }
    // The API reference is a page: a browser asking for it goes to the login form like for any other.
    if (api && !(path === API_DOCS_PATH && wantsHtml(request))) return refuse(401, 'authentication required: send Authorization: Bearer <AUTH_TOKEN>', true)
    // Podcast apps and players cannot follow a login form; they can answer a Basic challenge.
    if (FEED_AND_MEDIA.test(path))
      return new Response('authentication required: any user name, AUTH_TOKEN as the password', {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="yt-serve", charset="UTF-8"' },
      })
    if (request.headers.get('hx-request')) return new Response(null, { status: 401, headers: { 'hx-redirect': '/login' } })
    return new Response(null, { status: 303, headers: { location: '/login' } })
  }
}
