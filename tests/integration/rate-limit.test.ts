import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

test('429 backs the pool off exponentially, then recovers without failing the items', async () => {
  await using t = await testContext({ RATE_LIMIT_BACKOFF_SECONDS: '0.5' })
  const feed = await media.addFeed('limited', {
    title: 'Limited',
    items: [
      { name: 'l1', title: 'l1' },
      { name: 'l2', title: 'l2' },
      { name: 'l3', title: 'l3' },
    ],
  })
  const add = await t.addPlaylist(feed)
  media.setKind('l2', 'error429')
  const job = await t.startJob(add.id, 'download')
  // Let it hit the limit twice, then let the site recover.
  await waitUntil('two rate limits', async () => t.manager.downloadPool().consecutive_rate_limits >= 2, 10_000)
  const backingOff = (await t.api('GET', '/api/downloads')).json
  expect(backingOff).toMatchObject({ consecutive_rate_limits: 2, paused: false })
  expect(backingOff.reason).toContain('Rate limited')
  media.setKind('l2', 'video')
  const done = await t.manager.waitFor(job.id)
  expect(done).toMatchObject({ status: 'completed', download_completed: 3, download_failed: 0 })
  expect(t.manager.downloadPool()).toMatchObject({ paused: false, consecutive_rate_limits: 0 })
  const log = (await t.api('GET', `/api/jobs/${job.id}/log`)).json.map((e: any) => e.message)
  expect(log.filter((m: string) => m.startsWith('rate limited on l2'))).toHaveLength(2)
})

test('repeated 429s pause the download pool with a reason until resumed', async () => {
  await using t = await testContext({ RATE_LIMIT_BACKOFF_SECONDS: '0.2' })
  const feed = await media.addFeed('blocked', {
    title: 'Blocked',
    items: [
      { name: 'k1', title: 'k1', kind: 'error429' },
      { name: 'k2', title: 'k2' },
    ],
  })
  const add = await t.addPlaylist(feed)
  const job = await t.startJob(add.id, 'download')
  await waitUntil('the pool to pause', async () => t.manager.downloadPool().paused, 10_000)
  const pool = (await t.api('GET', '/api/downloads')).json
  expect(pool.paused).toBe(true)
  expect(pool.reason).toContain('too many requests')
  expect(pool.cookies_file_set).toBe(false)
  expect((await t.manager.get(job.id)).status).toBe('running')
  media.setKind('k1', 'video')
  expect((await t.api('POST', '/api/downloads/resume')).json.paused).toBe(false)
  const done = await t.manager.waitFor(job.id)
  expect(done).toMatchObject({ status: 'completed', download_completed: 2, download_failed: 0 })
})

test('SLEEP_BETWEEN_DOWNLOADS spaces every download start across all workers', async () => {
  await using t = await testContext({ SLEEP_BETWEEN_DOWNLOADS: '1.5', DOWNLOAD_CONCURRENCY: '2' })
  const feed = await media.addFeed('polite', { title: 'Polite', items: Array.from({ length: 3 }, (_, i) => ({ name: `po${i}`, title: `po${i}` })) })
  const add = await t.addPlaylist(feed)
  const firstSeen = new Map<number, number>()
  const stop = t.manager.subscribe(({ job }) => {
    for (const c of job.current) if (c.phase === 'download' && !firstSeen.has(c.video_id)) firstSeen.set(c.video_id, performance.now())
  })
  const done = await t.runJob(add.id, 'download')
  stop()
  expect(done).toMatchObject({ status: 'completed', download_completed: 3 })
  // A lower bound, not a timing benchmark: two free workers, yet the items began at least
  // 1.5 s apart. Measured at yt-dlp's per-item line, so allow 0.5 s for its own start-up to vary.
  const starts = [...firstSeen.values()].sort((a, b) => a - b)
  expect(starts).toHaveLength(3)
  for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(1000)
})
