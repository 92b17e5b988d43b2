import { Elysia } from 'elysia'
import { DomainError, type ErrorKind, Unavailable } from '../errors'
import { ToolMissingError } from '../tools/spawn'

/** The HTTP status of each kind of domain error. */
const STATUS_OF: Record<ErrorKind, number> = { not_found: 404, conflict: 409, invalid: 422, unavailable: 503 }

/** A request whose shape the route cannot read (no file part, an unknown status in a list): 400, HTTP's own concern. */
export class BadRequest extends Error {}

/** "/type: Expected …" from Elysia's validation error, the first problem only. */
function validationMessage(error: unknown): string {
  const e = error as { all?: { path?: string; message?: string; summary?: string; schema?: { error?: string } }[]; message?: string }
  const first = e.all?.[0]
  if (!first) return 'invalid request'
  if (first.schema?.error) return first.schema.error
  const field = first.path?.replace(/^\//, '').replace(/\//g, '.')
  const summary = first.summary ?? first.message ?? 'is invalid'
  return field ? `${field}: ${summary}` : summary
}

const isApi = (request: Request) => new URL(request.url).pathname.startsWith('/api/')

/**
 * The one place errors become responses: JSON {"error"} for the API, a small HTML
 * fragment for pages (htmx 4 swaps 4xx bodies, so inline errors just appear).
 */
export const errorPlugin = new Elysia({ name: 'errors' }).onError({ as: 'global' }, ({ code, error, request, set }) => {
  let status = 500
  let message = 'internal error'
  let extra: Record<string, unknown> = {}
  if (error instanceof DomainError) {
    status = STATUS_OF[error.kind]
    message = error.message
    extra = error.extra
    if (error instanceof Unavailable && error.retryAfterSeconds !== undefined) set.headers['retry-after'] = String(error.retryAfterSeconds)
  } else if (error instanceof BadRequest) {
    status = 400
    message = error.message
  } else if (error instanceof ToolMissingError) {
    status = 503
    message = error.message
  } else if (code === 'VALIDATION') {
    status = 422
    message = validationMessage(error)
  } else if (code === 'PARSE') {
    status = 400
    message = 'the request body is not valid JSON or form data'
  } else if (code === 'NOT_FOUND') {
    status = 404
    message = 'not found'
  } else {
    console.error(error)
  }
  set.status = status
  if (isApi(request)) {
    set.headers['content-type'] = 'application/json; charset=utf-8'
    return JSON.stringify({ error: message, ...extra })
  }
  // @elysiajs/html leaves onError responses without a content type.
  set.headers['content-type'] = 'text/html; charset=utf-8'
  return `<p class="error" role="alert">${Bun.escapeHTML(message)}</p>`
})
