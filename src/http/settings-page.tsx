/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { Invalid } from '../errors'
import { cookiesSummary } from '../library/cookies'
import { type SettingScope, settingNamed } from '../settings/catalog'
import { defaultScope, listSettings, type SettingsPatch, settingState, updateSettings } from '../settings/service'
import { SettingRow } from '../../views/fragments/setting-row'
import { SettingsPage } from '../../views/pages/settings'
import type { Deps } from './deps'
import { models } from './models'
import { siteStatus } from './site-status'

/** The settings page and its row forms: the same service as PATCH /api/settings, a row back. */
export function settingsPageController(deps: Deps) {
  const { ctx, manager } = deps
  const page = async () => (
    <SettingsPage
      settings={await listSettings(ctx)}
      node={{ name: ctx.config.nodeName, scope: defaultScope(ctx.config) }}
      cookies={cookiesSummary(ctx.config)}
      status={siteStatus(deps)}
    />
  )
  const change = async (request: Request, name: string, patch: SettingsPatch, note: (source: string) => string, scope?: SettingScope) => {
    await updateSettings(ctx, patch, () => manager.settingsChanged(), scope).catch((err) => {
      // The form speaks in its labels: "Download concurrency must be between 1 and 32, got 0".
      const s = settingNamed(name)
      throw err instanceof Invalid && s?.changeable && err.message.startsWith(s.variable) ? new Invalid(s.label + err.message.slice(s.variable.length)) : err
    })
    // Without htmx the form posted the whole page away: show the page again.
    if (!request.headers.get('hx-request')) return page()
    const setting = await settingState(ctx, name)
    return <SettingRow setting={setting} node={{ name: ctx.config.nodeName, scope: defaultScope(ctx.config) }} note={note(setting.source)} />
  }
  return new Elysia({ name: 'settings-page' })
    .get('/settings', page)
    .post(
      '/settings/:name',
      ({ params, body, request }) =>
        change(
          request,
          params.name,
          { [params.name]: body.value },
          (source) => (source === 'node' ? `Saved for this node (${ctx.config.nodeName}): in force now` : 'Saved: in force now'),
          settingNamed(params.name)?.perNode ? body.scope : undefined,
        ),
      {
        params: models.settingName,
        body: models.settingForm,
      },
    )
    .post(
      '/settings/:name/reset',
      ({ params, request }) =>
        change(request, params.name, { [params.name]: null }, (source) =>
          source === 'default' ? 'Reset to the default' : `Reset to the value from ${source}`,
        ),
      { params: models.settingName },
    )
}
