/** @jsxImportSource @kitajs/html */
import type { PropsWithChildren } from '@kitajs/html'
import { assetUrls } from './assets'
import type { SiteStatus } from './site-status'
import { DownloadPoolBanner } from './fragments/download-pool-banner'

/**
 * The page shell: head, header, the download pool banner, main. htmx and the stylesheet
 * come from the app itself.
 */
export function Layout({ title, status, children }: PropsWithChildren<{ title: string; status: SiteStatus }>) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title safe>{title === 'yt-serve' ? title : `${title} · yt-serve`}</title>
          <link rel="icon" href={assetUrls.favicon} type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrls.css} />
          {/* htmx would otherwise add its indicator rules as a stylesheet of its own; the CSP allows only ours. */}
          <meta name="htmx-config" content={JSON.stringify({ includeIndicatorCSS: false })} />
          <script src={assetUrls.htmx} defer></script>
          <script src={assetUrls.notifyJs} defer></script>
        </head>
        <body>
          <header class="site-header">
            <a class="brand" href="/">
              yt-serve
            </a>
            <span class="tagline">playlist archive</span>
            <nav class="site-nav" aria-label="Site">
              <a href="/activity">Activity</a>
              <a href="/nodes">Nodes</a>
              <a href="/settings">Settings</a>
              <a href="/api/docs">API</a>
            </nav>
            {status.sign_out ? (
              <form class="sign-out" method="post" action="/logout">
                <button type="submit" class="btn btn-small">
                  Sign out
                </button>
              </form>
            ) : (
              ''
            )}
          </header>
          <main class="page">
            <DownloadPoolBanner pool={status.pool} />
            {children}
          </main>
        </body>
      </html>
    </>
  )
}
