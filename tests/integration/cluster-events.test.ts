import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { cluster, postgresMissing } from '../helpers/postgres-cluster'
import { startServerProcess, startWorkerProcess, waitUntil } from '../helpers/server-process'
import { readSse, type Sse } from '../helpers/sse'

// Real processes on one PostgreSQL database: "front" (a serve, UI only) owns the job, worker w2
// runs its items, and "side" (another serve, UI only, its own data dir) owns nothing. Side's
// event streams carry the job's progress, item ends and completion, read from the database.

const missing = postgresMissing()
const dirs: string[] = []
let media: MediaServer
beforeAll(async () => {
  if (!missing) media = await startMediaServer()
})
afterAll(async () => {
  await media?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}

describe.skipIf(Boolean(missing))(`live events on a serve that does not own the job${missing ? ` (skipped: ${missing})` : ''}`, () => {
  test('the other serve streams progress with the worker named, every item end and done', async () => {
    const common = {
      DATABASE_URL: await (await cluster()).createDatabase(),
      EXTRACT_CONCURRENCY: '1',
      DOWNLOAD_CONCURRENCY: '1',
      AUDIO_FORMAT: 'm4a',
      SOCKET_TIMEOUT: '10',
    }
    const shared = tempDir('yt-serve-xevents-')
    await using front = await startServerProcess({ ...common, DATA_DIR: shared, NODE_NAME: 'front', NODE_ROLES: 'none' })
    await using side = await startServerProcess({ ...common, DATA_DIR: tempDir('yt-serve-xevents-side-'), NODE_NAME: 'side', NODE_ROLES: 'none' })
    await using _w2 = await startWorkerProcess({
      ...common,
      DATA_DIR: shared,
      NODE_NAME: 'w2',
      SOURCE_ADDRESS: '127.0.0.2',
      STAGING_DIR: tempDir('yt-serve-xevents-stage-'),
    })
    const names = ['x1', 'x2', 'x3']
    const feed = await media.addFeed('xevents', { title: 'XEvents', items: names.map((name) => ({ name, title: name, seconds: 2 })) })
    const probe = await media.addItem({ name: 'xprobe', seconds: 2 })
    const itemBytes = Number((await fetch(probe, { method: 'HEAD' })).headers.get('content-length'))
    const add = await front.json('POST', '/api/playlists', { url: feed })
    expect(add.status).toBe(201)

    // Side's all-jobs stream is open before the job exists: the new job shows up on it.
    const ac = new AbortController()
    const allEvents = readSse(`${side.url}/api/events`, { until: (e) => e.event === 'done', signal: ac.signal })
    // About three seconds per download, so the worker reports progress along the way.
    media.setClientThrottle(Math.ceil(itemBytes / 3))
    try {
      const job = await front.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
      expect(job.status).toBe(202)
      const jobId = job.json.id
      // Side's JSON of the job (the owner's row) names the worker's items too: the owner runs none itself.
      const rowNamesWorker = waitUntil(
        'side to show w2 working in the job row',
        async () => ((await side.json('GET', `/api/jobs/${jobId}`)).json.current ?? []).some((c: any) => c.node === 'w2'),
        60_000,
      )
      const started = Date.now()
      const events = await readSse(`${side.url}/api/jobs/${jobId}/events`, { until: (e) => e.event === 'done' })
      const seconds = (Date.now() - started) / 1000
      await rowNamesWorker

      expect(events[0]).toMatchObject({ event: 'snapshot', data: { id: jobId } })
      const done = events.at(-1)!
      expect(done).toMatchObject({ event: 'done', data: { id: jobId, status: 'completed', download_completed: 3, extract_completed: 3 } })
      const items = events.filter((e) => e.event === 'item').map((e) => `${e.data.phase}:${e.data.title}:${e.data.ok}`)
      // Every item end once; one that ended before the stream's first read is in its snapshot.
      expect(new Set(items).size).toBe(items.length)
      const expected = names.flatMap((n) => [`download:${n}:true`, `extract:${n}:true`])
      expect(items.every((i) => expected.includes(i))).toBe(true)
      expect(items.length).toBeGreaterThanOrEqual(expected.length - 1)
      const progress = events.filter((e) => e.event === 'progress')
      const inFlight = progress.flatMap((e) => e.data.current as any[])
      expect(inFlight.some((c) => c.node === 'w2' && c.phase === 'download' && c.percent > 0 && c.percent < 100)).toBe(true)
      expect(inFlight.every((c) => c.node === 'w2')).toBe(true)
      // Read once a second: no more progress events than seconds (plus the last one with done).
      expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds) + 2)
      console.log(`cross-node events: ${events.length} events (${progress.length} progress, ${items.length} items) in ${seconds.toFixed(1)} s`)

      const all: Sse[] = await allEvents
      expect(all[0].event).toBe('snapshot')
      expect(all.some((e) => e.event === 'progress' && e.data.id === jobId)).toBe(true)
      expect(all.at(-1)).toMatchObject({ event: 'done', data: { id: jobId, status: 'completed' } })
    } finally {
      media.setClientThrottle(null)
      ac.abort()
    }
  }, 180_000)
})
