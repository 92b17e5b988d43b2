/** @jsxImportSource @kitajs/html */
import { settingDefaults } from '../playlists/setting-defaults'
import { Elysia } from 'elysia'
import { recentlyEnded } from '../activity/service'
import { activeJobForPlaylist, listJobs } from '../db/jobs'
import { reextractOffer } from '../jobs/reextract'
import { listPlaylists } from '../db/playlists'
import { NotFound } from '../errors'
import { playlistDetail } from '../playlists/queries'
import { requirePlaylist } from '../playlists/require-playlist'
import { EntriesSection, type EntriesData } from '../../views/fragments/entries-section'
import { HistorySection } from '../../views/fragments/job-history'
import { HomePage } from '../../views/pages/home'
import { NotFoundPage } from '../../views/pages/not-found'
import { PlaylistPage } from '../../views/pages/playlist'
import type { Deps } from './deps'
import { takeFlash } from './flash'
import { models } from './models'
import { requestOrigin } from './security'
import { diskFree, siteStatus } from './site-status'

/** Entries per page on the playlist page (the API's own default is 100 too). */
export const PAGE_SIZE = 100

/** Jobs that get a card on the pages: the live ones and the interrupted ones (they can be resumed). */
export const CARD_STATUSES = ['queued', 'running', 'paused', 'interrupted'] as const

/** Full pages: the home page and a playlist's page (and its self-refreshing entries and history sections). */
export function pagesController(deps: Deps) {
  const { ctx, manager } = deps
  type PageQuery = { offset?: number; limit?: number; filter?: EntriesData['filter']; q?: string }
  const entries = (detail: Awaited<ReturnType<typeof playlistDetail>>, live: boolean): EntriesData => ({
    playlistId: detail.id,
    counts: detail.counts,
    videos: detail.videos,
    total: detail.videos_total,
    offset: detail.offset,
    limit: detail.limit,
    defaultLimit: PAGE_SIZE,
    filter: detail.filter,
    search: detail.q,
    live,
  })
  const pageOf = (query: PageQuery) => ({ offset: query.offset, limit: query.limit ?? PAGE_SIZE, filter: query.filter, q: query.q })
  const load = async (id: number, query: PageQuery) => {
    const [detail, cardJobs] = await Promise.all([
      playlistDetail(ctx, id, pageOf(query)),
      manager.list({ status: [...CARD_STATUSES], playlist_id: id, limit: 20 }),
    ])
    return { detail, cardJobs, live: cardJobs.some((j) => j.status !== 'interrupted'), reextract: await reextractOffer(ctx, detail) }
  }
  return new Elysia({ name: 'pages' })
    .get('/', async ({ request, set }) => {
      const [playlists, jobs, ended, ytdlp] = await Promise.all([
        listPlaylists(ctx.db),
        manager.list({ status: [...CARD_STATUSES], limit: 200 }),
        recentlyEnded(manager),
        manager.ytdlp.status(),
      ])
      const busyIds = new Set(jobs.filter((j) => j.status !== 'interrupted').map((j) => j.playlist_id))
      const flash = takeFlash(request, requestOrigin(request, ctx.config.trustProxy).scheme === 'https')
      if (flash) set.headers['set-cookie'] = flash.clear
      return (
        <HomePage
          playlists={playlists}
          jobs={jobs}
          ended={ended}
          busyIds={busyIds}
          status={siteStatus(deps)}
          diskFreeBytes={diskFree(deps)}
          ytdlp={ytdlp}
          notice={flash?.notice}
          defaultFormat={deps.ctx.config.audioFormat}
        />
      )
    })
    .get(
      '/playlists/:id',
      async ({ params, query, set }) => {
        let page: Awaited<ReturnType<typeof load>>
        try {
          page = await load(params.id, query)
        } catch (err) {
          if (!(err instanceof NotFound)) throw err
          set.status = 404
          return <NotFoundPage message={err.message} status={siteStatus(deps)} />
        }
        const { detail } = page
        const defaults = settingDefaults(ctx.config)
        return (
          <PlaylistPage
            data={{
              playlist: detail,
              counts: detail.counts,
              entries: entries(detail, page.live),
              history: detail.jobs,
              liveJobs: page.cardJobs,
              defaults,
              status: siteStatus(deps),
              reextract: page.reextract,
              importEnabled: ctx.config.importDirs.length > 0,
            }}
          />
        )
      },
      { params: models.id, query: models.playlistQuery },
    )
    .get(
      '/playlists/:id/entries',
      async ({ params, query }) => {
        // Polled every 2 s while a job runs: no job history, and one row to know "live".
        const [detail, active] = await Promise.all([playlistDetail(ctx, params.id, pageOf(query), { history: false }), activeJobForPlaylist(ctx.db, params.id)])
        return <EntriesSection data={entries(detail, active !== undefined)} />
      },
      { params: models.id, query: models.playlistQuery },
    )
    .get(
      '/playlists/:id/history',
      async ({ params }) => {
        const [, jobs, active] = await Promise.all([
          requirePlaylist(ctx.db, params.id),
          listJobs(ctx.db, { playlist_id: params.id, limit: 20 }),
          activeJobForPlaylist(ctx.db, params.id),
        ])
        return <HistorySection playlistId={params.id} jobs={jobs.map(({ current: _c, ...j }) => j)} live={active !== undefined} />
      },
      { params: models.id },
    )
}
