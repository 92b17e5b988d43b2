import type { MediaServerConfig } from '../config'
import type { AppContext } from '../context'
import { addEvent } from '../db/events'

export interface RefreshRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
}

/**
 * The one request that makes each server rescan its libraries. Jellyfin: POST /Library/Refresh
 * with its documented `Authorization: MediaBrowser Token="…"` header (Jellyfin 12 no longer
 * reads the old X-Emby-Token). Plex: GET /library/sections/all/refresh with X-Plex-Token, as a
 * header rather than in the query, so the token stays out of the server's access logs.
 */
export function refreshRequest(server: MediaServerConfig): RefreshRequest {
  const headers = { 'user-agent': 'yt-serve' }
  if (server.kind === 'jellyfin')
    return { method: 'POST', url: `${server.url}/Library/Refresh`, headers: { ...headers, authorization: `MediaBrowser Token="${server.token}"` } }
  return { method: 'GET', url: `${server.url}/library/sections/all/refresh`, headers: { ...headers, 'x-plex-token': server.token, accept: 'application/json' } }
}

const KIND_NAME = { jellyfin: 'Jellyfin', plex: 'Plex' } as const

/**
 * Asks the media server to rescan, after a job that changed the library. A failure (refused,
 * timed out, an error status) is a line in the job log and the server log, never the job's
 * problem. Like NOTIFY_URL this is the operator's own address, often on the LAN, so private
 * addresses are meant; no redirect is followed (it could carry the token elsewhere), and no
 * message names the token.
 */
export async function refreshMediaServer(ctx: AppContext, jobId: number): Promise<void> {
  const server = ctx.config.mediaServer
  if (!server) return
  const req = refreshRequest(server)
  const name = KIND_NAME[server.kind]
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, signal: AbortSignal.timeout(10_000), redirect: 'manual' })
    await res.body?.cancel()
    if (res.status >= 300) throw new Error(res.status < 400 ? `HTTP ${res.status} (a redirect, not followed)` : `HTTP ${res.status}`)
    await addEvent(ctx.db, jobId, 'info', `${name} asked to rescan its libraries`)
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    const message = `${name} library refresh at ${server.url} failed: ${why.replaceAll(server.token, '…')}`
    ctx.log(`job ${jobId}: ${message}`)
    await addEvent(ctx.db, jobId, 'warn', message).catch(() => {})
  }
}
