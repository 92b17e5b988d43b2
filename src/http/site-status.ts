import { freeBytes } from '../library/disk'
import type { DownloadPoolState } from '../jobs/scheduler'
import { cookiesFileFor } from '../library/cookies'
import type { Deps } from './deps'

/** What every page shows around its content: the download pool's state and whether cookies are configured. */
export interface SiteStatus {
  pool: DownloadPoolState
  /** Only whether yt-dlp gets cookies (COOKIES_FILE or an uploaded file); never a path or content. */
  cookies_file_set: boolean
  /** AUTH_TOKEN is set, so whoever sees a page is signed in and may sign out. */
  sign_out: boolean
}

export const siteStatus = ({ ctx, manager }: Deps): SiteStatus => ({ pool: manager.downloadPool(), cookies_file_set: cookiesFileFor(ctx.config) !== null, sign_out: ctx.config.authToken !== null })

/** Free space where the archive lives, for the home page's footer (one statfs). */
export const diskFree = ({ ctx }: Deps): number | null => freeBytes(ctx.config.dataDir)
