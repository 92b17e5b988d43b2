/** @jsxImportSource @kitajs/html */
import { Elysia, t } from 'elysia'
import type { Config } from '../config'
import { LoginPage } from '../../views/pages/login'
import { sameSecret, SESSION_COOKIE, sessionValue } from './security'

/** The small login form that turns AUTH_TOKEN into an HttpOnly, SameSite=Strict session cookie. */
export function loginController(config: Config) {
  return new Elysia({ name: 'login' })
    .get('/login', () => <LoginPage enabled={config.authToken !== null} />)
    .post(
      '/login',
      ({ body, set, request }) => {
        if (!config.authToken) return new Response(null, { status: 303, headers: { location: '/' } })
        if (!sameSecret(body.token, config.authToken)) {
          set.status = 401
          return <LoginPage enabled error="That token is not right." />
        }
        // Secure only over HTTPS (directly or behind a proxy): browsers drop Secure cookies sent over
        // plain http, and a LAN install on http://host:8000 must still be able to log in.
        const https = new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https'
        const secure = https ? '; Secure' : ''
        return new Response(null, {
          status: 303,
          headers: {
            location: '/',
            'set-cookie': `${SESSION_COOKIE}=${sessionValue(config.authToken)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000${secure}`,
          },
        })
      },
      { body: t.Object({ token: t.String({ maxLength: 1000 }) }) },
    )
}
