/** @jsxImportSource @kitajs/html */
import type { SiteStatus } from '../../src/http/site-status'
import { formatBytes } from '../format'

/** A small status line: whether COOKIES_FILE is set (never its path or content), and the free space left. */
export function SiteFooter({ status, diskFreeBytes }: { status: SiteStatus; diskFreeBytes: number | null }) {
  return (
    <footer class="site-footer muted">
      <span class="cookies-status">{status.cookies_file_set ? 'cookies: set' : 'cookies: not set'}</span>
      {diskFreeBytes !== null ? <span class="disk-status" safe>{` · disk: ${formatBytes(diskFreeBytes)} free`}</span> : ''}
    </footer>
  )
}
