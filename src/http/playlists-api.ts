import { Elysia, status } from 'elysia'
import { listPlaylists } from '../db/playlists'
import { addPlaylist, removePlaylist } from '../playlists/service'
import { pasteAndGo } from '../playlists/paste'
import { playlistDetail } from '../playlists/queries'
import { verifyFiles } from '../playlists/verify'
import { previewPrune, restoreAndFetch } from '../playlists/retention'
import { retentionFromForm } from './retention-form'
import { allowedImportFolder, importArchive } from '../playlists/import'
import { reextractOffer } from '../jobs/reextract'
import type { Deps } from './deps'
import { models } from './models'

export function playlistsApi({ ctx, manager }: Deps) {
  return (
    new Elysia({ name: 'playlists-api', prefix: '/api/playlists' })
      .get('/', () => listPlaylists(ctx.db))
      .post(
        '/',
        async ({ body }) => {
          if (!body.start) return status(201, await addPlaylist(ctx, body.url))
          // Paste and go: 201 when the URL was added now, 200 when it was known; the job starts either way.
          const { playlist, ...rest } = await pasteAndGo(ctx, manager, { url: body.url, start: body.start, audio_format: body.audio_format })
          return status(rest.existing ? 200 : 201, { ...playlist, ...rest })
        },
        { body: models.newPlaylist },
      )
      .get(
        '/:id',
        async ({ params, query }) => {
          const detail = await playlistDetail(ctx, params.id, query)
          // What POST /:id/jobs {"type":"extract","reextract":true} would make again.
          return { ...detail, reextract: await reextractOffer(ctx, detail) }
        },
        { params: models.id, query: models.playlistQuery, response: { 200: models.playlistDetail } },
      )
      // A new library_layout or name_template starts a relayout job (relayout_job_id).
      .patch('/:id', ({ params, body }) => manager.updateSettings(params.id, body), { params: models.id, body: models.playlistSettings })
      .delete(
        '/:id',
        async ({ params, query }) => {
          const { files } = await removePlaylist(ctx, params.id, query.delete_files === true)
          return { deleted: params.id, files_deleted: false, ...files }
        },
        { params: models.id, query: models.deleteQuery },
      )
      .post(
        '/:id/jobs',
        async ({ params, body }) => status(202, await manager.create(params.id, body.type, { priority: body.priority, reextract: body.reextract })),
        {
          params: models.id,
          body: models.newJob,
        },
      )
      .post('/:id/retry-failed', async ({ params }) => status(202, await manager.retryFailed(params.id)), { params: models.id })
      .post('/:id/verify', ({ params }) => verifyFiles(ctx, params.id), { params: models.id })
      .post(
        '/:id/import',
        async ({ params, body }) =>
          importArchive(ctx, params.id, await allowedImportFolder(ctx.config, body.dir), {
            apply: body.apply === true,
            link: body.link === true,
            match: body.match ?? 'id',
          }),
        { params: models.id, body: models.importArchive },
      )
      .get('/:id/prune-preview', ({ params, query }) => previewPrune(ctx, params.id, retentionFromForm(query)), { params: models.id, query: models.pruneQuery })
      .post('/:id/entries/:videoId/restore', async ({ params }) => status(202, await restoreAndFetch(ctx, manager, params.id, params.videoId)), {
        params: models.entry,
      })
  )
}
