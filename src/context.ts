import type { Config } from './config'
import type { DB } from './db/open'
import type { UrlGuard } from './library/urls'

/** What the job layer needs from the outside world; tests build one over a temp dir. */
export interface AppContext {
  db: DB
  config: Config
  log: (message: string) => void
  /** Overrides the SSRF guard's DNS or address classification; only tests set it. */
  urlGuard?: Pick<UrlGuard, 'resolve' | 'isPrivate'>
}

/** The SSRF guard every fetch of an outside URL goes through, as configured. */
export const urlGuardOf = (ctx: AppContext): UrlGuard => ({ allowPrivate: ctx.config.allowPrivateUrls, ...ctx.urlGuard })
