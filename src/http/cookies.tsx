/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { BadRequest } from './errors'
import { cookiesSummary, removeCookies, saveCookies } from '../library/cookies'
import { CookiesSection } from '../../views/fragments/cookies-section'
import { CookiesPage } from '../../views/pages/cookies'
import type { Deps } from './deps'
import { siteStatus } from './site-status'

/** The file's text from a raw body (text/plain, octet-stream) or a multipart field "file". */
async function cookiesText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body
  if (body instanceof ArrayBuffer || body instanceof Uint8Array) return new TextDecoder().decode(body)
  const file = (body as { file?: unknown } | null)?.file
  if (file instanceof Blob) return file.text()
  throw new BadRequest('send the cookies file as the request body (text/plain) or as the multipart field "file"')
}

/**
 * Cookies uploaded from the UI or the API, stored as DATA_DIR/cookies.txt (0600).
 * Answers carry counts and a date only; COOKIES_FILE, when set, still wins.
 */
export function cookiesController(deps: Deps) {
  const { config } = deps.ctx
  const page = (request: Request, saved?: string) =>
    request.headers.get('hx-request') ? (
      <CookiesSection summary={cookiesSummary(config)} saved={saved} />
    ) : (
      <CookiesPage summary={cookiesSummary(config)} status={siteStatus(deps)} saved={saved} />
    )
  return new Elysia({ name: 'cookies' })
    .get('/api/cookies', () => cookiesSummary(config))
    .put('/api/cookies', async ({ body }) => saveCookies(config, await cookiesText(body)))
    .delete('/api/cookies', () => removeCookies(config))
    .get('/settings/cookies', ({ request }) => page(request))
    .post('/settings/cookies', async ({ body, request }) => {
      saveCookies(config, await cookiesText(body))
      return page(request, 'Saved')
    })
    .post('/settings/cookies/remove', ({ request }) => {
      removeCookies(config)
      return page(request, 'Removed')
    })
}
