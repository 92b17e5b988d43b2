/** @jsxImportSource @kitajs/html */
import type { DownloadPoolState } from '../../src/jobs/scheduler'
import { formatRelative, formatUtc } from '../format'

export const DOWNLOAD_POOL_ID = 'download-pool'

/** "2026-08-01 14:03 UTC (in 5 min)" */
const when = (iso: string, nowMs?: number) => `${formatUtc(iso)} (${formatRelative(iso, nowMs)})`

/** A waiting pool that needs nobody: a status line, no button. */
function QuietNote({ kind, text, swap }: { kind: 'backoff' | 'window'; text: string; swap: string | undefined }) {
  return (
    <div id={DOWNLOAD_POOL_ID} class={`pool-banner pool-${kind}`} role="status" hx-swap-oob={swap}>
      <p class="pool-reason" safe>
        {text}
      </p>
    </div>
  )
}

/**
 * The download pool's state at the top of every page: a banner with a Resume button when
 * rate limiting (or a short disk) paused the pool, a quieter note while it backs off or
 * waits for DOWNLOAD_WINDOW, an empty slot otherwise (so a later render can fill it).
 * Polling job cards morph it in out-of-band.
 */
export function DownloadPoolBanner({ pool, oob, nowMs }: { pool: DownloadPoolState; oob?: boolean; nowMs?: number }) {
  const swap = oob ? 'outerMorph' : undefined
  if (pool.paused)
    return (
      <div id={DOWNLOAD_POOL_ID} class="pool-banner pool-paused" role="alert" hx-swap-oob={swap}>
        <p class="pool-reason" safe>
          {pool.reason ?? 'Downloads are paused.'}
        </p>
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-action="resume-downloads"
          hx-post="/downloads/resume"
          hx-target={`#${DOWNLOAD_POOL_ID}`}
          hx-swap="outerHTML"
          hx-disable="this"
        >
          Resume downloads
        </button>
      </div>
    )
  if (pool.until) return <QuietNote kind="backoff" swap={swap} text={`Rate limited by the site: downloads wait until ${when(pool.until, nowMs)}.`} />
  if (pool.window_opens_at)
    return (
      <QuietNote
        kind="window"
        swap={swap}
        text={`Outside the download window${pool.window ? ` (${pool.window}, server time)` : ''}: downloads start ${when(pool.window_opens_at, nowMs)}.`}
      />
    )
  return <div id={DOWNLOAD_POOL_ID} class="pool-idle" hx-swap-oob={swap}></div>
}
