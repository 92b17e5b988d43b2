// NOTIFY_URL: a real HTTP receiver on 127.0.0.1 gets the finished job; a broken one never hurts the job.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'

let media: MediaServer
let receiver: ReturnType<typeof Bun.serve>
const received: { path: string; type: string | null; body: any }[] = []
let answer = 200

beforeAll(async () => {
  media = await startMediaServer()
  receiver = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      received.push({ path: new URL(req.url).pathname, type: req.headers.get('content-type'), body: await req.json() })
      return new Response('ok', { status: answer })
    },
  })
})
afterAll(async () => {
  receiver.stop(true)
  await media.stop()
})

test('a finished job is posted once, as JSON that Gotify, Slack and Discord all read', async () => {
  await using t = await testContext({ NOTIFY_URL: `http://127.0.0.1:${receiver.port}/hook` })
  const feed = await media.addFeed('notified', {
    title: 'Notified <Feed>',
    items: [
      { name: 'ok1', title: 'ok' },
      { name: 'gone1', title: 'gone', kind: 'missing' },
    ],
  })
  const add = await t.addPlaylist(feed)
  received.length = 0
  const job = await t.runJob(add.id, 'both')
  await waitUntil('the notification', async () => received.length > 0, 10_000)
  await Bun.sleep(200)
  expect(received).toHaveLength(1)
  const [n] = received
  expect(n.path).toBe('/hook')
  expect(n.type).toBe('application/json')
  const message = `⚠ Notified <Feed>: both job #${job.id} completed: 1 downloaded, 1 extracted, 1 failed`
  expect(n.body).toMatchObject({ event: 'job.finished', title: 'yt-serve: Notified <Feed>', message, text: message, content: message })
  expect(n.body.playlist).toEqual({ id: add.id, title: 'Notified <Feed>' })
  expect(n.body.job).toMatchObject({ id: job.id, status: 'completed', download_failed: 1 })
})

test('a receiver that fails is logged in the job log; the job is not affected', async () => {
  const t = await testContext({ NOTIFY_URL: `http://127.0.0.1:${receiver.port}/broken` })
  answer = 500
  try {
    const feed = await media.addFeed('unheard', { title: 'Unheard', items: [{ name: 'u-ok', title: 'ok' }] })
    const add = await t.addPlaylist(feed)
    const job = await t.runJob(add.id, 'download')
    expect(job.status).toBe('completed')
    const log = async (): Promise<string[]> => (await t.api('GET', `/api/jobs/${job.id}/log`)).json.map((e: any) => e.message)
    await waitUntil('the log line', async () => (await log()).some((m) => m.includes('NOTIFY_URL')), 5_000)
    expect(await log()).toContain('notification to NOTIFY_URL failed: HTTP 500')
    expect((await t.api('GET', `/api/jobs/${job.id}`)).json.status).toBe('completed')
  } finally {
    answer = 200
    await t.close()
  }
})
