import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { forEachDialect } from '../helpers/dialects'
import { waitUntil } from '../helpers/server-process'
import { insertJob, updateJob } from '../../src/db/jobs'
import { jobEventStream, type StreamEvent } from '../../src/http/event-stream'
import { REMOTE_POLL_MS } from '../../src/jobs/remote-jobs'

// A job another node owns, played out on its rows the way that node and a worker write them
// (the job row's counters, the items' states, leases and live progress): this node's event
// streams carry it, read from the database once a second however many streams watch.

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

/** Reads a stream in the background; `until` waits for an event that matches. */
function collect(stream: AsyncGenerator<StreamEvent>) {
  const events: (StreamEvent & { data: any })[] = []
  let over = false
  const done = (async () => {
    for await (const ev of stream) events.push(ev)
    over = true
  })()
  return {
    events,
    done,
    get over() {
      return over
    },
    until: (what: string, match: (e: StreamEvent & { data: any }) => boolean) => waitUntil(what, async () => events.find(match), 15_000),
  }
}

forEachDialect('events of a job another node owns', (dialect) => {
  test('progress, item ends and done reach every stream, from one poll a second', async () => {
    await using t = await testContext(await dialect.env())
    const { db } = t.ctx
    const feed = await media.addFeed('remote', { title: 'Remote', items: ['r1', 'r2'].map((name) => ({ name, title: name })) })
    const playlist = await t.addPlaylist(feed)
    const [v1, v2] = (await t.api('GET', `/api/playlists/${playlist.id}`)).json.videos.map((v: any) => v.id)
    // The owner ("front", not this node) planned a download job of both entries; worker w2 runs them.
    const job = await insertJob(db, playlist.id, 'download')
    await updateJob(db, job.id, { status: 'running', node: 'front', download_status: 'running', download_total: 2, started_at: new Date().toISOString() })
    const leased = { lease_node: 'w2', lease_until: new Date(Date.now() + 600_000).toISOString() }
    await db
      .updateTable('videos')
      .set({ download_job_id: job.id, download_state: 'downloading', ...leased })
      .where('id', 'in', [v1, v2])
      .execute()
    const live = (id: number, title: string, percent: number) =>
      db
        .updateTable('videos')
        .set({ live_progress: JSON.stringify({ video_id: id, title, phase: 'download', percent, speed: 1000, eta: 3, node: 'w2' }) })
        .where('id', '=', id)
        .execute()
    await live(v1, 'r1', 40)

    expect(t.manager.isActive(job.id)).toBe(false)
    const polls0 = t.manager.remotePolls
    const started = Date.now()
    const one = collect(jobEventStream(t.manager, job.id))
    const two = collect(jobEventStream(t.manager, job.id))
    const ac = new AbortController()
    const all = collect(jobEventStream(t.manager, null, ac.signal))
    for (const s of [one, two]) expect((await s.until('a snapshot', (e) => e.event === 'snapshot')).data).toMatchObject({ id: job.id, status: 'running' })
    expect((await all.until('a snapshot', (e) => e.event === 'snapshot')).data.map((j: any) => j.id)).toEqual([job.id])

    // Live progress the worker writes shows up as the item in flight, naming its node.
    await live(v1, 'r1', 80)
    for (const s of [one, two, all])
      await s.until('80 % of r1', (e) => e.event === 'progress' && e.data.current.some((c: any) => c.video_id === v1 && c.percent === 80 && c.node === 'w2'))

    // r1 ends downloaded, r2 failed: an item event each, and the owner's counters.
    await db
      .updateTable('videos')
      .set({ download_state: 'downloaded', lease_node: null, lease_until: null, live_progress: null })
      .where('id', '=', v1)
      .execute()
    await db
      .updateTable('videos')
      .set({ download_state: 'failed', error: 'HTTP Error 404', lease_node: null, lease_until: null, live_progress: null })
      .where('id', '=', v2)
      .execute()
    await updateJob(db, job.id, { download_completed: 1, download_failed: 1 })
    for (const s of [one, two, all]) {
      const ok = await s.until('r1 downloaded', (e) => e.event === 'item' && e.data.video_id === v1)
      expect(ok.data).toEqual({ job_id: job.id, video_id: v1, title: 'r1', phase: 'download', ok: true, error: null })
      const failed = await s.until('r2 failed', (e) => e.event === 'item' && e.data.video_id === v2)
      expect(failed.data).toEqual({ job_id: job.id, video_id: v2, title: 'r2', phase: 'download', ok: false, error: 'HTTP Error 404' })
      await s.until('the counters', (e) => e.event === 'progress' && e.data.download_completed === 1 && e.data.download_failed === 1)
    }

    // The owner ends the job: done, and the per-job streams end.
    await updateJob(db, job.id, { status: 'completed', download_status: 'completed', finished_at: new Date().toISOString(), current: null })
    for (const s of [one, two, all]) expect((await s.until('done', (e) => e.event === 'done')).data).toMatchObject({ id: job.id, status: 'completed' })
    await one.done
    await two.done
    for (const s of [one, two]) {
      expect(s.events.at(-1)!.event).toBe('done')
      // Each item ended once, whatever number of polls saw it.
      expect(s.events.filter((e) => e.event === 'item').length).toBe(2)
    }
    // Three streams, one poll a second between them (plus the first one at once).
    const seconds = (Date.now() - started) / 1000
    const polls = t.manager.remotePolls - polls0
    expect(polls).toBeGreaterThan(0)
    expect(polls).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / REMOTE_POLL_MS) + 1)
    ac.abort()
    await all.done
  }, 60_000)

  test('a stream of an owned job polls nothing; one of an ended job ends at once', async () => {
    await using t = await testContext(await dialect.env())
    const feed = await media.addFeed('owned', { title: 'Owned', items: [{ name: 'o1', title: 'o1', seconds: 2 }] })
    const playlist = await t.addPlaylist(feed)
    using _slow = media.throttled(20_000)
    const job = await t.startJob(playlist.id, 'download')
    const polls0 = t.manager.remotePolls
    const stream = collect(jobEventStream(t.manager, job.id))
    await stream.until('a progress event', (e) => e.event === 'progress')
    expect(t.manager.remotePolls).toBe(polls0)
    await t.manager.cancel(job.id)
    await stream.done
    expect(t.manager.remotePolls).toBe(polls0)
    const after = collect(jobEventStream(t.manager, job.id))
    await after.done
    expect(after.events.map((e) => e.event)).toEqual(['snapshot', 'done'])
  }, 60_000)
})
