import { Elysia } from 'elysia'
import { NotFound } from '../errors'
import { playlistM3u } from '../jobs/m3u'
import { playlistPodcast } from '../jobs/podcast'
import type { Deps } from './deps'
import { models } from './models'
import { requestHost } from './security'

/** The origin the client used, so the feed's links work through a reverse proxy too. */
function originOf(request: Request): string {
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0].trim() || new URL(request.url).protocol.replace(':', '')
  return `${proto === 'https' ? 'https' : 'http'}://${requestHost(request)}`
}

/** The playlist as an extended M3U of its extracted audio for music players, and as a podcast feed. */
export function exportController({ ctx }: Deps) {
  return new Elysia({ name: 'export' })
    .get(
      '/playlists/:id/podcast.xml',
      async ({ params, request, set }) => {
        const feed = await playlistPodcast(ctx, params.id, originOf(request))
        if (feed === null) throw new NotFound(`playlist ${params.id}`)
        set.headers['content-type'] = 'application/rss+xml; charset=utf-8'
        return feed
      },
      { params: models.id },
    )
    .get(
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
