// Server settings changed while a job runs (PATCH /api/settings): the download pool takes its
// new size at once, with the real yt-dlp against the fixture media server.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { parseConfig } from '../../src/config'
import { openContext } from '../../src/server'
import { testContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'

let media: MediaServer
beforeAll(async () => {
  media = await startMediaServer()
})
afterAll(async () => {
  await media.stop()
})

const downloading = async (t: Awaited<ReturnType<typeof testContext>>, jobId: number) =>
  (await t.manager.get(jobId)).current.some((c) => c.phase === 'download')

test('raising download_concurrency during a job starts a second yt-dlp without a restart', async () => {
  await using t = await testContext({ DOWNLOAD_CONCURRENCY: '1' })
  const feedA = await media.addFeed('live-a', { title: 'Live A', items: [{ name: 'live-a', title: 'A', seconds: 1 }] })
  const feedB = await media.addFeed('live-b', { title: 'Live B', items: [{ name: 'live-b', title: 'B', seconds: 1 }] })
  // Both items trickle until released: each holds its download slot for as long as the test needs.
  const releases = [media.holdBack('live-a'), media.holdBack('live-b')]
  try {
    const a = await t.addPlaylist(feedA)
    const b = await t.addPlaylist(feedB)
    const jobA = await t.startJob(a.id, 'download')
    await waitUntil('A to hold the only download slot', () => downloading(t, jobA.id))
    const jobB = await t.startJob(b.id, 'download')
    await waitUntil('B to have its entry queued', async () => (await t.manager.get(jobB.id)).download_total === 1)
    // One worker, and A's chunk holds it: B waits.
    expect(await downloading(t, jobB.id)).toBe(false)
    expect(media.requests('live-b').total).toBe(0)

    const patched = await t.api('PATCH', '/api/settings', { download_concurrency: 2 })
    expect(patched.status).toBe(200)
    expect(patched.json.settings.find((s: any) => s.name === 'download_concurrency')).toMatchObject({ value: 2, source: 'database' })

    // B starts while A is still held: two yt-dlp processes at once, with no restart in between.
    await waitUntil('B to start downloading', () => downloading(t, jobB.id))
    expect(await downloading(t, jobA.id)).toBe(true)
    expect(t.manager.downloadPool().paused).toBe(false)
  } finally {
    for (const release of releases) release()
  }
  const jobs = (await t.api('GET', '/api/jobs')).json as { id: number }[]
  for (const j of jobs) expect(await t.manager.waitFor(j.id)).toMatchObject({ status: 'completed', download_completed: 1 })
}, 60_000)

test('a saved value survives a restart and wins over the environment; a reset goes back to it', async () => {
  await using t = await testContext({ DOWNLOAD_CONCURRENCY: '1', RATE_LIMIT: '1M' })
  expect((await t.api('PATCH', '/api/settings', { rate_limit: '2M', download_window: '01:00-07:00' })).status).toBe(200)
  expect(t.ctx.config.rateLimit).toBe(2 * 1024 * 1024)
  expect(t.manager.downloadPool().window).toBe('01:00–07:00')
  // A second start on the same data dir (RATE_LIMIT=1M in its environment) runs with the saved values.
  const again = await openContext(parseConfig({ DATA_DIR: t.dataDir, RATE_LIMIT: '1M' }), () => {})
  try {
    expect(again.config.rateLimit).toBe(2 * 1024 * 1024)
    expect(again.config.downloadWindow?.text).toBe('01:00–07:00')
    expect(again.config.startup.values.rateLimit).toBe(1024 * 1024)
    expect(again.config.startup.sources.rateLimit).toBe('env')
  } finally {
    await again.db.destroy()
  }
  const reset = await t.api('PATCH', '/api/settings', { download_window: null })
  expect(reset.json.settings.find((s: any) => s.name === 'download_window')).toMatchObject({ value: null, source: 'default' })
  expect(t.manager.downloadPool().window).toBeNull()
  expect(reset.json.settings.find((s: any) => s.name === 'rate_limit')).toMatchObject({ value: 2 * 1024 * 1024, source: 'database' })
}, 60_000)
