import { describe, expect, test } from 'bun:test'
import { humanYtdlpError } from '../../src/tools/ytdlp-errors'
import { isStale } from '../../src/tools/ytdlp-release'
import { cleanYtdlpError, redactCredentials } from '../../src/tools/ytdlp'

const NOW = new Date('2026-12-02T00:00:00Z')
const OLD = '2023.03.04'
const FRESH = '2026.11.20'
const REPORT =
  '; please report this issue on  https://github.com/yt-dlp/yt-dlp/issues?q= , filling out the appropriate issue template. Confirm you are on the latest version using  yt-dlp -U'

/**
 * Error lines as yt-dlp prints them: its own ExtractorError texts (youtube extractor,
 * common.py, YoutubeDL.py), YouTube's playability reasons it passes through, and the
 * urllib / urllib3 network errors of the 2023 and the current networking code.
 */
const CASES: [string, string, { version?: string; url?: string }?][] = [
  [
    "ERROR: [youtube] dQw4w9WgXcQ: Unable to download API page: HTTPSConnectionPool(host='www.youtube.com', port=443): Max retries exceeded with url: /youtubei/v1/player?prettyPrint=false (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f3c2a1b5d50>: Failed to resolve 'www.youtube.com' ([Errno -3] Temporary failure in name resolution)\")) (caused by TransportError(\"Failed to resolve 'www.youtube.com' ([Errno -3] Temporary failure in name resolution)\"))",
    'cannot resolve www.youtube.com: is this machine online?',
  ],
  [
    "ERROR: [youtube] dQw4w9WgXcQ: Unable to download webpage: <urlopen error [Errno -3] Temporary failure in name resolution> (caused by URLError(gaierror(-3, 'Temporary failure in name resolution')))",
    'cannot resolve www.youtube.com: is this machine online?',
    { url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' },
  ],
  [
    "ERROR: [generic] Unable to download webpage: <urlopen error [Errno -2] Name or service not known> (caused by URLError(gaierror(-2, 'Name or service not known')))",
    'cannot resolve feeds.example.org: is this machine online?',
    { url: 'https://feeds.example.org/podcast.xml' },
  ],
  [
    "ERROR: [youtube] T6BZ5BYdp_I: Sign in to confirm you're not a bot. Use --cookies-from-browser or --cookies for the authentication. See  https://github.com/yt-dlp/yt-dlp/wiki/FAQ#how-do-i-pass-cookies-to-yt-dlp  for how to manually pass cookies. Also see  https://github.com/yt-dlp/yt-dlp/wiki/Extractors#exporting-youtube-cookies  for tips on effectively exporting YouTube cookies",
    "YouTube asks to sign in to confirm you're not a bot: set a cookies file",
  ],
  [
    'ERROR: [youtube] T6BZ5BYdp_I: Sign in to confirm you\u2019re not a bot. This helps protect our community. Learn more',
    "YouTube asks to sign in to confirm you're not a bot: set a cookies file",
  ],
  [
    "ERROR: [youtube] abc123def45: Private video. Sign in if you've been granted access to this video. Use --cookies-from-browser or --cookies for the authentication.",
    'private video: only people the uploader chose can watch it',
  ],
  [
    'ERROR: [youtube] abc123def45: Join this channel to get access to members-only content like this video, and other exclusive perks.',
    "members-only: this video is for the channel's paying members (needs their cookies)",
  ],
  [
    'ERROR: [youtube] EahYs-8tTjQ: Sign in to confirm your age. This video may be inappropriate for some users. Use --cookies-from-browser or --cookies for the authentication.',
    'age-restricted: needs cookies of a signed-in adult account',
  ],
  ['ERROR: [youtube] abc123def45: Video unavailable. This video has been removed by the uploader', 'video unavailable: removed, blocked or never public'],
  ['ERROR: [youtube] abc123def45: Video unavailable', 'video unavailable: removed, blocked or never public'],
  ['ERROR: unable to download video data: HTTP Error 429: Too Many Requests', 'HTTP 429: rate-limited by the site; try again later'],
  ['ERROR: [youtube] abc123def45: The uploader has not made this video available in your country', 'not available in this country (geo-restricted)'],
  [`ERROR: [youtube] dQw4w9WgXcQ: Unable to extract uploader id${REPORT}`, `this yt-dlp is too old for this site (${OLD}): update it`, { version: OLD }],
  [`ERROR: [youtube:tab] @name: Unable to extract yt initial data${REPORT}`, `this yt-dlp is too old for this site (${OLD}): update it`, { version: OLD }],
  [
    'ERROR: [youtube] dQw4w9WgXcQ: Failed to extract any player response; please report this issue on  https://github.com/yt-dlp/yt-dlp/issues?q= ',
    `this yt-dlp is too old for this site (${OLD}): update it`,
    { version: OLD },
  ],
  [
    'ERROR: [youtube] dQw4w9WgXcQ: Requested format is not available. Use --list-formats for a list of available formats',
    `this yt-dlp is too old for this site (${OLD}): update it`,
    { version: OLD },
  ],
  [
    'WARNING: [youtube] dQw4w9WgXcQ: nsig extraction failed: You may experience throttling for some formats',
    `this yt-dlp is too old for this site (${OLD}): update it`,
    { version: OLD },
  ],
  // A current yt-dlp that cannot read a page: the site changed, and updating is still the way.
  [
    `ERROR: [youtube] dQw4w9WgXcQ: Unable to extract uploader id${REPORT}`,
    "yt-dlp could not read this site's page (Unable to extract uploader id): the site may have changed; a newer yt-dlp may fix it",
    { version: FRESH },
  ],
  // With a current yt-dlp, a missing format is the playlist's format choice, not the site.
  [
    'ERROR: [generic] x: Requested format is not available. Use --list-formats for a list of available formats',
    'Requested format is not available. Use --list-formats for a list of available formats',
    { version: FRESH },
  ],
  ['ERROR: unable to download video data: HTTP Error 404: Not Found', 'not found on the site (HTTP 404): the page or file is gone'],
  ['ERROR: unable to download video data: HTTP Error 403: Forbidden', 'the site refused access (HTTP 403 Forbidden)'],
  [
    'ERROR: [generic] five: Unable to download webpage: HTTP Error 500: Internal Server Error (caused by <HTTPError 500: Internal Server Error>)',
    'the site failed (HTTP 500): try again later',
  ],
  // Not recognised: yt-dlp's own words, without its boilerplate.
  ['ERROR: [generic] Unsupported URL: http://127.0.0.1:9/page', 'Unsupported URL: http://127.0.0.1:9/page'],
]

describe('humanYtdlpError', () => {
  for (const [raw, human, ctx] of CASES)
    test(human, () => {
      expect(humanYtdlpError(raw, { ytdlpVersion: ctx?.version ?? null, url: ctx?.url, now: NOW })).toBe(human)
    })
  test('an unknown version is never called too old', () => {
    expect(humanYtdlpError('ERROR: [youtube] x: Unable to extract yt initial data', { ytdlpVersion: null, now: NOW })).toContain('the site may have changed')
    expect(isStale(OLD, NOW)).toBe(true)
    expect(isStale(FRESH, NOW)).toBe(false)
    expect(isStale('weird', NOW)).toBe(false)
  })
})

describe('credentials never leave in error text', () => {
  test('userinfo in any URL is masked', () => {
    expect(redactCredentials('ERROR: Unable to connect to proxy http://bob:s3cret@10.0.0.1:3128 (caused by x)')).toBe(
      'ERROR: Unable to connect to proxy http://***@10.0.0.1:3128 (caused by x)',
    )
    expect(redactCredentials('socks5://u:p@h:1080 and socks5h://only@h')).toBe('socks5://***@h:1080 and socks5h://***@h')
    expect(cleanYtdlpError('ERROR: [generic] Unable to download webpage: Tunnel via http://bob:s3cret@proxy:3128 failed')).not.toContain('s3cret')
  })
})
