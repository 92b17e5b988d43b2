import type { Config } from '../config'
import type { Check } from './doctor'

/**
 * Asks the server on this machine's port for /api/health, with AUTH_TOKEN when set. It is
 * the container's HEALTHCHECK (the image has no curl), and only ever talks to loopback.
 */
export async function serverCheck(config: Config, timeoutMs = 4000): Promise<Check> {
  const name = 'server'
  const url = `http://127.0.0.1:${config.port}/api/health`
  const headers: Record<string, string> = { accept: 'application/json' }
  if (config.authToken) headers.authorization = `Bearer ${config.authToken}`
  try {
    const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
    const body = (await res.json().catch(() => ({}))) as { status?: string; error?: string; version?: string }
    if (res.ok) return { ok: true, name, detail: `${url} answers ${res.status} (yt-serve ${body.version ?? '?'})` }
    if (res.status === 401) return { ok: false, name, detail: `${url} answers 401`, fix: 'give this command the same AUTH_TOKEN as the server' }
    return { ok: false, name, detail: `${url} answers ${res.status}: ${body.error ?? 'no reason given'}`, fix: 'see the server log' }
  } catch (err) {
    return {
      ok: false,
      name,
      detail: `no answer from ${url}: ${err instanceof Error ? err.message : err}`,
      fix: 'start it with "yt-serve serve", or give this command the server\'s PORT',
    }
  }
}
