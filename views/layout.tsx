/** @jsxImportSource @kitajs/html */
import type { PropsWithChildren } from '@kitajs/html'
import { assetUrls } from '../src/http/assets'

/** The page shell: head, header, main. htmx and the stylesheet come from the app itself. */
export function Layout({ title, children }: PropsWithChildren<{ title: string }>) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title safe>{title === 'yt-serve' ? title : `${title} · yt-serve`}</title>
          <link rel="stylesheet" href={assetUrls.css} />
          <script src={assetUrls.htmx} defer></script>
        </head>
        <body>
          <header class="site-header">
            <a class="brand" href="/">
              yt-serve
            </a>
            <span class="tagline">playlist archive</span>
          </header>
          <main class="page">{children}</main>
        </body>
      </html>
    </>
  )
}
