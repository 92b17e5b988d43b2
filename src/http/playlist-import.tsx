/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { playlistCounts } from '../db/playlists'
import { allowedImportFolder, importArchive } from '../playlists/import'
import { ENTRIES_CHANGED_EVENT } from '../../views/fragments/entries-section'
import { ImportResult } from '../../views/fragments/import-files'
import type { Deps } from './deps'
import { models } from './models'

/** The playlist page's "Import files": the same service as POST /api/playlists/:id/import, the table as a fragment. */
export function playlistImportController({ ctx }: Deps) {
  return new Elysia({ name: 'playlist-import', prefix: '/playlists' }).post(
    '/:id/import',
    async ({ params, body, set }) => {
      const root = await allowedImportFolder(ctx.config, body.dir.trim())
      const report = await importArchive(ctx, params.id, root, { apply: body.apply === 'true', link: body.link === 'on', match: body.match ?? 'id' })
      if (report.counts.adopted > 0) set.headers['hx-trigger'] = ENTRIES_CHANGED_EVENT
      return <ImportResult report={report} counts={report.applied ? await playlistCounts(ctx.db, params.id) : null} />
    },
    { params: models.id, body: models.importForm },
  )
}
