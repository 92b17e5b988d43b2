import { Elysia } from 'elysia'
import { assetFiles as files } from '../../views/assets'

const IMMUTABLE = 'public, max-age=31536000, immutable'

/**
 * Serves public/ files embedded in the binary (each imported `with { type: 'file' }`,
 * so `bun build --compile` carries them). Never a CDN: the app runs offline.
 */
export const assetsController = Object.values(files)
  .reduce(
    (app, file) =>
      app.get(file.url, ({ set }) => {
        set.headers['cache-control'] = IMMUTABLE
        // Said explicitly, not left to the file name: a browser ignores an icon served with another type.
        if (file.url.endsWith('.svg')) set.headers['content-type'] = 'image/svg+xml'
        return Bun.file(file.path)
      }) as unknown as typeof app,
    new Elysia({ name: 'assets' }),
  )
  // Browsers ask for /favicon.ico on pages that name no icon (and for non-HTML responses).
  .get('/favicon.ico', ({ redirect }) => redirect(files.favicon.url, 301))
