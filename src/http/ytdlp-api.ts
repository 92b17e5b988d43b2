import { Elysia } from 'elysia'
import type { Deps } from './deps'

/**
 * The managed yt-dlp over HTTP. An update runs in the background (a download and a wait
 * for the running chunk can take minutes): POST answers 202 at once and GET shows its
 * progress, then the result or the error.
 */
export function ytdlpApi({ manager }: Deps) {
  const updater = manager.ytdlp
  return new Elysia({ name: 'ytdlp-api', prefix: '/api/ytdlp' })
    .get('/', () => updater.status())
    .post('/update', async ({ set }) => {
      // The outcome lands in the state (version or error); the promise must not go unhandled.
      updater.update().catch(() => {})
      set.status = 202
      return updater.status()
    })
    .post('/rollback', async () => {
      await updater.rollback()
      return updater.status()
    })
}
