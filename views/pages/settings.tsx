/** @jsxImportSource @kitajs/html */
import type { CookiesSummary } from '../../src/library/cookies'
import type { SettingState } from '../../src/settings/service'
import type { SiteStatus } from '../site-status'
import { formatUtc, plural } from '../format'
import { type NodeScope, SettingRow, SourceBadge } from '../fragments/setting-row'
import { Layout } from '../layout'

function shown(value: SettingState['value']): string {
  if (value === null) return 'none'
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none'
  return String(value)
}

function CookiesRow({ cookies }: { cookies: CookiesSummary }) {
  const up = cookies.uploaded
  const state =
    cookies.source === 'env'
      ? 'set (COOKIES_FILE)'
      : up
        ? `set: uploaded ${formatUtc(up.set_at)} · ${plural(up.cookies, 'cookie')} for ${plural(up.domains, 'domain')}`
        : 'not set'
  return (
    <section class="setting-cookies" aria-labelledby="cookies-heading">
      <h2 id="cookies-heading">Cookies</h2>
      <p>
        <span safe>{`Cookies for yt-dlp: ${state}.`}</span> <a href="/settings/cookies">Upload or remove the cookies file</a>
      </p>
    </section>
  )
}

/**
 * `/settings`: every server setting and where its value came from. The changeable ones are
 * forms saved in the database and in force at once; the others name the variable to set.
 * Secrets say only "set" or "not set".
 */
export function SettingsPage({ settings, node, cookies, status }: { settings: SettingState[]; node: NodeScope; cookies: CookiesSummary; status: SiteStatus }) {
  const changeable = settings.filter((s) => s.changeable)
  const fixed = settings.filter((s) => !s.changeable)
  return (
    <Layout title="Settings" status={status}>
      <h1>Server settings</h1>
      <p class="muted">
        A value comes from a command-line flag, the environment, the <code>.env</code> file or the default, in that order; a value saved here wins over all of
        them until you reset it.
      </p>
      <section aria-labelledby="changeable-heading">
        <h2 id="changeable-heading">Changeable while running</h2>
        <p class="muted">Saved in the database and in force at once: the next download or extraction uses it, without a restart.</p>
        <p class="muted">
          <span safe>{`This page shows node ${node.name}.`}</span> Concurrency and the rate limit can be saved for this node only (source <em>node</em>), which
          wins over a value saved for every node (source <em>database</em>); other nodes take a value saved for every node at their next start.
        </p>
        <div class="setting-rows">
          {changeable.map((s) => (
            <SettingRow setting={s} node={node} />
          ))}
        </div>
      </section>
      <CookiesRow cookies={cookies} />
      <section aria-labelledby="fixed-heading">
        <h2 id="fixed-heading">Set in the environment</h2>
        <p class="muted">To change one, set its variable (or the .env file) and restart yt-serve.</p>
        <div class="table-wrap">
          <table class="settings-table">
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Value</th>
                <th scope="col">Source</th>
                <th scope="col">Variable</th>
              </tr>
            </thead>
            <tbody>
              {fixed.map((s) => (
                <tr id={`setting-${s.name}`}>
                  <th scope="row">
                    <span safe>{s.label}</span>
                    <div class="muted setting-hint" safe>
                      {s.hint}
                    </div>
                  </th>
                  <td class="setting-value" safe>
                    {shown(s.value)}
                  </td>
                  <td>
                    <SourceBadge source={s.source} />
                  </td>
                  <td>
                    <code safe>{s.variable}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  )
}
