/** @jsxImportSource @kitajs/html */
import type { SiteStatus } from '../site-status'
import { formatBytes } from '../format'

/** A small status line: whether yt-dlp gets cookies (never a path or content), linked to where they are set, and the free space left. */
export function SiteFooter({ status, diskFreeBytes }: { status: SiteStatus; diskFreeBytes: number | null }) {
  return (
    <footer class="site-footer muted">
      <a class="cookies-status" href="/settings/cookies">
        {status.cookies_file_set ? 'cookies: set' : 'cookies: not set'}
      </a>
      {diskFreeBytes !== null ? <span class="disk-status" safe>{` · disk: ${formatBytes(diskFreeBytes)} free`}</span> : ''}
    </footer>
  )
}
