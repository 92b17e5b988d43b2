import { freeBytes } from '../library/disk'
import { mediaRoot } from '../library/paths'
import type { SiteStatus } from '../../views/site-status'
import { cookiesFileFor } from '../library/cookies'
import type { Deps } from './deps'

export type { SiteStatus }

export const siteStatus = ({ ctx, manager }: Deps): SiteStatus => ({
  pool: manager.downloadPool(),
  cookies_file_set: cookiesFileFor(ctx.config) !== null,
  sign_out: ctx.config.authToken !== null,
})

/** Free space where the archive lives, for the home page's footer (one statfs). */
export const diskFree = ({ ctx }: Deps): number | null => freeBytes(mediaRoot(ctx.config))
