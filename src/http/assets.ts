import { readFileSync } from 'node:fs'
import { Elysia } from 'elysia'
import appCss from '../../public/app.css' with { type: 'file' }
import htmxJs from '../../public/vendor/htmx-4.0.1.min.js' with { type: 'file' }
import faviconSvg from '../../public/favicon.svg' with { type: 'file' }
import loginCss from '../../public/login.css' with { type: 'file' }

/** A short content hash, so a changed file gets a new URL and old ones can be cached forever. */
const hashOf = (path: string) => Bun.hash(readFileSync(path)).toString(36).slice(0, 10)

const files = {
  css: { path: appCss, url: `/assets/app-${hashOf(appCss)}.css` },
  // The vendored file name already carries the version.
  htmx: { path: htmxJs, url: '/assets/htmx-4.0.1.min.js' },
  favicon: { path: faviconSvg, url: `/assets/favicon-${hashOf(faviconSvg)}.svg` },
  // Its own small file: the login page renders before anything else, and inline <style> is against the CSP.
  loginCss: { path: loginCss, url: `/assets/login-${hashOf(loginCss)}.css` },
}

/** Versioned URLs for the layout; the only way pages refer to assets. */
export const assetUrls = { css: files.css.url, htmx: files.htmx.url, favicon: files.favicon.url, loginCss: files.loginCss.url } as const

const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * Serves public/ files embedded in the binary (each imported `with { type: 'file' }`,
 * so `bun build --compile` carries them). Never a CDN: the app runs offline.
 */
export const assetsController = new Elysia({ name: 'assets' })
  .get(files.css.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    return Bun.file(files.css.path)
  })
  .get(files.loginCss.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    return Bun.file(files.loginCss.path)
  })
  .get(files.htmx.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    return Bun.file(files.htmx.path)
  })
  .get(files.favicon.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    set.headers['content-type'] = 'image/svg+xml'
    return Bun.file(files.favicon.path)
  })
  // Browsers ask for /favicon.ico on pages that name no icon (and for non-HTML responses).
  .get('/favicon.ico', ({ redirect }) => redirect(files.favicon.url, 301))
