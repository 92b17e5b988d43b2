/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { listPlaylists } from '../db/playlists'
import { NotFound } from '../errors'
import { playlistDetail } from '../jobs/playlist-views'
import { HomePage } from '../../views/pages/home'
import { NotFoundPage } from '../../views/pages/not-found'
import { PlaylistPage } from '../../views/pages/playlist'
import type { Deps } from './deps'
import { models } from './models'
import { siteStatus } from './site-status'

/** Entries per page on the playlist page (the API's own default is 100 too). */
export const PAGE_SIZE = 100

/** Jobs that get a card on the pages: the live ones and the interrupted ones (they can be resumed). */
export const CARD_STATUSES = ['queued', 'running', 'paused', 'interrupted'] as const

/** Full pages: the home page and a playlist's page. */
export function pagesController(deps: Deps) {
  const { ctx, manager } = deps
  return new Elysia({ name: 'pages' })
    .get('/', async () => {
      const [playlists, jobs] = await Promise.all([listPlaylists(ctx.db), manager.list({ status: [...CARD_STATUSES], limit: 200 })])
      const busyIds = new Set(jobs.filter((j) => j.status !== 'interrupted').map((j) => j.playlist_id))
      return <HomePage playlists={playlists} jobs={jobs} busyIds={busyIds} status={siteStatus(deps)} />
    })
    .get(
      '/playlists/:id',
      async ({ params, query, set }) => {
        const limit = query.limit ?? PAGE_SIZE
        let detail: Awaited<ReturnType<typeof playlistDetail>>
        try {
          detail = await playlistDetail(ctx, params.id, { offset: query.offset, limit, filter: query.filter })
        } catch (err) {
          if (!(err instanceof NotFound)) throw err
          set.status = 404
          return <NotFoundPage message={err.message} status={siteStatus(deps)} />
        }
        const { counts, videos, videos_total, offset, filter, jobs, ...playlist } = detail
        const liveJobs = await manager.list({ status: [...CARD_STATUSES], playlist_id: params.id, limit: 20 })
        const defaults = { audio_format: ctx.config.audioFormat, audio_quality: ctx.config.audioQuality }
        return (
          <PlaylistPage
            data={{ playlist, counts, videos, videosTotal: videos_total, offset, limit, filter, history: jobs, liveJobs, defaults, status: siteStatus(deps) }}
          />
        )
      },
      { params: models.id, query: models.playlistQuery },
    )
}
