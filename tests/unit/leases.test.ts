import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppContext } from '../../src/context'
import { insertJob } from '../../src/db/jobs'
import { LIVE_WRITE_MS, LiveProgressWriter } from '../../src/jobs/live-progress'
import { holdClusterLease, jobsWithFreeWork, leaseItems, reclaimExpired, releaseLeases, renewLeases, sharedWork } from '../../src/db/leases'
import { migrateToLatest } from '../../src/db/migrate'
import { openDatabase, type DB } from '../../src/db/open'
import { insertPlaylist } from '../../src/db/playlists'
import { applyIndex, findVideo, updateVideo } from '../../src/db/videos'

const ROOT = join(import.meta.dir, '../..')
const inSec = (s: number) => new Date(Date.now() + s * 1000).toISOString()

async function seeded(db: DB, n: number): Promise<{ jobId: number; ids: number[] }> {
  await migrateToLatest(db)
  const p = await insertPlaylist(db, { url: 'http://127.0.0.1:9/feed.xml', title: 'P', folder: 'P', uploader: null, indexed_at: null })
  const entries = Array.from({ length: n }, (_, i) => ({
    source_id: `s${i}`,
    position: i + 1,
    title: `T${i}`,
    uploader: null,
    duration: 2,
    source_url: `http://h/${i}.mp4`,
    thumbnail_url: null,
    upload_date: null,
    extractor: null,
  }))
  await applyIndex(db, p.id, entries)
  const job = await insertJob(db, p.id, 'both')
  await db.updateTable('jobs').set({ status: 'running' }).where('id', '=', job.id).execute()
  const ids = (await db.selectFrom('videos').select('id').orderBy('position').execute()).map((r) => r.id)
  for (const id of ids) await updateVideo(db, id, { download_job_id: job.id })
  return { jobId: job.id, ids }
}

test('a lease is taken once, renewed by its node, and taken by another only after it runs out', async () => {
  const db = openDatabase(':memory:')
  const { jobId, ids } = await seeded(db, 3)
  expect(await leaseItems(db, 'a', 'download', [ids[0], ids[1]], inSec(30))).toEqual([ids[0], ids[1]])
  // b gets only the free one; a may take its own again (a chunk after its extraction started).
  expect(await leaseItems(db, 'b', 'download', ids, inSec(30))).toEqual([ids[2]])
  expect(await leaseItems(db, 'a', 'download', [ids[0]], inSec(30))).toEqual([ids[0]])
  // The shared view from a third node: nothing free, three items held elsewhere.
  expect(await sharedWork(db, { id: jobId, type: 'both' }, 'c')).toMatchObject({ download: [], elsewhere: { download: 3, extract: 0 } })

  // a's lease runs out while its item was downloading: any node gives it back, b takes it.
  await updateVideo(db, ids[0], { download_state: 'downloading' })
  await db
    .updateTable('videos')
    .set({ lease_until: inSec(-1) })
    .where('lease_node', '=', 'a')
    .execute()
  // A renewal by a live node keeps its items (b's), the dead one's go back.
  expect(await renewLeases(db, 'b', inSec(30))).toBe(1)
  expect(await reclaimExpired(db)).toBe(2)
  expect(await findVideo(db, ids[0])).toMatchObject({ download_state: 'pending', lease_node: null, lease_until: null })
  expect(await findVideo(db, ids[2])).toMatchObject({ lease_node: 'b' })
  expect(await leaseItems(db, 'b', 'download', [ids[0]], inSec(30))).toEqual([ids[0]])

  // Released items are free again, with their live progress gone; only the holder can release.
  await updateVideo(db, ids[0], { live_progress: '{"video_id":1}' })
  await releaseLeases(db, 'a', [ids[0]])
  expect((await findVideo(db, ids[0]))?.lease_node).toBe('b')
  await releaseLeases(db, 'b', [ids[0]])
  expect(await findVideo(db, ids[0])).toMatchObject({ lease_node: null, live_progress: null })
  await db.destroy()
})

test('a finished item cannot be leased for its phase again', async () => {
  const db = openDatabase(':memory:')
  const { ids } = await seeded(db, 2)
  await updateVideo(db, ids[0], { download_state: 'downloaded' })
  expect(await leaseItems(db, 'a', 'download', ids, inSec(30))).toEqual([ids[1]])
  expect(await leaseItems(db, 'a', 'extract', [ids[0]], inSec(30))).toEqual([ids[0]])
  await db.destroy()
})

test('the cluster-wide chore lease has one holder until it expires', async () => {
  const db = openDatabase(':memory:')
  await migrateToLatest(db)
  expect(await holdClusterLease(db, 'sync', 'a', inSec(30))).toBe(true)
  expect(await holdClusterLease(db, 'sync', 'b', inSec(30))).toBe(false)
  expect(await holdClusterLease(db, 'sync', 'a', inSec(-1))).toBe(true) // a renews (here: into the past)
  expect(await holdClusterLease(db, 'sync', 'b', inSec(30))).toBe(true)
  expect(await holdClusterLease(db, 'sync', 'a', inSec(30))).toBe(false)
  await db.destroy()
})

test('three processes racing for 60 items on one SQLite file never get the same one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yt-serve-leases-'))
  try {
    const path = join(dir, 'yt-serve.db')
    const db = openDatabase(path)
    const { ids } = await seeded(db, 60)
    await db.destroy()
    const procs = ['a', 'b', 'c'].map((node) =>
      Bun.spawn(['bun', join(ROOT, 'tests/fixtures/lease-claimer.ts'), path, node], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' }),
    )
    const outs = await Promise.all(
      procs.map(async (p) => ({ out: await new Response(p.stdout).text(), err: await new Response(p.stderr).text(), code: await p.exited })),
    )
    for (const o of outs) expect(o).toMatchObject({ code: 0, err: '' })
    const got = outs.map((o) => JSON.parse(o.out) as number[])
    const all = got.flat()
    expect(all.length).toBe(60)
    expect(new Set(all).size).toBe(60)
    expect([...all].sort((x, y) => x - y)).toEqual(ids)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('live progress of an item is written at most twice a second, the latest value winning', async () => {
  const db = openDatabase(':memory:')
  const { ids } = await seeded(db, 1)
  await leaseItems(db, 'w', 'download', ids, inSec(30))
  const writer = new LiveProgressWriter({ db, config: { nodeName: 'w' }, log: () => {} } as unknown as AppContext)
  const live = async () => JSON.parse((await findVideo(db, ids[0]))?.live_progress ?? 'null')?.percent
  const item = (percent: number) => ({ video_id: ids[0], title: 'T0', phase: 'download' as const, percent, node: 'w' })
  for (let p = 1; p <= 50; p++) writer.push(item(p))
  await waitFor(async () => (await live()) === 50)
  const first = Date.now()
  for (let p = 51; p <= 100; p++) writer.push(item(p))
  await waitFor(async () => (await live()) === 100)
  expect(Date.now() - first).toBeGreaterThanOrEqual(LIVE_WRITE_MS - 20) // timers may fire a hair early
  expect(writer.writes).toBe(2)
  writer.stop()
  await db.destroy()
})

async function waitFor(ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 10_000
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('condition not met')
    await Bun.sleep(10)
  }
}

test('an item left in flight without a live lease is free work for the others, never a finished phase', async () => {
  const db = openDatabase(':memory:')
  const { jobId, ids } = await seeded(db, 4)
  // 0: in flight on a, whose lease ran out and was not yet given back; 1: in flight with no lease at all;
  // 2: in flight on b under a live lease; 3: this node's (c's) own download, lease run out while it works.
  await updateVideo(db, ids[0], { download_state: 'downloading', lease_node: 'a', lease_until: inSec(-1) })
  await updateVideo(db, ids[1], { download_state: 'downloading' })
  await updateVideo(db, ids[2], { download_state: 'downloading', lease_node: 'b', lease_until: inSec(30) })
  await updateVideo(db, ids[3], { download_state: 'downloading', lease_node: 'c', lease_until: inSec(-1) })
  const work = await sharedWork(db, { id: jobId, type: 'download' }, 'c')
  expect(work.download).toEqual([ids[0], ids[1]])
  expect(work.elsewhere).toEqual({ download: 1, extract: 0 })
  // An idle node is drawn to the job by them too, and may lease them.
  expect(await jobsWithFreeWork(db)).toEqual([jobId])
  expect(await leaseItems(db, 'd', 'download', [ids[0], ids[1]], inSec(30))).toEqual([ids[0], ids[1]])
  await db.destroy()
})
