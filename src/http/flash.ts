import { cookieValue } from './sessions'

/**
 * A notice for the next page only ("Deleted …"), carried in a short-lived cookie rather
 * than the URL, so no link from elsewhere can make the library say something.
 */
const FLASH_COOKIE = 'yt_serve_notice'
const MAX_AGE_SECONDS = 60

const cookie = (value: string, maxAge: number, https: boolean) =>
  `${FLASH_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${https ? '; Secure' : ''}`

/** Set-Cookie for a notice the next page shows once. */
export const flashCookie = (notice: string, https: boolean) => cookie(encodeURIComponent(notice.slice(0, 1000)), MAX_AGE_SECONDS, https)

/** The notice the request carries, if any, and the Set-Cookie that clears it. */
export function takeFlash(request: Request, https: boolean): { notice: string; clear: string } | null {
  const raw = cookieValue(request.headers.get('cookie'), FLASH_COOKIE)
  if (!raw) return null
  let notice: string
  try {
    notice = decodeURIComponent(raw)
  } catch {
    notice = ''
  }
  return { notice, clear: cookie('', 0, https) }
}
