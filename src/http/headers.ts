import { Elysia } from 'elysia'

/**
 * The pages load only what the app serves itself: htmx and the stylesheet from /assets,
 * fetches and forms to the same origin, audio from /media. No inline script, no inline
 * style, no eval (htmx 4 needs eval only for hx-on and trigger filters, which the views
 * do not use; its indicator CSS is turned off in the layout). `frame-ancestors 'none'`
 * and X-Frame-Options (for older browsers) stop other sites from framing the UI to trick
 * clicks on its buttons.
 */
export const CONTENT_SECURITY_POLICY = ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"].join('; ')

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
}

/** On every response, errors and early refusals included: set before any other hook runs. */
export const securityHeaders = new Elysia({ name: 'security-headers' }).onRequest(({ set }) => {
  Object.assign(set.headers, HEADERS)
})
