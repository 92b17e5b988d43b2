import { html } from '@elysiajs/html'
import { Elysia } from 'elysia'
import type { Deps } from './http/deps'
import { downloadPoolController } from './http/download-pool'
import { downloadsApi } from './http/downloads-api'
import { entryPlayerController } from './http/entry-player'
import { errorPlugin } from './http/errors'
import { exportController } from './http/export'
import { eventsApi } from './http/events-api'
import { healthController } from './http/health'
import { jobsApi } from './http/jobs-api'
import { activityController } from './http/activity'
import { apiDocsController } from './http/api-docs'
import { assetsController } from './http/assets'
import { cookiesController } from './http/cookies'
import { jobCardsController } from './http/job-cards'
import { jobLogController } from './http/job-log'
import { mediaController } from './http/media'
import { nodesController } from './http/nodes'
import { pagesController } from './http/pages'
import { playlistFormsController } from './http/playlist-forms'
import { playlistImportController } from './http/playlist-import'
import { playlistManageController } from './http/playlist-manage'
import { playlistSettingsController } from './http/playlist-settings'
import { playlistsApi } from './http/playlists-api'
import { loginController } from './http/login'
import { securityHeaders } from './http/headers'
import { securityPlugin } from './http/security'
import { settingsApi } from './http/settings-api'
import { settingsPageController } from './http/settings-page'
import { FailureThrottle } from './http/throttle'
import { ytdlpApi } from './http/ytdlp-api'
import { ytdlpPanelController } from './http/ytdlp-panel'

/** Builds the whole HTTP app from its dependencies; tests call app.handle() on it. */
export function createApp(deps: Deps) {
  const throttle = new FailureThrottle()
  // The security plugin answers oversized bodies (by Content-Length, before reading a byte) with
  // a JSON or HTML error and refuses chunked ones; Bun's own limit would answer first with an
  // empty 413, so it is set out of the way.
  return new Elysia({ serve: { maxRequestBodySize: Number.MAX_SAFE_INTEGER } })
    .use(securityHeaders)
    .use(securityPlugin(deps.ctx.config, deps.ctx.db, throttle))
    .use(errorPlugin)
    .use(html())
    .use(loginController(deps.ctx.config, deps.ctx.db, throttle))
    .use(healthController(deps.ctx, () => deps.manager.storageProblem()))
    .use(playlistsApi(deps))
    .use(jobsApi(deps))
    .use(assetsController)
    .use(pagesController(deps))
    .use(playlistFormsController(deps))
    .use(playlistSettingsController(deps))
    .use(playlistManageController(deps))
    .use(playlistImportController(deps))
    .use(jobCardsController(deps))
    .use(jobLogController(deps))
    .use(activityController(deps))
    .use(nodesController(deps))
    .use(downloadPoolController(deps))
    .use(mediaController(deps))
    .use(entryPlayerController(deps))
    .use(eventsApi(deps))
    .use(downloadsApi(deps))
    .use(exportController(deps))
    .use(cookiesController(deps))
    .use(ytdlpApi(deps))
    .use(settingsApi(deps))
    .use(settingsPageController(deps))
    .use(ytdlpPanelController(deps))
    .use(apiDocsController())
}

export type App = ReturnType<typeof createApp>
