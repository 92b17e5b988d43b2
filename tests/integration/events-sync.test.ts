import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { startServerProcess } from '../helpers/server-process'
import { readSse } from '../helpers/sse'
import { SyncScheduler } from '../../src/playlists/sync-scheduler'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

describe('live event stream', () => {
  test('snapshot, throttled progress, items and done over real HTTP, with a reconnect', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-sse-'))
    media.setThrottle(200_000)
    const server = await startServerProcess({ DATA_DIR: dataDir, EXTRACT_CONCURRENCY: '1' })
    try {
      const feed = await media.addFeed('sse', { title: 'SSE', items: Array.from({ length: 4 }, (_, i) => ({ name: `s${i}`, title: `s${i}`, seconds: 3 })) })
      const add = await server.json('POST', '/api/playlists', { url: feed })
      const job = (await server.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })).json
      const url = `${server.url}/api/jobs/${job.id}/events`
      // First connection: drop it after the first finished item.
      const first = await readSse(url, { until: (e) => e.event === 'item' })
      expect(first[0].event).toBe('snapshot')
      expect(first[0].data.id).toBe(job.id)
      // Reconnect with Last-Event-ID: a fresh snapshot first, then the stream to the end.
      const t0 = Date.now()
      const second = await readSse(url, { lastEventId: first.at(-1)!.id, until: (e) => e.event === 'done' })
      const seconds = (Date.now() - t0) / 1000
      expect(second[0].event).toBe('snapshot')
      expect(second.at(-1)!.event).toBe('done')
      expect(second.at(-1)!.data).toMatchObject({ status: 'completed', download_completed: 4, extract_completed: 4 })
      const items = [...first, ...second].filter((e) => e.event === 'item')
      expect(items.length).toBeGreaterThanOrEqual(7) // 8 item events in all; the first one may straddle the reconnect
      expect(items.every((e) => typeof e.data.video_id === 'number' && (e.data.phase === 'download' || e.data.phase === 'extract'))).toBe(true)
      // At most 4 progress events a second (plus the final one).
      const progress = second.filter((e) => e.event === 'progress')
      expect(progress.length).toBeGreaterThan(0)
      expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2)
      expect(progress.some((e) => e.data.current.length > 0)).toBe(true)
      // A finished job's stream is a snapshot and done, then it ends.
      const after = await readSse(url, { until: () => false })
      expect(after.map((e) => e.event)).toEqual(['snapshot', 'done'])
      // The all-jobs stream starts with the active jobs (none now).
      const ac = new AbortController()
      const all = await readSse(`${server.url}/api/events`, { until: (e) => e.event === 'snapshot', signal: ac.signal })
      expect(all[0].data).toEqual([])
      expect((await fetch(`${server.url}/api/jobs/999/events`)).status).toBe(404)
    } finally {
      media.setThrottle(null)
      server.proc.kill('SIGTERM')
      await server.proc.exited
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('scheduled sync', () => {
  test('a due playlist is re-indexed: new entries fetched, vanished ones marked, files kept', async () => {
    await using t = await testContext()
    const items = [
      { name: 'y1', title: 'one' },
      { name: 'y2', title: 'two' },
    ]
    const feed = await media.addFeed('synced', { title: 'Synced', items })
    const add = await t.addPlaylist(feed)
    await t.runJob(add.id, 'both')
    const patched = (await t.api('PATCH', `/api/playlists/${add.id}`, { sync_interval: 'daily' })).json
    expect(patched.sync_interval).toBe('daily')
    const next = new Date(patched.next_sync_at).getTime()
    expect(Math.abs(next - (Date.now() + 86_400_000))).toBeLessThan(60_000)
    const sync = new SyncScheduler(t.ctx, t.manager)
    expect(await sync.tick()).toEqual([]) // not due yet
    // Upstream: "two" disappears, "three" appears.
    await media.addFeed('synced', { title: 'Synced', items: [items[0], { name: 'y3', title: 'three' }] })
    const started = await sync.tick(new Date(next + 1000))
    expect(started).toHaveLength(1)
    const job = await t.manager.waitFor(started[0])
    expect(job).toMatchObject({ status: 'completed', type: 'both', download_total: 1, download_completed: 1, extract_completed: 1 })
    const detail = (await t.api('GET', `/api/playlists/${add.id}`)).json
    expect(new Date(detail.next_sync_at).getTime()).toBeGreaterThan(next)
    expect(detail.counts).toMatchObject({ entries: 2, missing: 1, extracted: 3 })
    const missing = (await t.api('GET', `/api/playlists/${add.id}?filter=missing`)).json.videos
    expect(missing.map((v: any) => v.title)).toEqual(['two'])
    expect(missing[0].missing_since).not.toBeNull()
    expect(missing[0].audio_path).not.toBeNull() // its files stay
    // Nothing old was fetched again.
    expect(media.requests('y1').full).toBe(2)
  })
})
