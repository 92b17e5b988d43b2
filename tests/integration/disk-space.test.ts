// MIN_FREE_SPACE_MB against the real filesystem: a threshold above the disk's size makes
// "short of space" true here, without filling anything.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

test('short of space, downloads wait with a reason instead of failing; with space back they finish', async () => {
  await using t = await testContext({ MIN_FREE_SPACE_MB: '1000000000' })
  const feed = await media.addFeed('roomy', {
    title: 'Roomy',
    items: [
      { name: 'd1', title: 'd1' },
      { name: 'd2', title: 'd2' },
    ],
  })
  const add = await t.addPlaylist(feed)
  media.resetCounts()
  const job = await t.startJob(add.id, 'both')
  await waitUntil('the pool to pause', async () => t.manager.downloadPool().paused, 10_000)
  const pool = (await t.api('GET', '/api/downloads')).json
  expect(pool.paused).toBe(true)
  expect(pool.reason).toContain('MIN_FREE_SPACE_MB (1000000000 MB)')
  expect(pool.disk_free_bytes).toBeGreaterThan(0)
  // The banner is on every page.
  const home = await t.app.handle(new Request('http://localhost/'))
  expect(await home.text()).toContain('MIN_FREE_SPACE_MB')

  await Bun.sleep(1000)
  const waiting = await t.manager.get(job.id)
  expect(waiting).toMatchObject({ status: 'running', download_completed: 0, download_failed: 0 })
  for (const n of ['d1', 'd2']) expect(media.requests(n).total).toBe(0)

  // Still short: Resume reads the disk again and stays paused.
  expect((await t.api('POST', '/api/downloads/resume')).json.paused).toBe(true)
  // Space freed (the threshold lowered stands in for deleting files).
  ;(t.ctx.config as { minFreeSpaceMb: number }).minFreeSpaceMb = 1
  expect((await t.api('POST', '/api/downloads/resume')).json).toMatchObject({ paused: false, reason: null })
  const done = await t.manager.waitFor(job.id)
  expect(done).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 2, download_failed: 0 })
})

test('MIN_FREE_SPACE_MB=0 turns the guard off', async () => {
  await using t = await testContext({ MIN_FREE_SPACE_MB: '0' })
  const feed = await media.addFeed('unguarded', { title: 'Unguarded', items: [{ name: 'u1', title: 'u1' }] })
  const add = await t.addPlaylist(feed)
  const done = await t.runJob(add.id, 'download')
  expect(done).toMatchObject({ status: 'completed', download_completed: 1 })
  expect(t.manager.downloadPool()).toMatchObject({ paused: false, disk_free_bytes: null })
})
