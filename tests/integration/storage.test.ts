// The database stops taking writes, or its file goes away, while jobs run: the jobs stop
// (resumable, with a reason) instead of carrying on into a state nobody can read back.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findJob } from '../../src/db/jobs'
import { findVideos } from '../../src/db/videos'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { fillDatabase } from '../helpers/full-database'
import { processesMentioning, startServerProcess, waitUntil } from '../helpers/server-process'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer({ throttleBytesPerSec: 150_000 })))
afterAll(() => media.stop())

describe('a full disk (SQLITE_FULL)', () => {
  test('a refused state write stops the job; with space back it is interrupted with a reason, nothing left downloading, and resumes', async () => {
    await using t = await testContext()
    const items = ['full-a', 'full-b', 'full-c'].map((name) => ({ name, title: name, seconds: 4 }))
    const feed = await media.addFeed('full', { title: 'Full', items })
    const add = await t.addPlaylist(feed)
    const job = await t.startJob(add.id, 'download')
    const inFlight = await waitUntil('an item half downloaded', async () =>
      (await t.manager.get(job.id)).current.find((c) => c.phase === 'download' && (c.percent ?? 0) > 10),
    )
    const giveSpaceBack = await fillDatabase(t.ctx.db)

    // Stopped in memory at once, though the database still says "running".
    const stopped = await waitUntil('the job to stop', async () => {
      const j = await t.manager.get(job.id)
      return j.status === 'interrupted' ? j : undefined
    })
    expect(stopped.error).toContain('database or disk is full')
    expect(await processesMentioning(t.dataDir)).toEqual([])
    expect((await findJob(t.ctx.db, job.id))!.status).toBe('running')
    expect((await findVideos(t.ctx.db, [inFlight.video_id]))[0].download_state).toBe('downloading')

    await giveSpaceBack()
    const row = await waitUntil('the interruption to be saved', async () => {
      const r = await findJob(t.ctx.db, job.id)
      return r?.status === 'interrupted' ? r : undefined
    })
    expect(row.error).toMatch(/^its state could not be saved \(database or disk is full\); free some space or fix the data dir, then resume it$/)
    expect((await findVideos(t.ctx.db, [inFlight.video_id]))[0].download_state).toBe('pending')
    expect(t.manager.isActive(job.id)).toBe(false)

    expect((await t.api('POST', `/api/jobs/${job.id}/resume`)).status).toBe(200)
    expect(await t.manager.waitFor(job.id)).toMatchObject({ status: 'completed', download_total: 3, download_completed: 3, download_failed: 0 })
  }, 120_000)
})

describe('the data dir deleted or moved while running', () => {
  test('the jobs stop, /api/health fails saying why, and no new job starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-gone-'))
    const moved = `${dataDir}-moved`
    const server = await startServerProcess({ DATA_DIR: dataDir, DATA_DIR_CHECK_SECONDS: '0.2' })
    // Slow enough that the job is still downloading when the data dir goes.
    media.setThrottle(20_000)
    try {
      const items = ['gone-a', 'gone-b'].map((name) => ({ name, title: name, seconds: 4 }))
      const add = await server.json('POST', '/api/playlists', { url: await media.addFeed('gone', { title: 'Gone', items }) })
      const job = await server.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
      await waitUntil('a download in progress', async () => (await server.json('GET', `/api/jobs/${job.json.id}`)).json.current.length > 0)
      expect((await server.json('GET', '/api/health')).status).toBe(200)

      renameSync(dataDir, moved)
      const health = await waitUntil('health to fail', async () => {
        const h = await server.json('GET', '/api/health')
        return h.status === 503 ? h.json : undefined
      })
      const why = `the database file ${join(dataDir, 'yt-serve.db')} is gone (was the data dir deleted or moved?); restore it and restart yt-serve`
      expect(health).toMatchObject({ status: 'error', error: why })
      const stopped = await waitUntil('the job to stop', async () => {
        const j = (await server.json('GET', `/api/jobs/${job.json.id}`)).json
        return j.status === 'interrupted' ? j : undefined
      })
      expect(stopped.error).toBe(why)
      expect(stopped.download_completed).toBeLessThan(2)
      await waitUntil('its yt-dlp to be gone', async () => (await processesMentioning(dataDir)).length === 0)
      expect(server.output()).toContain(`${why}: stopping every job`)
      const again = await server.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
      expect(again).toEqual({ status: 503, json: { error: why } })
    } finally {
      media.setThrottle(150_000)
      server.proc.kill('SIGTERM')
      await server.proc.exited
      for (const d of [dataDir, moved]) rmSync(d, { recursive: true, force: true })
    }
  }, 60_000)
})
