/** @jsxImportSource @kitajs/html */
import type { SiteStatus } from '../site-status'
import type { CookiesSummary } from '../../src/library/cookies'
import { CookiesSection } from '../fragments/cookies-section'
import { Layout } from '../layout'

/** `/settings/cookies`: the one server setting the UI changes. */
export function CookiesPage({ summary, status, saved }: { summary: CookiesSummary; status: SiteStatus; saved?: string }) {
  return (
    <Layout title="Cookies" status={status}>
      <p>
        <a href="/">← library</a>
      </p>
      <CookiesSection summary={summary} saved={saved} />
    </Layout>
  )
}
