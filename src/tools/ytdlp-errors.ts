import { cleanYtdlpError } from './ytdlp'
import { isStale } from './ytdlp-release'

export interface ErrorContext {
  /** `yt-dlp --version` of the binary that failed; null when unknown. */
  ytdlpVersion?: string | null
  /** The URL yt-dlp was given: old yt-dlp names no host in its DNS errors. */
  url?: string
  now?: Date
}

/**
 * Signs that yt-dlp's extractor no longer understands the site: the site changed, and
 * only a newer yt-dlp follows it. "Requested format is not available" belongs here
 * because on YouTube an outdated yt-dlp (or one without a JS runtime) sees only images.
 */
const BROKEN_EXTRACTOR = [
  /Unable to extract\b/i,
  /Failed to extract any player response/i,
  /nsig extraction failed/i,
  /Signature extraction failed/i,
  /n challenge solving failed/i,
  /Requested format is not available/i,
  /Unable to recognize tab page/i,
]

export function needsVersion(raw: string): boolean {
  return BROKEN_EXTRACTOR.some((re) => re.test(raw))
}

/** "Failed to resolve 'www.youtube.com'", "<urlopen error [Errno -3] …>" with the URL elsewhere in the line. */
function unresolvedHost(raw: string, url: string | undefined): string | null {
  const named = /Failed to resolve '([^']+)'/i.exec(raw) ?? /host='([^']+)'/i.exec(raw)
  if (named) return named[1]
  try {
    return url ? new URL(url).hostname : null
  } catch {
    return null
  }
}

const DNS_FAILURE =
  /Temporary failure in name resolution|Name or service not known|No address associated with hostname|nodename nor servname|getaddrinfo failed|Failed to resolve '/i

/**
 * yt-dlp's raw error text → one sentence a user can act on; text it does not recognise
 * comes back as yt-dlp's own message, cleaned of its bug-report boilerplate. The raw
 * line is the caller's to keep (the job log shows it).
 */
export function humanYtdlpError(raw: string, ctx: ErrorContext = {}): string {
  const text = raw.replace(/\u2019/g, "'")
  if (DNS_FAILURE.test(text)) {
    const host = unresolvedHost(text, ctx.url)
    return `cannot resolve ${host ?? 'the site'}: is this machine online?`
  }
  if (/confirm you're not a bot/i.test(text)) return "YouTube asks to sign in to confirm you're not a bot: set a cookies file"
  if (/Join this channel to get access to members-only|members-only content|available to this channel's members/i.test(text))
    return "members-only: this video is for the channel's paying members (needs their cookies)"
  if (/\bPrivate video\b|This video is private/i.test(text)) return 'private video: only people the uploader chose can watch it'
  if (/Sign in to confirm your age|age-restricted|inappropriate for some users/i.test(text)) return 'age-restricted: needs cookies of a signed-in adult account'
  if (/HTTP Error 429|Too Many Requests/i.test(text)) return 'HTTP 429: rate-limited by the site; try again later'
  if (needsVersion(text) && isStale(ctx.ytdlpVersion ?? null, ctx.now)) return `this yt-dlp is too old for this site (${ctx.ytdlpVersion}): update it`
  if (needsVersion(text) && !/Requested format/i.test(text))
    return `yt-dlp could not read this site's page (${cleanYtdlpError(text)}): the site may have changed; a newer yt-dlp may fix it`
  if (/available in your country|geo.?restrict|from your location/i.test(text)) return 'not available in this country (geo-restricted)'
  if (/\bVideo unavailable\b|This video is (?:no longer |not )?available|has been removed/i.test(text))
    return 'video unavailable: removed, blocked or never public'
  if (/HTTP Error 404/i.test(text)) return 'not found on the site (HTTP 404): the page or file is gone'
  if (/HTTP Error 403/i.test(text)) return 'the site refused access (HTTP 403 Forbidden)'
  const server = /HTTP Error (5\d\d)/i.exec(text)
  if (server) return `the site failed (HTTP ${server[1]}): try again later`
  return cleanYtdlpError(text)
}
