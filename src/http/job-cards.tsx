/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { activeJobForPlaylist } from '../db/jobs'
import { findPlaylist, playlistCounts } from '../db/playlists'
import type { Job } from '../db/types'
import type { AppContext } from '../context'
import type { DownloadPoolState } from '../jobs/scheduler'
import { isLiveJob, JobCard } from '../../views/fragments/job-card'
import { JobCardUpdate } from '../../views/fragments/job-card-update'
import { ENTRIES_CHANGED_EVENT } from '../../views/fragments/entries-section'
import { DownloadPoolBanner } from '../../views/fragments/download-pool-banner'
import { PlaylistStats } from '../../views/fragments/playlist-stats'
import type { Deps } from './deps'
import { models } from './models'

/** The card, plus its playlist's counts and buttons (and the pool banner, if given) out-of-band (see JobCardUpdate). */
export async function cardWithPlaylist(ctx: AppContext, job: Job, pool?: DownloadPoolState) {
  const [playlist, counts, active] = await Promise.all([
    findPlaylist(ctx.db, job.playlist_id),
    playlistCounts(ctx.db, job.playlist_id),
    activeJobForPlaylist(ctx.db, job.playlist_id),
  ])
  if (!playlist) return <JobCardUpdate job={job} playlistTitle={null} counts={null} busy={false} pool={pool} />
  return <JobCardUpdate job={job} playlistTitle={playlist.title} counts={counts} busy={active !== undefined} pool={pool} />
}

/**
 * The job card fragment that polls itself, and the card's buttons. A live card is just
 * the card (and the pool banner); the render that first shows a finished job also
 * refreshes the counts and re-enables the playlist's buttons, out-of-band.
 */
/**
 * A live card is rendered at most once per CARD_CACHE_MS for all its pollers: two hundred
 * browsers watching one job cost one render, not two hundred. Polls come once a second,
 * so the card is never visibly stale.
 */
export const CARD_CACHE_MS = 200

export function jobCardsController({ ctx, manager }: Deps) {
  const cache = new Map<number, { at: number; html: string }>()
  const fresh = (id: number) => {
    const hit = cache.get(id)
    return hit && performance.now() - hit.at < CARD_CACHE_MS ? hit.html : null
  }
  // A button press must show its effect at once, not a cached card.
  const acted = <T,>(id: number, out: T): T => {
    cache.delete(id)
    return out
  }
  return new Elysia({ name: 'job-cards', prefix: '/jobs' })
    .get(
      '/:id/card',
      async ({ params }) => {
        const cached = fresh(params.id)
        if (cached !== null) return cached
        // The download pool banner rides along (morphed), so a rate-limit pause shows while watching a job.
        const job = await manager.get(params.id)
        if (!isLiveJob(job.status)) {
          cache.delete(params.id)
          return cardWithPlaylist(ctx, job, manager.downloadPool())
        }
        const [playlist, counts] = await Promise.all([findPlaylist(ctx.db, job.playlist_id), playlistCounts(ctx.db, job.playlist_id)])
        // The playlist's counts ride along too, so the library row moves with the bars.
        const html = String(
          await (
            <>
              <JobCard job={job} playlistTitle={playlist?.title ?? null} />
              <PlaylistStats playlistId={job.playlist_id} counts={counts} oob />
              <DownloadPoolBanner pool={manager.downloadPool()} oob />
            </>
          ),
        )
        cache.set(params.id, { at: performance.now(), html })
        return html
      },
      { params: models.id },
    )
    .post('/:id/cancel', async ({ params }) => acted(params.id, cardWithPlaylist(ctx, await manager.cancel(params.id))), { params: models.id })
    .post('/:id/pause', async ({ params }) => acted(params.id, cardWithPlaylist(ctx, await manager.pause(params.id))), { params: models.id })
    .post(
      '/:id/resume',
      async ({ params, set }) => {
        const job = await manager.resume(params.id)
        set.headers['hx-trigger'] = ENTRIES_CHANGED_EVENT
        return acted(params.id, cardWithPlaylist(ctx, job))
      },
      { params: models.id },
    )
    .post('/:id/priority', async ({ params, body }) => acted(params.id, cardWithPlaylist(ctx, await manager.setPriority(params.id, body.priority))), {
      params: models.id,
      body: models.priority,
    })
}
