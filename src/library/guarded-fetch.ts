import { Invalid } from '../errors'
import { checkUrlSyntax, checkUrlTarget, type UrlGuard } from './urls'

export const MAX_REDIRECTS = 3

/**
 * GET for URLs that come from outside (a feed's cover art, say). fetch would follow a
 * redirect from a public host to 127.0.0.1 or the cloud metadata address unchecked, so
 * redirects are followed here: every Location, relative ones resolved, passes the same
 * syntax rules and SSRF guard as the first URL, for at most MAX_REDIRECTS hops
 * (`maxRedirects` for a caller that expects fewer).
 * Throws Invalid when a hop is refused.
 */
export async function guardedFetch(
  url: string,
  guard: UrlGuard,
  init: { signal?: AbortSignal; headers?: Record<string, string>; maxRedirects?: number } = {},
): Promise<Response> {
  const { maxRedirects = MAX_REDIRECTS, ...request } = init
  let current = checkUrlSyntax(url)
  for (let hop = 0; ; hop++) {
    await checkUrlTarget(current, guard)
    const res = await fetch(current, { ...request, redirect: 'manual' })
    const location = res.headers.get('location')
    if (res.status < 300 || res.status > 399 || location === null) return res
    await res.body?.cancel()
    if (hop >= maxRedirects) throw new Invalid(maxRedirects === 0 ? `${url} answered with a redirect` : `more than ${maxRedirects} redirects from ${url}`)
    current = checkUrlSyntax(new URL(location, current).href)
  }
}
