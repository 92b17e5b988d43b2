// MEDIA_SERVER: after a job that added files, Jellyfin or Plex (local receivers on 127.0.0.1)
// is asked to rescan; a failing or absent one is a log line, never a job failure.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'

const TOKEN = 'tok-3f9a1c2e8b7d'
let media: MediaServer
let receiver: ReturnType<typeof Bun.serve>
const received: { method: string; path: string; search: string; headers: Record<string, string> }[] = []
let answer = 204

beforeAll(async () => {
  media = await startMediaServer()
  receiver = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req) {
      const url = new URL(req.url)
      const headers: Record<string, string> = {}
      req.headers.forEach((value, name) => {
        headers[name] = value
      })
      received.push({ method: req.method, path: url.pathname, search: url.search, headers })
      if (url.pathname.startsWith('/moved')) return Response.redirect(`http://127.0.0.1:${receiver.port}/elsewhere`, 302)
      return new Response(null, { status: answer })
    },
  })
})
afterAll(async () => {
  receiver.stop(true)
  await media.stop()
})

const logOf = async (t: TestContext, jobId: number): Promise<string[]> => (await t.api('GET', `/api/jobs/${jobId}/log`)).json.map((e: any) => e.message)

async function oneJob(t: TestContext, feedName: string) {
  const feed = await media.addFeed(feedName, { title: feedName, items: [{ name: `${feedName}-1`, title: 'one' }] })
  const add = await t.addPlaylist(feed)
  received.length = 0
  return { add, job: await t.runJob(add.id, 'download') }
}

test('Jellyfin: POST /Library/Refresh with the MediaBrowser token header, once per job that added files', async () => {
  await using t = await testContext({ MEDIA_SERVER: 'jellyfin', MEDIA_SERVER_URL: `http://127.0.0.1:${receiver.port}/jf/`, MEDIA_SERVER_TOKEN: TOKEN })
  const { add, job } = await oneJob(t, 'jelly')
  expect(job.status).toBe('completed')
  await waitUntil('the refresh log line', async () => (await logOf(t, job.id)).includes('Jellyfin asked to rescan its libraries'), 10_000)
  expect(received).toHaveLength(1)
  expect(received[0]).toMatchObject({ method: 'POST', path: '/jf/Library/Refresh', search: '' })
  expect(received[0].headers.authorization).toBe(`MediaBrowser Token="${TOKEN}"`)
  // A job that adds nothing leaves the media server alone.
  received.length = 0
  const idle = await t.runJob(add.id, 'download')
  expect(idle).toMatchObject({ status: 'completed', download_completed: 0 })
  // Shutting down waits for the posts still in flight, so a refresh sent by mistake would be here by now.
  await t.manager.shutdown()
  expect(await logOf(t, idle.id)).not.toContain('Jellyfin asked to rescan its libraries')
  expect(received).toHaveLength(0)
})

test('Plex: GET /library/sections/all/refresh with X-Plex-Token as a header, never in the URL', async () => {
  await using t = await testContext({ MEDIA_SERVER: 'plex', MEDIA_SERVER_URL: `http://127.0.0.1:${receiver.port}`, MEDIA_SERVER_TOKEN: TOKEN })
  answer = 200
  try {
    const { job } = await oneJob(t, 'plexed')
    await waitUntil('the refresh log line', async () => (await logOf(t, job.id)).includes('Plex asked to rescan its libraries'), 10_000)
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ method: 'GET', path: '/library/sections/all/refresh', search: '' })
    expect(received[0].headers['x-plex-token']).toBe(TOKEN)
  } finally {
    answer = 204
  }
})

test.each([
  ['an error status', () => `http://127.0.0.1:${receiver.port}/broken`, 'HTTP 500'],
  ['a redirect (not followed: it could carry the token elsewhere)', () => `http://127.0.0.1:${receiver.port}/moved`, 'HTTP 302 (a redirect, not followed)'],
  ['a refused connection', () => `http://127.0.0.1:${closedPort}`, ''],
])('%s is a line in the job log and the server log; the job stays completed and no line holds the token', async (_what, url, why) => {
  const serverLog: string[] = []
  await using t = await testContext({ MEDIA_SERVER: 'jellyfin', MEDIA_SERVER_URL: url(), MEDIA_SERVER_TOKEN: TOKEN })
  t.ctx.log = (m) => serverLog.push(m)
  answer = 500
  try {
    const { job } = await oneJob(t, `failing-${why.length}`)
    expect(job.status).toBe('completed')
    const line = await waitUntil('the failure line', async () => (await logOf(t, job.id)).find((m) => m.startsWith('Jellyfin library refresh at')), 15_000)
    expect(line).toContain(`failed: ${why}`)
    expect(serverLog.some((m) => m.includes('Jellyfin library refresh at'))).toBe(true)
    expect((await t.api('GET', `/api/jobs/${job.id}`)).json.status).toBe('completed')
    for (const m of [...(await logOf(t, job.id)), ...serverLog]) expect(m).not.toContain(TOKEN)
    // Only the first hop was asked.
    expect(received.filter((r) => r.path === '/elsewhere')).toHaveLength(0)
  } finally {
    answer = 204
  }
})

/** A port nobody listens on: one a server held and let go. */
const closedPort = (() => {
  const s = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
  const port = s.port
  s.stop(true)
  return port
})()
