import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { recordJob, testContext, type TestContext } from '../helpers/context'
import { probe } from '../helpers/probe'
import { waitUntil } from '../helpers/server-process'
import { writeM3uFile } from '../../src/playlists/m3u'

// Real yt-dlp and ffmpeg against the fixture media server on 127.0.0.1.
let media: MediaServer
beforeAll(async () => {
  media = await startMediaServer()
})
afterAll(async () => {
  await media.stop()
})

describe('a "both" job', () => {
  let t: TestContext
  let feed: string
  afterAll(() => t?.close())

  test('pipelines: extraction finishes while downloads still run', async () => {
    t = await testContext({ EXTRACT_CONCURRENCY: '2' })
    const items = Array.from({ length: 5 }, (_, i) => ({ name: `pipe${i}`, title: `Pipe ${i}`, seconds: 3 }))
    feed = await media.addFeed('pipeline', { title: 'Pipeline', items })
    // ~100 KB per 3 s clip at 150 KB/s: each download takes most of a second.
    media.setThrottle(150_000)
    const add = await t.api('POST', '/api/playlists', { url: feed })
    expect(add.status).toBe(201)
    let jobId: number | undefined
    const rec = recordJob(t.manager, () => jobId)
    // The last download stays in flight until an extraction has finished: the overlap the
    // seed describes, made certain however fast or loaded the machine is.
    const release = media.holdBack('pipe4')
    const created = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
    expect(created.status).toBe(202)
    jobId = created.json.id
    await waitUntil('an extraction to finish while pipe4 still downloads', async () => rec.snapshots.some((s) => s.extract_completed >= 1))
    release()
    const done = await t.manager.waitFor(jobId!)
    rec.stop()
    media.setThrottle(null)
    expect(done.status).toBe('completed')
    const overlap = rec.snapshots.find((s) => s.extract_completed >= 1 && s.download_completed < s.download_total)
    expect(overlap).toBeDefined()
    // Both bars were live at the same moment, as the seed's design note asks.
    expect(rec.snapshots.some((s) => s.download_status === 'running' && s.extract_status === 'running' && s.current.some((c) => c.phase === 'extract'))).toBe(
      true,
    )
    // Per-item download progress with bytes and speed came from yt-dlp's progress template.
    const dl = rec.snapshots.flatMap((s) => s.current).filter((c) => c.phase === 'download' && c.percent !== null && c.percent > 0 && c.percent < 100)
    expect(dl.length).toBeGreaterThan(0)
    expect(dl.some((c) => (c.speed ?? 0) > 0 && (c.total_bytes ?? 0) > 0)).toBe(true)
    expect(done).toMatchObject({ download_total: 5, download_completed: 5, download_failed: 0, extract_total: 5, extract_completed: 5, extract_failed: 0 })
    expect(done.total_items).toBe(10)
    expect(done.completed_items).toBe(10)
    expect(done.progress).toBe(100)
  })

  test('audio files are real: ffprobe reads about the source duration, tags set', async () => {
    const detail = await t.api('GET', '/api/playlists/1')
    expect(detail.json.counts).toMatchObject({ entries: 5, downloaded: 5, extracted: 5, failed: 0 })
    for (const v of detail.json.videos) {
      expect(v.download_state).toBe('downloaded')
      expect(v.extract_state).toBe('extracted')
      expect(v.audio_path).toMatch(/^Pipeline\/audio\/00\d - Pipe \d\.mp3$/)
      const info = await probe(join(t.dataDir, v.audio_path))
      expect(info.codecs).toContain('mp3')
      expect(Math.abs(info.duration - 3)).toBeLessThan(0.3)
      expect(info.tags.title).toBe(v.title)
      expect(info.tags.album).toBe('Pipeline')
      expect(info.tags.track).toBe(String(v.position))
    }
    // No temporary output was left behind.
    expect(readdirSync(join(t.dataDir, 'Pipeline', 'audio')).filter((n) => n.startsWith('.'))).toEqual([])
  })

  test('a second download job downloads nothing twice', async () => {
    // yt-dlp's generic extractor GETs a direct media URL once to sniff its type, then once to download.
    const before = Array.from({ length: 5 }, (_, i) => media.requests(`pipe${i}`))
    expect(before.map((r) => [r.full, r.ranged])).toEqual(Array(5).fill([2, 0]))
    const job = await t.api('POST', '/api/playlists/1/jobs', { type: 'download' })
    expect(job.status).toBe(202)
    const done = await t.manager.waitFor(job.json.id)
    expect(done).toMatchObject({ status: 'completed', download_total: 0, download_completed: 0, extract_status: null })
    expect(Array.from({ length: 5 }, (_, i) => media.requests(`pipe${i}`))).toEqual(before)
  })
})

describe('failures are counted exactly and the job goes on', () => {
  test('a 404 fails its download, a corrupt file fails its extraction', async () => {
    const t = await testContext()
    try {
      const feed = await media.addFeed('faulty', {
        title: 'Faulty',
        items: [
          { name: 'f-ok1', title: 'ok one' },
          { name: 'f-404', title: 'gone', kind: 'missing' },
          { name: 'f-ok2', title: 'ok two' },
          { name: 'f-bad', title: 'corrupt', kind: 'corrupt' },
          { name: 'f-ok3', title: 'ok three' },
        ],
      })
      const add = await t.api('POST', '/api/playlists', { url: feed })
      const job = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
      const done = await t.manager.waitFor(job.json.id)
      expect(done).toMatchObject({
        status: 'completed',
        error: null,
        download_total: 5,
        download_completed: 4,
        download_failed: 1,
        extract_total: 4,
        extract_completed: 3,
        extract_failed: 1,
      })
      const videos = (await t.api('GET', `/api/playlists/${add.json.id}`)).json.videos
      const gone = videos.find((v: any) => v.title === 'gone')
      expect(gone.download_state).toBe('failed')
      expect(gone.error).toContain('404')
      const corrupt = videos.find((v: any) => v.title === 'corrupt')
      expect(corrupt.download_state).toBe('downloaded')
      expect(corrupt.extract_state).toBe('failed')
      expect(corrupt.error).toMatch(/cannot read the video|Invalid data/i)
      const log = (await t.api('GET', `/api/jobs/${job.json.id}/log`)).json
      expect(log.filter((e: any) => e.level === 'error')).toHaveLength(2)
    } finally {
      await t.close()
    }
  })

  test('an extract job alone extracts only what is downloaded and has no audio yet', async () => {
    const t = await testContext({ AUDIO_FORMAT: 'm4a' })
    try {
      const feed = await media.addFeed('extract-only', {
        title: 'Extract Only',
        items: [
          { name: 'e1', title: 'e1', guid: 'guid-e1' },
          { name: 'e2', title: 'e2', guid: 'guid-e2' },
        ],
      })
      const add = await t.api('POST', '/api/playlists', { url: feed })
      // yt-dlp smuggles the feed's guid into each entry URL; stored and shown, the URL is clean.
      const listed: any[] = (await t.api('GET', `/api/playlists/${add.json.id}`)).json.videos
      expect(listed.map((v) => v.source_url)).toEqual([media.mediaUrl('e1'), media.mediaUrl('e2')])
      const page = await (await t.app.handle(new Request(`http://localhost/playlists/${add.json.id}`))).text()
      expect(page).toContain(`<a href="${media.mediaUrl('e1')}" rel="noreferrer noopener" target="_blank">e1</a>`)
      expect(page).not.toContain('smuggle')
      // Before any download there is nothing to extract, and no folder to write a list into.
      const early = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'extract' })
      expect([early.status, early.json]).toEqual([409, { error: 'nothing to extract: download first' }])
      expect((await t.api('GET', `/api/jobs?playlist_id=${add.json.id}`)).json).toEqual([])
      await writeM3uFile(t.ctx, add.json.id)
      expect(existsSync(join(t.dataDir, 'Extract Only'))).toBe(false)
      const dl = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
      const dlDone = await t.manager.waitFor(dl.json.id)
      expect(dlDone).toMatchObject({ download_completed: 2, extract_status: null, extract_total: 0 })
      const ex = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'extract' })
      expect(ex.json.download_status).toBeNull()
      const exDone = await t.manager.waitFor(ex.json.id)
      expect(exDone).toMatchObject({ status: 'completed', extract_total: 2, extract_completed: 2, download_total: 0 })
      // Up to date is not an error: the job finds nothing new and completes.
      const again = await t.manager.waitFor((await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'extract' })).json.id)
      expect(again).toMatchObject({ status: 'completed', extract_total: 0 })
      const files = readdirSync(join(t.dataDir, 'Extract Only', 'audio'))
      expect(files.sort()).toEqual(['001 - e1.m4a', '002 - e2.m4a'])
      // AAC source into m4a is a stream copy: same codec out.
      expect((await probe(join(t.dataDir, 'Extract Only', 'audio', files[0]))).codecs).toContain('aac')
    } finally {
      await t.close()
    }
  })
})

describe('batches', () => {
  test('batch info counts over the whole playlist across jobs', async () => {
    const t = await testContext({ BATCH_SIZE: '2' })
    try {
      const feed = await media.addFeed('batched', { title: 'Batched', items: Array.from({ length: 5 }, (_, i) => ({ name: `b${i}`, title: `B${i}` })) })
      const add = await t.api('POST', '/api/playlists', { url: feed })
      const infos: (string | null)[] = []
      const totals: number[] = []
      for (let i = 0; i < 3; i++) {
        const job = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
        const done = await t.manager.waitFor(job.json.id)
        infos.push(done.download_batch_info)
        totals.push(done.download_total)
      }
      expect(totals).toEqual([2, 2, 1])
      // The last job's single pending entry fits one batch: no batch info.
      expect(infos).toEqual(['2/5 total (3 remaining)', '4/5 total (1 remaining)', null])
      // One sniff and one download per entry over three jobs: nothing fetched twice.
      expect(Array.from({ length: 5 }, (_, i) => media.requests(`b${i}`).full)).toEqual([2, 2, 2, 2, 2])
    } finally {
      await t.close()
    }
  })
})

describe('jobs that cannot run', () => {
  test('a missing yt-dlp fails the job with a clear error', async () => {
    const t = await testContext()
    try {
      const feed = await media.addFeed('tool', { title: 'Tool', items: [{ name: 't1' }] })
      const add = await t.api('POST', '/api/playlists', { url: feed })
      t.ctx.config.ytdlpPath = '/nonexistent/yt-dlp'
      const job = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
      const done = await t.manager.waitFor(job.json.id)
      expect(done.status).toBe('failed')
      expect(done.error).toContain('yt-dlp')
      expect(done.download_status).toBe('failed')
      const health = await t.api('GET', '/api/health')
      expect(health.status).toBe(503)
      expect(health.json.error).toContain('yt-dlp')
    } finally {
      await t.close()
    }
  })

  test("an unreadable URL is refused with yt-dlp's reason and stores nothing", async () => {
    const t = await testContext()
    try {
      const res = await t.api('POST', '/api/playlists', { url: `${media.url}/feeds/nope.xml` })
      expect(res.status).toBe(422)
      expect(res.json.error).toContain('404')
      expect((await t.api('GET', '/api/playlists')).json).toEqual([])
      expect(existsSync(join(t.dataDir, 'nope'))).toBe(false)
    } finally {
      await t.close()
    }
  })
})
