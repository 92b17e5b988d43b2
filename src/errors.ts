/**
 * Domain errors. The HTTP error plugin maps them to status codes, the CLI to exit
 * codes; nothing below src/http knows about HTTP.
 */
export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export class NotFound extends AppError {
  constructor(what: string) {
    super(`${what} not found`, 404)
  }
}

export class Conflict extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, 409, extra)
  }
}

/** The request was well-formed but its content is unusable (bad URL, unreadable playlist). */
export class Unprocessable extends AppError {
  constructor(message: string) {
    super(message, 422)
  }
}

export class BadRequest extends AppError {
  constructor(message: string) {
    super(message, 400)
  }
}

/** Too busy right now, not wrong: the client should try again after `retryAfterSeconds`. */
export class ServiceUnavailable extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 503, { retry_after: retryAfterSeconds })
  }
}
