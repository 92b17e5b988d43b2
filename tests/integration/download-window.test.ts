// DOWNLOAD_WINDOW with the real scheduler and yt-dlp: windows are set around the real clock.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { parseTimeWindow } from '../../src/library/window'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

/** A window from now + `from` to now + `to` minutes, local time, as DOWNLOAD_WINDOW spells it. */
function windowAround(from: number, to: number): string {
  const hhmm = (offset: number) => {
    const d = new Date(Date.now() + offset * 60_000)
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
  }
  return `${hhmm(from)}-${hhmm(to)}`
}

test('outside the window jobs wait, fetching nothing, and say when downloads start; inside it they run', async () => {
  await using t = await testContext({ DOWNLOAD_WINDOW: windowAround(120, 180) })
  const feed = await media.addFeed('nightly', {
    title: 'Nightly',
    items: [
      { name: 'n1', title: 'n1' },
      { name: 'n2', title: 'n2' },
    ],
  })
  const add = await t.addPlaylist(feed)
  media.resetCounts()
  const job = await t.startJob(add.id, 'both')
  await Bun.sleep(1500)
  const pool = (await t.api('GET', '/api/downloads')).json
  expect(pool.paused).toBe(false)
  expect(pool.window).toMatch(/^\d\d:\d\d–\d\d:\d\d$/)
  const wait = Date.parse(pool.window_opens_at) - Date.now()
  expect(wait).toBeGreaterThan(118 * 60_000)
  expect(wait).toBeLessThan(121 * 60_000)
  expect(await t.manager.get(job.id)).toMatchObject({ status: 'running', download_completed: 0, download_failed: 0 })
  for (const n of ['n1', 'n2']) expect(media.requests(n).total).toBe(0)
  // The job says why it sits there, once.
  const log: string[] = (await t.api('GET', `/api/jobs/${job.id}/log`)).json.map((e: any) => e.message)
  expect(log.filter((m) => m.startsWith('outside the download window ('))).toHaveLength(1)

  // The window now holds the present (as it will once the clock gets there).
  ;(t.ctx.config as { downloadWindow: unknown }).downloadWindow = parseTimeWindow(windowAround(-60, 60))
  await t.api('POST', '/api/downloads/resume')
  const done = await t.manager.waitFor(job.id)
  expect(done).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 2 })
  expect((await t.api('GET', '/api/downloads')).json.window_opens_at).toBeNull()
})

test('when the window closes mid-job, the item in progress finishes and the rest wait for the next opening', async () => {
  await using t = await testContext({ DOWNLOAD_WINDOW: windowAround(-60, 60), EXTRACT_CONCURRENCY: '1' })
  using _slow = media.throttled(150_000)
  const feed = await media.addFeed('closing', {
    title: 'Closing',
    items: Array.from({ length: 5 }, (_, i) => ({ name: `c${i}`, title: `c${i}`, seconds: 3 })),
  })
  const add = await t.addPlaylist(feed)
  const job = await t.startJob(add.id, 'download')
  await waitUntil('a first download', async () => (await t.manager.get(job.id)).download_completed >= 1, 15_000)
  ;(t.ctx.config as { downloadWindow: unknown }).downloadWindow = parseTimeWindow(windowAround(120, 180))
  await waitUntil('the item in flight to finish', async () => (await t.manager.get(job.id)).current.length === 0, 15_000)
  const held = await t.manager.get(job.id)
  await Bun.sleep(1000)
  const still = await t.manager.get(job.id)
  expect(still.download_completed).toBe(held.download_completed)
  expect(still.download_completed).toBeLessThan(5)
  expect(still).toMatchObject({ status: 'running', download_failed: 0 })
  expect((await t.api('GET', '/api/downloads')).json.window_opens_at).not.toBeNull()

  // Still throttled: unthrottled, yt-dlp's type-sniffing GET would receive whole small files and blur the count.
  ;(t.ctx.config as { downloadWindow: unknown }).downloadWindow = parseTimeWindow(windowAround(-60, 60))
  await t.api('POST', '/api/downloads/resume')
  expect(await t.manager.waitFor(job.id)).toMatchObject({ status: 'completed', download_completed: 5, download_failed: 0 })
  // The items that waited were fetched once, not restarted from scratch twice.
  for (let i = 0; i < 5; i++) {
    const c = media.transfers(`c${i}`)
    expect(c.complete + c.resumedToEnd).toBe(1)
  }
})
