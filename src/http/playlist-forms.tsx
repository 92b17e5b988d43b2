/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { listJobs } from '../db/jobs'
import { listPlaylists, playlistCounts } from '../db/playlists'
import { ACTIVE_JOB_STATUSES } from '../db/types'
import { addPlaylist } from '../playlists/service'
import { verifyFiles } from '../playlists/verify'
import { ENTRIES_CHANGED_EVENT } from '../../views/fragments/entries-section'
import { PlaylistAdded } from '../../views/fragments/playlist-added'
import { VerifyResult } from '../../views/fragments/verify-files'
import type { Deps } from './deps'
import { cardWithPlaylist } from './job-cards'
import { models } from './models'

/**
 * The UI's form endpoints: same services as the JSON API, fragments instead of JSON.
 * Errors become `<p class="error">` fragments in the error plugin (422, 409, …).
 */
export function playlistFormsController({ ctx, manager }: Deps) {
  return new Elysia({ name: 'playlist-forms', prefix: '/playlists' })
    .post(
      '/',
      async ({ body }) => {
        const added = await addPlaylist(ctx, body.url)
        const [playlists, active] = await Promise.all([listPlaylists(ctx.db), listJobs(ctx.db, { status: [...ACTIVE_JOB_STATUSES], limit: 1000 })])
        return <PlaylistAdded title={added.title} added={added.added} playlists={playlists} busyIds={new Set(active.map((j) => j.playlist_id))} />
      },
      { body: models.newPlaylist },
    )
    .post(
      '/:id/jobs',
      async ({ params, body, set }) => {
        const job = await manager.create(params.id, body.type, { priority: body.priority })
        set.headers['hx-trigger'] = ENTRIES_CHANGED_EVENT
        return cardWithPlaylist(ctx, job)
      },
      { params: models.id, body: models.newJob },
    )
    .post(
      '/:id/retry-failed',
      async ({ params, set }) => {
        const job = await manager.retryFailed(params.id)
        set.headers['hx-trigger'] = ENTRIES_CHANGED_EVENT
        return cardWithPlaylist(ctx, job)
      },
      { params: models.id },
    )
    .post(
      '/:id/verify',
      async ({ params, set }) => {
        const report = await verifyFiles(ctx, params.id)
        if (report.videos_missing + report.audio_missing > 0) set.headers['hx-trigger'] = ENTRIES_CHANGED_EVENT
        return <VerifyResult report={report} counts={await playlistCounts(ctx.db, params.id)} />
      },
      { params: models.id },
    )
}
