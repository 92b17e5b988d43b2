// Domain errors carry a kind; HTTP and the CLI each map it in one place.
import { expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { memoryIo } from '../../src/cli/io'
import { reportError } from '../../src/cli/main'
import { Conflict, type DomainError, type ErrorKind, Invalid, NotFound, Unavailable } from '../../src/errors'
import { errorPlugin } from '../../src/http/errors'

const cases: [ErrorKind, number, number, DomainError][] = [
  ['not_found', 404, 2, new NotFound('playlist 7')],
  ['conflict', 409, 2, new Conflict('busy', { job_id: 3 })],
  ['invalid', 422, 2, new Invalid('url is required')],
  ['unavailable', 503, 1, new Unavailable('too busy', 5)],
]

test.each(cases)('%s: HTTP %d, exit %d', async (kind, status, exit, err) => {
  expect(err.kind).toBe(kind)
  const app = new Elysia().use(errorPlugin).get('/api/x', () => {
    throw err
  })
  const res = await app.handle(new Request('http://localhost/api/x'))
  expect(res.status).toBe(status)
  expect(await res.json()).toEqual({ error: err.message, ...err.extra })
  const io = memoryIo()
  expect(reportError(err, null, io)).toBe(exit)
  expect(io.stderr.split('\n')[0]).toBe(`yt-serve: ${err.message}`)
})

test('only an Unavailable with a wait sends Retry-After', async () => {
  const app = new Elysia()
    .use(errorPlugin)
    .get('/api/busy', () => {
      throw new Unavailable('too busy', 5)
    })
    .get('/api/down', () => {
      throw new Unavailable('storage lost')
    })
  const busy = await app.handle(new Request('http://localhost/api/busy'))
  expect([busy.headers.get('retry-after'), await busy.json()]).toEqual(['5', { error: 'too busy', retry_after: 5 }])
  const down = await app.handle(new Request('http://localhost/api/down'))
  expect([down.headers.get('retry-after'), await down.json()]).toEqual([null, { error: 'storage lost' }])
})

test('NotFound names what is missing, with an optional hint', () => {
  expect(new NotFound('playlist 3').message).toBe('playlist 3 not found')
  expect(new NotFound('playlist 3', '"yt-serve status" lists them').message).toBe('playlist 3 not found ("yt-serve status" lists them)')
})
