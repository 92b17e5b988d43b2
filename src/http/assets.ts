import { Elysia } from 'elysia'
import { assetFiles as files } from '../../views/assets'

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
  .get(files.notifyJs.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    return Bun.file(files.notifyJs.path)
  })
  .get(files.htmx.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    return Bun.file(files.htmx.path)
  })
  .get(files.swaggerUiJs.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    return Bun.file(files.swaggerUiJs.path)
  })
  .get(files.swaggerUiCss.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    return Bun.file(files.swaggerUiCss.path)
  })
  .get(files.apiDocsJs.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    return Bun.file(files.apiDocsJs.path)
  })
  .get(files.favicon.url, ({ set }) => {
    set.headers['cache-control'] = IMMUTABLE
    set.headers['content-type'] = 'image/svg+xml'
    return Bun.file(files.favicon.path)
  })
  // Browsers ask for /favicon.ico on pages that name no icon (and for non-HTML responses).
  .get('/favicon.ico', ({ redirect }) => redirect(files.favicon.url, 301))
