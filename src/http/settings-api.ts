import { Elysia } from 'elysia'
import { listSettings, updateSettings } from '../settings/service'
import type { Deps } from './deps'
import { models } from './models'

/** The node's settings: every one with its source; the changeable ones saved (for this node or every node: ?scope=) and applied at once. */
export function settingsApi({ ctx, manager }: Deps) {
  return new Elysia({ name: 'settings-api', prefix: '/api/settings' })
    .get('/', async () => ({ settings: await listSettings(ctx) }), { response: { 200: models.settingsList } })
    .patch('/', async ({ body, query }) => ({ settings: await updateSettings(ctx, body, () => manager.settingsChanged(), query.scope) }), {
      body: models.settingsPatch,
      query: models.settingsScope,
      response: { 200: models.settingsList },
    })
}
