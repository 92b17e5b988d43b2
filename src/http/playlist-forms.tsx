/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { listJobs } from '../db/jobs'
import { listPlaylists, playlistCounts } from '../db/playlists'
import { ACTIVE_JOB_STATUSES } from '../db/types'
import { addPlaylist } from '../playlists/service'
import { pasteAndGo } from '../playlists/paste'
import { verifyFiles } from '../playlists/verify'
import { restoreAndFetch } from '../playlists/retention'
import { RestoreResult } from '../../views/fragments/restore-entry'
import { ENTRIES_CHANGED_EVENT } from '../../views/fragments/entries-section'
import { PlaylistAdded } from '../../views/fragments/playlist-added'
import { VerifyResult } from '../../views/fragments/verify-files'
import type { Deps } from './deps'
import { cardWithPlaylist } from './job-cards'
import { models } from './models'

/** A plain add (409 when the URL is known), in the shape a paste returns. */
async function findOrAddNew(ctx: Deps['ctx'], url: string) {
  const { added, video_id, ...playlist } = await addPlaylist(ctx, url)
  return { playlist, added, existing: false, video_id }
}

/**
 * The UI's form endpoints: same services as the JSON API, fragments instead of JSON.
 * Errors become `<p class="error">` fragments in the error plugin (422, 409, …).
 */
export function playlistFormsController({ ctx, manager }: Deps) {
  return new Elysia({ name: 'playlist-forms', prefix: '/playlists' })
    .post(
      '/',
      async ({ body }) => {
        // The home form always sends `start` (paste and go); without it, a plain add as before.
        const outcome = body.start
          ? await pasteAndGo(ctx, manager, { url: body.url, start: body.start, audio_format: body.audio_format })
          : { ...(await findOrAddNew(ctx, body.url)), job: null }
        const [playlists, active] = await Promise.all([listPlaylists(ctx.db), listJobs(ctx.db, { status: [...ACTIVE_JOB_STATUSES], limit: 1000 })])
        return (
          <PlaylistAdded
            playlist={outcome.playlist}
            added={outcome.added}
            existing={outcome.existing}
            single={outcome.video_id !== null}
            job={outcome.job}
            playlists={playlists}
            busyIds={new Set(active.map((j) => j.playlist_id))}
          />
        )
      },
      { body: models.newPlaylist },
    )
    .post(
      '/:id/jobs',
      async ({ params, body, set }) => {
        const job = await manager.create(params.id, body.type, { priority: body.priority, reextract: body.reextract })
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
      '/:id/entries/:videoId/restore',
      async ({ params, set }) => {
        const restored = await restoreAndFetch(ctx, manager, params.id, params.videoId)
        set.headers['hx-trigger'] = ENTRIES_CHANGED_EVENT
        return <RestoreResult job={restored.job} />
      },
      { params: models.entry },
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
