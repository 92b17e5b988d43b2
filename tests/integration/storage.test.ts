// The database stops taking writes, or its file goes away, while jobs run: the jobs stop
// (resumable, with a reason) instead of carrying on into a state nobody can read back.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { findJob } from '../../src/db/jobs'
import { findVideos } from '../../src/db/videos'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { fillDatabase } from '../helpers/full-database'
import { processesMentioning, waitUntil } from '../helpers/server-process'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer({ throttleBytesPerSec: 150_000 })))
afterAll(() => media.stop())

describe('a full disk (SQLITE_FULL)', () => {
  test('a refused state write stops the job; with space back it is interrupted with a reason, nothing left downloading, and resumes', async () => {
    const t = await testContext()
    try {
      const items = ['full-a', 'full-b', 'full-c'].map((name) => ({ name, title: name, seconds: 4 }))
      const feed = await media.addFeed('full', { title: 'Full', items })
      const add = await t.api('POST', '/api/playlists', { url: feed })
      const job = (await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })).json
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
    } finally {
      await t.close()
    }
  }, 120_000)
})
