/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { mediaRoot } from '../library/paths'
import { NotFound } from '../errors'
import { type EntryPlayer, entryPlayer, subtitlePath } from '../playlists/entry-player'
import { EntryPage } from '../../views/pages/entry'
import { NotFoundPage } from '../../views/pages/not-found'
import type { Deps } from './deps'
import { serveFile } from './media'
import { models } from './models'
import { siteStatus } from './site-status'

/** The player page of one entry, and the subtitle files its <track>s load. */
export function entryPlayerController(deps: Deps) {
  const { ctx } = deps
  return new Elysia({ name: 'entry-player' })
    .get(
      '/playlists/:id/entries/:videoId',
      async ({ params, query, set }) => {
        let data: EntryPlayer
        try {
          data = await entryPlayer(ctx, params.id, params.videoId)
        } catch (err) {
          if (!(err instanceof NotFound)) throw err
          set.status = 404
          return <NotFoundPage message={err.message} status={siteStatus(deps)} />
        }
        return <EntryPage data={data} start={query.t ?? null} status={siteStatus(deps)} />
      },
      { params: models.entry, query: models.entryQuery },
    )
    .get(
      '/media/:id/subtitles/:lang',
      async ({ params, request }) => serveFile(mediaRoot(ctx.config), await subtitlePath(ctx, params.id, params.lang), request, false),
      { params: models.subtitle },
    )
}
