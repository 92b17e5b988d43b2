import { Elysia } from 'elysia'
import type { Deps } from './deps'
import { siteStatus } from './site-status'

/** The shared download pool: whether rate limiting paused it, and the way to resume. */
export function downloadsApi(deps: Deps) {
  return new Elysia({ name: 'downloads-api', prefix: '/api/downloads' })
    .get('/', () => {
      const { pool, cookies_file_set } = siteStatus(deps)
      return { ...pool, cookies_file_set }
    })
    .post('/resume', () => deps.manager.resumeDownloads())
}
