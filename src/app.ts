import { html } from '@elysiajs/html'
import { Elysia } from 'elysia'
import type { Deps } from './http/deps'
import { downloadPoolController } from './http/download-pool'
import { downloadsApi } from './http/downloads-api'
import { errorPlugin } from './http/errors'
import { exportController } from './http/export'
import { eventsApi } from './http/events-api'
import { healthController } from './http/health'
import { jobsApi } from './http/jobs-api'
import { assetsController } from './http/assets'
import { jobCardsController } from './http/job-cards'
import { jobLogController } from './http/job-log'
import { mediaController } from './http/media'
import { pagesController } from './http/pages'
import { playlistFormsController } from './http/playlist-forms'
import { playlistSettingsController } from './http/playlist-settings'
import { playlistsApi } from './http/playlists-api'
import { loginController } from './http/login'
import { securityPlugin } from './http/security'
import { ytdlpApi } from './http/ytdlp-api'
import { ytdlpPanelController } from './http/ytdlp-panel'

/** Builds the whole HTTP app from its dependencies; tests call app.handle() on it. */
export function createApp(deps: Deps) {
  return new Elysia({ serve: { maxRequestBodySize: deps.ctx.config.maxBodyBytes } })
    .use(securityPlugin(deps.ctx.config))
    .use(errorPlugin)
    .use(html())
    .use(loginController(deps.ctx.config))
    .use(healthController(deps.ctx))
    .use(playlistsApi(deps))
    .use(jobsApi(deps))
    .use(assetsController)
    .use(pagesController(deps))
    .use(playlistFormsController(deps))
    .use(playlistSettingsController(deps))
    .use(jobCardsController(deps))
    .use(jobLogController(deps))
    .use(downloadPoolController(deps))
    .use(mediaController(deps))
    .use(eventsApi(deps))
    .use(downloadsApi(deps))
    .use(exportController(deps))
    .use(ytdlpApi(deps))
    .use(ytdlpPanelController(deps))
}

export type App = ReturnType<typeof createApp>
