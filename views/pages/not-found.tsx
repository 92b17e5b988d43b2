/** @jsxImportSource @kitajs/html */
import { Layout } from '../layout'

/** A full page for a missing playlist, so a stale link never shows a bare fragment. */
export function NotFoundPage({ message }: { message: string }) {
  return (
    <Layout title="Not found">
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
