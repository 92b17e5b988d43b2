import { Elysia } from 'elysia'
import { NotFound } from '../errors'
import { playlistM3u } from '../jobs/m3u'
import type { Deps } from './deps'
import { models } from './models'

/** The playlist as an extended M3U of its extracted audio, for music players. */
export function exportController({ ctx }: Deps) {
  return new Elysia({ name: 'export' }).get(
    '/playlists/:id/playlist.m3u8',
    async ({ params, set }) => {
      const m = await playlistM3u(ctx, params.id)
      if (!m) throw new NotFound(`playlist ${params.id}`)
      set.headers['content-type'] = 'audio/x-mpegurl; charset=utf-8'
      set.headers['content-disposition'] = `inline; filename="playlist.m3u8"`
      return m.text
    },
    { params: models.id },
  )
}
