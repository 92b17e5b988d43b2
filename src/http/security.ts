import { createHash, timingSafeEqual } from 'node:crypto'
import { Elysia } from 'elysia'
import type { Config } from '../config'

export const SESSION_COOKIE = 'yt_serve_session'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Reachable without a login: the login form itself and what it needs to render. */
const PUBLIC_PATHS = [/^\/login$/, /^\/assets\//, /^\/favicon/]

const digest = (s: string) => createHash('sha256').update(s).digest()

/** Constant-time comparison; hashing first makes the lengths equal. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b))
}

/** The cookie holds a value derived from the token, never the token itself. */
export const sessionValue = (token: string) => createHash('sha256').update(`yt-serve-session:${token}`).digest('hex')

function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return null
}

/**
 * Cross-site requests cannot change state (MeTube's CORS hole): browsers send
 * Sec-Fetch-Site / Origin, scripts like curl send neither and are let through.
 */
/** The host the client addressed, through a reverse proxy too. */
export const requestHost = (request: Request): string => request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? new URL(request.url).host

export function crossSiteReason(request: Request): string | null {
  if (!UNSAFE.has(request.method)) return null
  // Browsers set Sec-Fetch-Site themselves (pages cannot forge it) and get it right behind
  // a reverse proxy, so when it is there it decides alone.
  const site = request.headers.get('sec-fetch-site')
  if (site) return site === 'same-origin' || site === 'none' ? null : `cross-site request refused (Sec-Fetch-Site: ${site})`
  const origin = request.headers.get('origin')
  if (origin) {
    const host = requestHost(request)
    let originHost = ''
    try {
      originHost = new URL(origin).host
    } catch {}
    if (originHost !== host) return `cross-origin request refused (Origin: ${origin})`
  }
  return null
}

export function isAuthorized(request: Request, token: string): boolean {
  const auth = request.headers.get('authorization')
  if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), token)) return true
  // Basic auth with the token as password (any user name): what podcast apps can send.
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon >= 0 && sameSecret(decoded.slice(colon + 1), token)) return true
  }
  const session = cookieValue(request.headers.get('cookie'), SESSION_COOKIE)
  return session !== null && sameSecret(session, sessionValue(token))
}

function refuse(status: number, message: string, api: boolean): Response {
  return api
    ? Response.json({ error: message }, { status })
    : new Response(`<p class="error" role="alert">${Bun.escapeHTML(message)}</p>`, { status, headers: { 'content-type': 'text/html; charset=utf-8' } })
}

const FEED_AND_MEDIA = /^\/(media\/\d+\/|playlists\/\d+\/(podcast\.xml|playlist\.m3u8)$)/

/** Origin checks always; bearer-token or cookie auth when AUTH_TOKEN is set; bodies capped. */
export function securityPlugin(config: Config) {
  return new Elysia({ name: 'security' }).onRequest(({ request }) => {
    const path = new URL(request.url).pathname
    const api = path.startsWith('/api/')
    const length = Number(request.headers.get('content-length') ?? 0)
    if (length > config.maxBodyBytes) return refuse(413, `request body larger than ${config.maxBodyBytes} bytes`, api)
    const cross = crossSiteReason(request)
    if (cross) return refuse(403, cross, api)
    if (!config.authToken || PUBLIC_PATHS.some((re) => re.test(path)) || isAuthorized(request, config.authToken)) return
    if (api) return refuse(401, 'authentication required: send Authorization: Bearer <AUTH_TOKEN>', true)
    // Podcast apps and players cannot follow a login form; they can answer a Basic challenge.
    if (FEED_AND_MEDIA.test(path))
      return new Response('authentication required: any user name, AUTH_TOKEN as the password', { status: 401, headers: { 'www-authenticate': 'Basic realm="yt-serve", charset="UTF-8"' } })
    if (request.headers.get('hx-request')) return new Response(null, { status: 401, headers: { 'hx-redirect': '/login' } })
    return new Response(null, { status: 303, headers: { location: '/login' } })
  })
}
