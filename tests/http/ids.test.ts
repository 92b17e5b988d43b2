import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { insertPlaylist } from '../../src/db/playlists'
import { testContext, type TestContext } from '../helpers/context'

let t: TestContext
let playlistId: number
beforeAll(async () => {
  t = await testContext()
  playlistId = (await insertPlaylist(t.ctx.db, { url: 'http://127.0.0.1:9/feed.xml', title: 'Ids', folder: 'Ids' })).id
})
afterAll(() => t.close())

/** Every form Number() reads as a number but a row id is never written as. */
const BAD_IDS = ['0x1', '1e0', '1e3', '1.0', '1.5', '-1', '0', '+1', '01', '%201', '1%20', 'Infinity', 'NaN', '9'.repeat(16), '1e20']

/** Read from the app itself, so a route added later is covered without editing this list. */
const idRoutes = () => t.app.routes.filter((r) => r.path.includes(':id')).map((r) => [r.method, r.path] as const)

async function send(method: string, path: string) {
  const res = await t.app.handle(new Request(`http://localhost${path}`, { method }))
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() }
}

describe('ids in paths are plain positive decimal numbers', () => {
  test('the app has id routes in every controller (the table below is not empty)', () => {
    expect(idRoutes().length).toBeGreaterThan(25)
  })

  test('every route with :id refuses every malformed id with 422 and a message naming the id', async () => {
    const wrong: string[] = []
    for (const [method, route] of idRoutes()) {
      for (const bad of BAD_IDS) {
        const res = await send(method, route.replace(':id', bad))
        const api = route.startsWith('/api/')
        const ok = res.status === 422 && res.text.includes('id must be a positive whole number') && res.type.includes(api ? 'application/json' : 'text/html')
        if (!ok) wrong.push(`${method} ${route} id=${bad}: ${res.status} ${res.text.slice(0, 80)}`)
      }
    }
    expect(wrong).toEqual([])
  })

  test('a well-formed id still reaches the handler', async () => {
    expect((await send('GET', `/api/playlists/${playlistId}`)).status).toBe(200)
    expect((await send('GET', `/playlists/${playlistId}`)).status).toBe(200)
    const missing = await send('GET', '/api/playlists/999999999999999')
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.text).error).toContain('not found')
  })
})

describe('paging and filter numbers are bounded', () => {
  test.each([
    ['/api/playlists/P?offset=1e20', 'offset'],
    ['/api/playlists/P?offset=1.5', 'offset'],
    ['/api/playlists/P?offset=-1', 'offset'],
    ['/api/playlists/P?offset=1000000000', 'offset'],
    ['/api/playlists/P?limit=1.5', 'limit'],
    ['/api/playlists/P?limit=501', 'limit'],
    ['/api/playlists/P?limit=0x10', 'limit'],
    ['/playlists/P?offset=1e20', 'offset'],
    ['/playlists/P/entries?offset=1e20', 'offset'],
    ['/api/jobs?limit=1.5', 'limit'],
    ['/api/jobs?limit=1001', 'limit'],
    ['/api/jobs?playlist_id=0x1', 'playlist_id'],
  ])('%s → 422 naming %s, not a 500', async (path, field) => {
    const res = await send('GET', path.replace('P', String(playlistId)))
    expect(res.status).toBe(422)
    expect(res.text).toContain(`${field} must be`)
  })

  test('the largest offset and limit allowed are served', async () => {
    const res = await send('GET', `/api/playlists/${playlistId}?offset=999999999&limit=500`)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toMatchObject({ videos: [], offset: 999999999, limit: 500 })
    expect((await send('GET', '/api/jobs?limit=1000&playlist_id=1')).status).toBe(200)
  })
})
