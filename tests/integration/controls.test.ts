import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

describe('pause, resume, cancel, retry', () => {
  test('pause lets running items finish and starts no new ones; resume continues', async () => {
    await using t = await testContext({ EXTRACT_CONCURRENCY: '1' })
    using _slow = media.throttled(200_000)
    const feed = await media.addFeed('pausing', {
      title: 'Pausing',
      items: Array.from({ length: 5 }, (_, i) => ({ name: `p${i}`, title: `p${i}`, seconds: 3 })),
    })
    const add = await t.addPlaylist(feed)
    const job = await t.startJob(add.id, 'both')
    await waitUntil('first download', async () => (await t.manager.get(job.id)).download_completed >= 1)
    const paused = await t.api('POST', `/api/jobs/${job.id}/pause`)
    expect(paused.status).toBe(200)
    expect(paused.json).toMatchObject({ status: 'paused', download_status: 'paused' })
    // In-flight work drains, then nothing moves.
    await waitUntil('quiet', async () => (await t.manager.get(job.id)).current.length === 0)
    const frozen = await t.manager.get(job.id)
    await Bun.sleep(1500)
    const still = await t.manager.get(job.id)
    expect([still.download_completed, still.extract_completed]).toEqual([frozen.download_completed, frozen.extract_completed])
    expect(still.download_completed).toBeLessThan(5)
    const resumed = await t.api('POST', `/api/jobs/${job.id}/resume`)
    expect(resumed.json).toMatchObject({ status: 'running', download_status: 'running' })
    const done = await t.manager.waitFor(job.id)
    expect(done).toMatchObject({ status: 'completed', download_completed: 5, extract_completed: 5, download_failed: 0 })
    // Nothing was downloaded twice across the pause. yt-dlp may already have begun the
    // body of the item it was stopped at (the stop follows its before_dl line); that
    // .part is resumed, not fetched again, so each item reaches its end exactly once.
    for (let i = 0; i < 5; i++) {
      const t = media.transfers(`p${i}`)
      expect(t.complete + t.resumedToEnd).toBe(1)
    }
  })

  test('cancel kills the children, keeps finished files, frees the items', async () => {
    await using t = await testContext({ EXTRACT_CONCURRENCY: '1' })
    using _slow = media.throttled(150_000)
    const feed = await media.addFeed('cancelling', {
      title: 'Cancelling',
      items: Array.from({ length: 4 }, (_, i) => ({ name: `k${i}`, title: `k${i}`, seconds: 4 })),
    })
    const add = await t.addPlaylist(feed)
    const job = await t.startJob(add.id, 'both')
    await waitUntil('one done, one in flight', async () => {
      const j = await t.manager.get(job.id)
      return j.download_completed >= 1 && j.current.some((c) => c.phase === 'download')
    })
    const cancelled = await t.api('POST', `/api/jobs/${job.id}/cancel`)
    expect(cancelled.json.status).toBe('cancelled')
    expect((await t.api('POST', `/api/jobs/${job.id}/cancel`)).status).toBe(409)
    const videos: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    expect(videos.some((v) => v.download_state === 'downloaded')).toBe(true)
    expect(videos.filter((v) => v.download_state === 'downloading' || v.extract_state === 'extracting')).toEqual([])
    expect(readdirSync(join(t.dataDir, 'Cancelling', 'videos')).length).toBeGreaterThanOrEqual(1)
    // A new job can start right away and finishes the rest.
    media.setThrottle(null)
    const next = await t.runJob(add.id, 'both')
    expect((await t.api('GET', `/api/playlists/${add.id}`)).json.counts).toMatchObject({ downloaded: 4, extracted: 4 })
    expect(next.status).toBe('completed')
  })

  test('retry-failed takes exactly the failed items of both phases', async () => {
    await using t = await testContext()
    const feed = await media.addFeed('retrying', {
      title: 'Retrying',
      items: [
        { name: 'r-ok', title: 'ok' },
        { name: 'r-404', title: 'gone', kind: 'missing' },
        { name: 'r-bad', title: 'bad', kind: 'corrupt' },
      ],
    })
    const add = await t.addPlaylist(feed)
    const first = await t.runJob(add.id, 'both')
    expect(first).toMatchObject({ download_failed: 1, extract_failed: 1 })
    expect((await t.api('POST', `/api/playlists/${add.id}/retry-failed`)).status).toBe(202)
    const retry = await t.manager.waitFor((await t.manager.list({ playlist_id: add.id }))[0].id)
    // Still broken upstream: the same two fail again, nothing else is touched.
    expect(retry).toMatchObject({ download_total: 1, download_failed: 1, extract_total: 1, extract_failed: 1, extract_completed: 0 })
    // Once the site is fixed, a retry gets them.
    media.setKind('r-404', 'video')
    const fixed = await t.manager.waitFor((await t.api('POST', `/api/playlists/${add.id}/retry-failed`)).json.id)
    expect(fixed).toMatchObject({ download_completed: 1, extract_completed: 1, extract_failed: 1 })
    // The good item was never fetched again: one sniff and one download, all jobs together.
    expect(media.requests('r-ok').full).toBe(2)
  })
})

describe('concurrency', () => {
  test('twenty simultaneous job requests: exactly one 202, nineteen 409', async () => {
    await using t = await testContext()
    const feed = await media.addFeed('racing', { title: 'Racing', items: [{ name: 'z1', title: 'z1' }] })
    const add = await t.addPlaylist(feed)
    const results = await Promise.all(Array.from({ length: 20 }, () => t.api('POST', `/api/playlists/${add.id}/jobs`, { type: 'both' })))
    const codes = results.map((r) => r.status).sort()
    expect(codes.filter((c) => c === 202)).toHaveLength(1)
    expect(codes.filter((c) => c === 409)).toHaveLength(19)
    for (const r of results.filter((x) => x.status === 409)) expect(r.json.error).toContain('active job')
    await t.manager.waitFor(results.find((r) => r.status === 202)!.json.id)
  })

  test('two playlists share the pools: both jobs make progress at the same time', async () => {
    await using t = await testContext({ EXTRACT_CONCURRENCY: '1', FAIR_SHARE_SECONDS: '0' })
    using _slow = media.throttled(300_000)
    const a = await t.addPlaylist(
      await media.addFeed('fairA', { title: 'Fair A', items: Array.from({ length: 4 }, (_, i) => ({ name: `fa${i}`, title: `a${i}` })) }),
    )
    const b = await t.addPlaylist(
      await media.addFeed('fairB', { title: 'Fair B', items: Array.from({ length: 4 }, (_, i) => ({ name: `fb${i}`, title: `b${i}` })) }),
    )
    const ja = await t.startJob(a.id, 'download')
    const jb = await t.startJob(b.id, 'download')
    // With one download slot, B gets its turn before A has finished (A yields at an item boundary).
    const bStarted = await waitUntil('B to get a download done', async () => {
      const [x, y] = await Promise.all([t.manager.get(ja.id), t.manager.get(jb.id)])
      return y.download_completed >= 1 ? x : undefined
    })
    expect(bStarted.download_completed).toBeLessThan(4)
    await Promise.all([t.manager.waitFor(ja.id), t.manager.waitFor(jb.id)])
    expect((await t.manager.get(ja.id)).download_completed).toBe(4)
    expect((await t.manager.get(jb.id)).download_completed).toBe(4)
  })

  test('a high-priority job is served first by the download pool', async () => {
    await using t = await testContext()
    using _slow = media.throttled(300_000)
    const mk = async (name: string) =>
      t.addPlaylist(await media.addFeed(name, { title: name, items: Array.from({ length: 3 }, (_, i) => ({ name: `${name}${i}`, title: `${name}${i}` })) }))
    const [low1, low2, high] = [await mk('lowA'), await mk('lowB'), await mk('high')]
    const j1 = await t.startJob(low1.id, 'download')
    const j2 = await t.startJob(low2.id, 'download')
    const jh = await t.startJob(high.id, 'download', { priority: 'high' })
    expect(jh.priority).toBe('high')
    await t.manager.waitFor(jh.id)
    // When the high job finished, the normal ones had not.
    const [a, b] = await Promise.all([t.manager.get(j1.id), t.manager.get(j2.id)])
    expect(a.status === 'completed' && b.status === 'completed').toBe(false)
    await Promise.all([t.manager.waitFor(j1.id), t.manager.waitFor(j2.id)])
  })
})
