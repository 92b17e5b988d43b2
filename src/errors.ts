/**
 * Domain errors: what went wrong, as a kind, never as a status. The HTTP error plugin
 * (src/http/errors.ts) maps a kind to a status code, the CLI (src/cli/main.ts) to an exit
 * code; nothing outside those two knows about either.
 */
export type ErrorKind =
  /** The thing asked for does not exist. */
  | 'not_found'
  /** It exists, but its state forbids the request (an active job, a duplicate, a lock). */
  | 'conflict'
  /** The request was well-formed but its content is unusable (bad URL, unreadable playlist). */
  | 'invalid'
  /** Not wrong, but not possible now (too busy, storage lost, a damaged database). */
  | 'unavailable'

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** More fields for the API's JSON answer beside "error" (the id of the job in the way, say). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export class NotFound extends DomainError {
  /** `hint`: where to look instead, in parentheses after "not found". */
  constructor(what: string, hint?: string) {
    super('not_found', `${what} not found${hint ? ` (${hint})` : ''}`)
  }
}

export class Conflict extends DomainError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super('conflict', message, extra)
  }
}

export class Invalid extends DomainError {
  constructor(message: string) {
    super('invalid', message)
  }
}

/** With `retryAfterSeconds`, too busy rather than broken: the client should try again then. */
export class Unavailable extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super('unavailable', message, retryAfterSeconds === undefined ? {} : { retry_after: retryAfterSeconds })
  }
}
