import { Elysia } from 'elysia'
import type { Deps } from './deps'

/** The shared download pool: whether rate limiting paused it, and the way to resume. */
export function downloadsApi({ ctx, manager }: Deps) {
  return new Elysia({ name: 'downloads-api', prefix: '/api/downloads' })
    .get('/', () => ({ ...manager.downloadPool(), cookies_file_set: ctx.config.cookiesFile !== null }))
    .post('/resume', () => manager.resumeDownloads())
}
