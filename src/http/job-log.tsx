/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { listEvents } from '../db/events'
import { findPlaylist } from '../db/playlists'
import type { Job } from '../db/types'
import { NotFound } from '../errors'
import { JobLogLive, JobLogPage } from '../../views/pages/job-log'
import { NotFoundPage } from '../../views/pages/not-found'
import type { Deps } from './deps'
import { models } from './models'
import { siteStatus } from './site-status'

/** listEvents' own cap; the page says so when a log reaches it. */
const EVENT_LIMIT = 1000

/** `/jobs/:id/log`: a job's events as a page (the JSON is GET /api/jobs/:id/log), and its live part. */
export function jobLogController(deps: Deps) {
  const { ctx, manager } = deps
  const logOf = async (job: Job) => ({ job, events: await listEvents(ctx.db, job.id, EVENT_LIMIT), limit: EVENT_LIMIT })
  return new Elysia({ name: 'job-log', prefix: '/jobs' })
    .get(
      '/:id/log',
      async ({ params, set }) => {
        let job: Job
        try {
          job = await manager.get(params.id)
        } catch (err) {
          if (!(err instanceof NotFound)) throw err
          set.status = 404
          return <NotFoundPage message={err.message} status={siteStatus(deps)} />
        }
        const [data, playlist] = await Promise.all([logOf(job), findPlaylist(ctx.db, job.playlist_id)])
        return <JobLogPage {...data} playlistTitle={playlist?.title ?? null} status={siteStatus(deps)} />
      },
      { params: models.id },
    )
    .get('/:id/log/live', async ({ params }) => <JobLogLive {...(await logOf(await manager.get(params.id)))} />, { params: models.id })
}
