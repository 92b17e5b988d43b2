/** @jsxImportSource @kitajs/html */
import type { CookiesSummary } from '../../src/library/cookies'
import { formatUtc } from '../format'

export const COOKIES_SECTION_ID = 'cookies-section'

/**
 * The uploaded cookies file as counts only ("set on DATE · N cookies for M domains"),
 * an upload form and Remove. Never a cookie, a value or a path.
 */
export function CookiesSection({ summary, saved }: { summary: CookiesSummary; saved?: string }) {
  const id = COOKIES_SECTION_ID
  const onError = { 'hx-status:4xx': `target:#${id}-message swap:innerHTML`, 'hx-status:5xx': `target:#${id}-message swap:innerHTML` }
  const up = summary.uploaded
  return (
    <section id={id} class="cookies-settings" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>Cookies for yt-dlp</h1>
      <p>
        YouTube sometimes asks to sign in to confirm you're not a bot, and members-only or age-restricted videos need a signed-in account. Export the cookies of
        youtube.com from a browser where you are signed in, in Netscape format (a <code>cookies.txt</code> file), and upload it here. It is stored owner-only
        (0600) in the data dir and is never served back.
      </p>
      {summary.source === 'env' ? (
        <p class="notice" role="status">
          COOKIES_FILE is set in the server's settings: yt-dlp uses that file, and an uploaded file is kept but not used while it is set.
        </p>
      ) : (
        ''
      )}
      <p class="cookies-state">
        {up ? (
          <span
            safe
          >{`set on ${formatUtc(up.set_at)} · ${up.cookies} cookie${up.cookies === 1 ? '' : 's'} for ${up.domains} domain${up.domains === 1 ? '' : 's'}`}</span>
        ) : (
          <span class="muted">no cookies file uploaded</span>
        )}
      </p>
      <form
        class="settings"
        method="post"
        action="/settings/cookies"
        enctype="multipart/form-data"
        hx-post="/settings/cookies"
        hx-encoding="multipart/form-data"
        hx-target={`#${id}`}
        hx-swap="outerHTML"
        {...onError}
      >
        <div class="settings-fields">
          <label>
            <span>{up ? 'replace with' : 'cookies file'}</span>
            <input type="file" name="file" accept=".txt,text/plain" required />
          </label>
          <button type="submit" class="btn">
            Upload
          </button>
        </div>
      </form>
      {up ? (
        <form method="post" action="/settings/cookies/remove" hx-post="/settings/cookies/remove" hx-target={`#${id}`} hx-swap="outerHTML" {...onError}>
          <button type="submit" class="btn btn-danger btn-small">
            Remove
          </button>
        </form>
      ) : (
        ''
      )}
      <div class="action-message" id={`${id}-message`} aria-live="polite">
        {saved ? (
          <p class="notice" role="status" safe>
            {saved}
          </p>
        ) : (
          ''
        )}
      </div>
    </section>
  )
}
