/** @jsxImportSource @kitajs/html */
import type { YtdlpStatus } from '../../src/ytdlp/updater'
import { formatBytes, formatUtc } from '../format'

export const YTDLP_PANEL_ID = 'ytdlp'

const SOURCE_TEXT = { managed: 'managed by yt-serve', system: 'system (PATH)', YTDLP_PATH: 'YTDLP_PATH' } as const

function progressText(u: NonNullable<YtdlpStatus['updating']>): string {
  if (u.phase === 'waiting') return u.note ?? 'waiting for the running download to finish'
  if (u.phase === 'downloading') return `downloading: ${formatBytes(u.received_bytes)}${u.total_bytes ? ` of ${formatBytes(u.total_bytes)}` : ''}`
  return { checking: 'checking the release…', testing: 'testing the download…', switching: 'switching…' }[u.phase]
}

/** A yt-dlp older than 90 days: the top of the home page says so and links to the panel's button. */
export function YtdlpStaleBanner({ s }: { s: YtdlpStatus }) {
  if (!s.in_use.stale) return ''
  return (
    <div class="pool-banner ytdlp-stale" role="alert">
      <p safe>{`The yt-dlp in use (${s.in_use.version}) was released ${s.in_use.age_days} days ago: YouTube and other sites break old versions.`}</p>
      <a class="btn btn-primary btn-small" href={`#${YTDLP_PANEL_ID}`}>
        Update yt-dlp
      </a>
    </div>
  )
}

/**
 * Which yt-dlp runs, how old it is, where updates come from, and "Update now". While an
 * update runs the panel polls itself for its progress; the last swap ends the polling.
 */
export function YtdlpPanel({ s }: { s: YtdlpStatus }) {
  const u = s.in_use
  const poll = s.updating ? { 'hx-get': '/ytdlp', 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML', 'hx-status:5xx': 'swap:none' } : {}
  return (
    <section id={YTDLP_PANEL_ID} class="ytdlp-panel" aria-labelledby="ytdlp-heading" {...poll}>
      <h2 id="ytdlp-heading">yt-dlp</h2>
      <dl class="ytdlp-facts">
        <dt>Version</dt>
        <dd safe>{`${u.version ?? 'unknown'}${u.age_days !== null ? ` (${u.age_days} days old)` : ''}`}</dd>
        <dt>Source</dt>
        <dd safe>{`${SOURCE_TEXT[u.source]}: ${u.why}`}</dd>
        <dt>Channel</dt>
        <dd safe>{`${s.channel} (${s.asset}), auto-update ${s.auto_update}`}</dd>
        <dt>Last check</dt>
        <dd>{s.managed.checked_at ? formatUtc(s.managed.checked_at) : 'never'}</dd>
        {s.managed.error ? (
          <>
            <dt>Last error</dt>
            <dd class="ytdlp-error" safe>
              {s.managed.error}
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      {s.updating ? (
        <p class="ytdlp-progress" role="status" safe>
          {progressText(s.updating)}
        </p>
      ) : (
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-action="update-ytdlp"
          hx-post="/ytdlp/update"
          hx-target={`#${YTDLP_PANEL_ID}`}
          hx-swap="outerHTML"
          hx-disable="this"
        >
          Update now
        </button>
      )}
    </section>
  )
}
