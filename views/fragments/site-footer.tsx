/** @jsxImportSource @kitajs/html */
import type { SiteStatus } from '../../src/http/site-status'

/** A small status line: whether COOKIES_FILE is set (never its path or content). */
export function SiteFooter({ status }: { status: SiteStatus }) {
  return (
    <footer class="site-footer muted">
      <span class="cookies-status">{status.cookies_file_set ? 'cookies: set' : 'cookies: not set'}</span>
    </footer>
  )
}
