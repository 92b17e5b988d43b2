/** @jsxImportSource @kitajs/html */
import type { SiteStatus } from '../site-status'
import { Layout } from '../layout'

/** A full page for a missing playlist or job, so a stale link never shows a bare fragment. */
export function NotFoundPage({ message, status }: { message: string; status: SiteStatus }) {
  return (
    <Layout title="Not found" status={status}>
      <section class="card">
        <h1>Not found</h1>
        <p class="error" role="alert" safe>
          {message}
        </p>
        <p>
          <a href="/">← Back to the library</a>
        </p>
      </section>
    </Layout>
  )
}
