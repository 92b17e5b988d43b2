import { Elysia } from 'elysia'
import { listSettings, updateSettings } from '../settings/service'
import type { Deps } from './deps'
import { models } from './models'

/** The server's settings: every one with its source; the changeable ones saved and applied at once. */
export function settingsApi({ ctx, manager }: Deps) {
  return new Elysia({ name: 'settings-api', prefix: '/api/settings' })
    .get('/', async () => ({ settings: await listSettings(ctx) }), { response: { 200: models.settingsList } })
    .patch('/', async ({ body }) => ({ settings: await updateSettings(ctx, body, () => manager.settingsChanged()) }), {
      body: models.settingsPatch,
      response: { 200: models.settingsList },
    })
}
