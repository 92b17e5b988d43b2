import { addEvent } from '../db/events'
import type { Job } from '../db/types'
import type { AppContext } from '../context'

/** The one-line outcome of a finished job, as a notification says it. */
export function jobSummary(job: Job, playlistTitle: string): string {
  const failed = job.download_failed + job.extract_failed
  const parts = [
    job.download_status ? `${job.download_completed} downloaded` : null,
    job.extract_status ? `${job.extract_completed} extracted` : null,
    `${failed} failed`,
  ]
  const counts = parts.filter(Boolean).join(', ')
  if (job.status === 'failed') return `✗ ${playlistTitle}: ${job.type} job #${job.id} failed: ${job.error ?? 'no reason given'} (${counts})`
  return `${failed > 0 ? '⚠' : '✓'} ${playlistTitle}: ${job.type} job #${job.id} completed: ${counts}`
}

/**
 * The JSON posted to NOTIFY_URL. `title` and `message` suit Gotify and most webhook
 * receivers; `text` (Slack, Mattermost) and `content` (Discord) repeat the message so
 * those accept the same request without a bridge.
 */
export function notificationBody(job: Job, playlist: { id: number; title: string }) {
  const message = jobSummary(job, playlist.title)
  return { event: 'job.finished', title: `yt-serve: ${playlist.title}`, message, text: message, content: message, playlist, job }
}

/** Posts the outcome of a finished job to NOTIFY_URL; a failure is logged, never the job's problem. */
export async function notifyJobEnded(ctx: AppContext, job: Job, playlist: { id: number; title: string }): Promise<void> {
  const url = ctx.config.notifyUrl
  if (!url) return
  try {
    // Not guardedFetch: NOTIFY_URL is the operator's own setting, often a receiver on the LAN,
    // so private addresses are meant. redirect: 'error' keeps a receiver from bouncing the
    // POST anywhere else.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'yt-serve' },
      body: JSON.stringify(notificationBody(job, playlist)),
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    })
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
  } catch (err) {
    const message = `notification to NOTIFY_URL failed: ${err instanceof Error ? err.message : err}`
    ctx.log(`job ${job.id}: ${message}`)
    await addEvent(ctx.db, job.id, 'warn', message).catch(() => {})
  }
}
