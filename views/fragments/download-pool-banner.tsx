/** @jsxImportSource @kitajs/html */
import type { DownloadPoolState } from '../../src/jobs/scheduler'
import { formatRelative, formatUtc } from '../format'

export const DOWNLOAD_POOL_ID = 'download-pool'

/**
 * The download pool's state at the top of every page: a banner with a Resume button when
 * rate limiting (or a short disk) paused the pool, a quieter note while it backs off or
 * waits for DOWNLOAD_WINDOW, an empty slot otherwise (so a later render can fill it). Polling job cards morph it in out-of-band.
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
  if (pool.until)
    return (
      <div id={DOWNLOAD_POOL_ID} class="pool-banner pool-backoff" role="status" hx-swap-oob={swap}>
        <p class="pool-reason" safe>
          {`Rate limited by the site: downloads wait until ${formatUtc(pool.until)} (${formatRelative(pool.until, nowMs)}).`}
        </p>
      </div>
    )
  if (pool.window_opens_at)
    return (
      <div id={DOWNLOAD_POOL_ID} class="pool-banner pool-window" role="status" hx-swap-oob={swap}>
        <p class="pool-reason" safe>
          {`Outside the download window${pool.window ? ` (${pool.window}, server time)` : ''}: downloads start ${formatUtc(pool.window_opens_at)} (${formatRelative(pool.window_opens_at, nowMs)}).`}
        </p>
      </div>
    )
  return <div id={DOWNLOAD_POOL_ID} class="pool-idle" hx-swap-oob={swap}></div>
}
