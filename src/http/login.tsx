/** @jsxImportSource @kitajs/html */
import { Elysia, t } from 'elysia'
import type { Config } from '../config'
import type { DB } from '../db/open'
import { LoginPage } from '../../views/pages/login'
import { clientAddress, requestOrigin, sameSecret } from './security'
import { cookieValue, endSession, SESSION_COOKIE, sessionCookie, startSession } from './sessions'
import type { FailureThrottle } from './throttle'

/**
 * The small login form that turns AUTH_TOKEN into a random server-side session (an HttpOnly,
 * SameSite=Strict cookie), and the logout that ends it. Wrong tokens share the API's back-off.
 */
export function loginController(config: Config, db: DB, throttle: FailureThrottle) {
  // Secure only over HTTPS (directly or behind a trusted proxy): browsers drop Secure cookies sent
  // over plain http, and a LAN install on http://host:8000 must still be able to log in.
  const https = (request: Request) => requestOrigin(request, config.trustProxy).scheme === 'https'
  return new Elysia({ name: 'login' })
    .get('/login', () => <LoginPage enabled={config.authToken !== null} />)
    .post(
      '/login',
      async ({ body, set, request, server }) => {
        if (!config.authToken) return new Response(null, { status: 303, headers: { location: '/' } })
        const client = clientAddress(request, server, config.trustProxy)
        const wait = throttle.retryAfter(client)
        if (wait > 0) {
          set.status = 429
          set.headers['retry-after'] = String(wait)
          return <LoginPage enabled error={`Too many wrong tokens from this address; try again in ${wait} s.`} />
        }
        if (!sameSecret(body.token, config.authToken)) {
          throttle.fail(client)
          set.status = 401
          return <LoginPage enabled error="That token is not right." />
        }
        throttle.succeed(client)
        const session = await startSession(db, config.authToken, config.sessionDays)
        return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': sessionCookie(session.id, session.maxAgeSeconds, https(request)) } })
      },
      { body: t.Object({ token: t.String({ maxLength: 1000 }) }) },
    )
    .post('/logout', async ({ request }) => {
      await endSession(db, cookieValue(request.headers.get('cookie'), SESSION_COOKIE))
      return new Response(null, {
        status: 303,
        headers: { location: config.authToken ? '/login' : '/', 'set-cookie': sessionCookie('', 0, https(request)) },
      })
    })
}
