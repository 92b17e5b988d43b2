import { Elysia } from 'elysia'
import { playlistM3u } from '../playlists/m3u'
import { playlistPodcast } from '../playlists/podcast'
import type { Deps } from './deps'
import { models } from './models'
import { requestOrigin } from './security'

/** The playlist as an extended M3U of its extracted audio for music players, and as a podcast feed. */
export function exportController({ ctx }: Deps) {
  // PUBLIC_URL when set; else the origin the client used (through a proxy only with TRUST_PROXY).
  const base = (request: Request) => ctx.config.publicUrl ?? requestOrigin(request, ctx.config.trustProxy).origin
  return new Elysia({ name: 'export' })
    .get(
      '/playlists/:id/podcast.xml',
      async ({ params, request, set }) => {
        const feed = await playlistPodcast(ctx, params.id, base(request))
        set.headers['content-type'] = 'application/rss+xml; charset=utf-8'
        return feed
      },
      { params: models.id },
    )
    .get(
      '/playlists/:id/playlist.m3u8',
      async ({ params, request, set }) => {
        const m3u = await playlistM3u(ctx, params.id, base(request))
        set.headers['content-type'] = 'audio/x-mpegurl; charset=utf-8'
        set.headers['content-disposition'] = `inline; filename="playlist.m3u8"`
        return m3u
      },
      { params: models.id },
    )
}
