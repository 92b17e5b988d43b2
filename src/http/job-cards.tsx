/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { activeJobForPlaylist } from '../db/jobs'
import { findPlaylist, playlistCounts } from '../db/playlists'
import type { Job } from '../db/types'
import type { AppContext } from '../jobs/context'
import type { DownloadPoolState } from '../jobs/scheduler'
import { isLiveJob, JobCard } from '../../views/fragments/job-card'
import { JobCardUpdate } from '../../views/fragments/job-card-update'
import { DownloadPoolBanner } from '../../views/fragments/download-pool-banner'
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
export function jobCardsController({ ctx, manager }: Deps) {
  return new Elysia({ name: 'job-cards', prefix: '/jobs' })
    .get(
      '/:id/card',
      async ({ params }) => {
        // The download pool banner rides along (morphed), so a rate-limit pause shows while watching a job.
        const job = await manager.get(params.id)
        if (!isLiveJob(job.status)) return cardWithPlaylist(ctx, job, manager.downloadPool())
        const playlist = await findPlaylist(ctx.db, job.playlist_id)
        return (
          <>
            <JobCard job={job} playlistTitle={playlist?.title ?? null} />
            <DownloadPoolBanner pool={manager.downloadPool()} oob />
          </>
        )
      },
      { params: models.id },
    )
    .post('/:id/cancel', async ({ params }) => cardWithPlaylist(ctx, await manager.cancel(params.id)), { params: models.id })
    .post('/:id/pause', async ({ params }) => cardWithPlaylist(ctx, await manager.pause(params.id)), { params: models.id })
    .post('/:id/resume', async ({ params }) => cardWithPlaylist(ctx, await manager.resume(params.id)), { params: models.id })
    .post('/:id/priority', async ({ params, body }) => cardWithPlaylist(ctx, await manager.setPriority(params.id, body.priority)), {
      params: models.id,
      body: models.priority,
    })
}
