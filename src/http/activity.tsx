/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { dismiss, jobHistory } from '../activity/service'
import { playlistTitles } from '../db/playlists'
import { ACTIVE_JOB_STATUSES } from '../db/types'
import { ACTIVITY_PAGE_SIZE, type ActivityFilter } from '../../views/fragments/activity-history'
import { ActivityPage } from '../../views/pages/activity'
import type { Deps } from './deps'
import { models } from './models'
import { siteStatus } from './site-status'

/** `/activity` (the queue and the job history) and the finished card's Dismiss. */
export function activityController(deps: Deps) {
  const { ctx, manager } = deps
  return new Elysia({ name: 'activity' })
    .get(
      '/activity',
      async ({ query }) => {
        // The selects send "" for "any".
        const filter: ActivityFilter = {
          status: query.status || undefined,
          type: query.type || undefined,
          playlist_id: query.playlist_id ? Number(query.playlist_id) : undefined,
        }
        const offset = query.offset ?? 0
        const [queue, page, playlists] = await Promise.all([
          manager.list({ status: [...ACTIVE_JOB_STATUSES], limit: 200 }),
          jobHistory(manager, { ...filter, status: filter.status ? [filter.status] : undefined, limit: ACTIVITY_PAGE_SIZE, offset }),
          playlistTitles(ctx.db),
        ])
        return (
          <ActivityPage queue={queue} history={page.jobs} total={page.total} offset={offset} filter={filter} playlists={playlists} status={siteStatus(deps)} />
        )
      },
      { query: models.activityQuery },
    )
    .post(
      '/jobs/:id/dismiss',
      async ({ params }) => {
        await dismiss(manager, params.id)
        // The card swaps itself for this nothing, and so leaves the page.
        return ''
      },
      { params: models.id },
    )
}
