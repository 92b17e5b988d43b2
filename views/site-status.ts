import type { DownloadPoolState } from '../src/jobs/scheduler'

/** What every page shows around its content: the download pool's state and whether cookies are configured. */
export interface SiteStatus {
  pool: DownloadPoolState
  /** Only whether yt-dlp gets cookies (COOKIES_FILE or an uploaded file); never a path or content. */
  cookies_file_set: boolean
  /** AUTH_TOKEN is set, so whoever sees a page is signed in and may sign out. */
  sign_out: boolean
}
