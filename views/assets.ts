import { readFileSync } from 'node:fs'
import appCss from '../public/app.css' with { type: 'file' }
import htmxJs from '../public/vendor/htmx-4.0.1.min.js' with { type: 'file' }
import faviconSvg from '../public/favicon.svg' with { type: 'file' }
import loginCss from '../public/login.css' with { type: 'file' }
import notifyJs from '../public/notify.js' with { type: 'file' }
import apiDocsJs from '../public/api-docs.js' with { type: 'file' }
import swaggerUiCss from '../public/vendor/swagger-ui-5.35.0/swagger-ui.css' with { type: 'file' }
import swaggerUiJs from '../public/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js' with { type: 'file' }

/** A short content hash, so a changed file gets a new URL and old ones can be cached forever. */
const hashOf = (path: string) => Bun.hash(readFileSync(path)).toString(36).slice(0, 10)

/** public/ files embedded in the binary; src/http/assets.ts serves them under these URLs. */
export const assetFiles = {
  css: { path: appCss, url: `/assets/app-${hashOf(appCss)}.css` },
  // The vendored file name already carries the version.
  htmx: { path: htmxJs, url: '/assets/htmx-4.0.1.min.js' },
  favicon: { path: faviconSvg, url: `/assets/favicon-${hashOf(faviconSvg)}.svg` },
  // Its own small file: the login page renders before anything else, and inline <style> is against the CSP.
  loginCss: { path: loginCss, url: `/assets/login-${hashOf(loginCss)}.css` },
  // The opt-in browser notification when a job ends; a file because the CSP forbids inline script.
  notifyJs: { path: notifyJs, url: `/assets/notify-${hashOf(notifyJs)}.js` },
  // The API reference on /api/docs: Swagger UI, vendored (no CDN: the app runs offline), and the file that starts it.
  swaggerUiJs: { path: swaggerUiJs, url: `/assets/swagger-ui-bundle-${hashOf(swaggerUiJs)}.js` },
  swaggerUiCss: { path: swaggerUiCss, url: `/assets/swagger-ui-${hashOf(swaggerUiCss)}.css` },
  apiDocsJs: { path: apiDocsJs, url: `/assets/api-docs-${hashOf(apiDocsJs)}.js` },
}

/** Versioned URLs for the layout; the only way pages refer to assets. */
export const assetUrls = {
  css: assetFiles.css.url,
  htmx: assetFiles.htmx.url,
  favicon: assetFiles.favicon.url,
  loginCss: assetFiles.loginCss.url,
  notifyJs: assetFiles.notifyJs.url,
} as const
