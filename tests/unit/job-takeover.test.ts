// Job ownership between serve nodes, at the repository level, on both stores: the takeover of
// a lost owner's job is one conditional UPDATE that exactly one racer wins, and an owner that
// lost its job can no longer write its row.
import { expect, test } from 'bun:test'
import { activeJobsOf, findJob, insertJob, requeueInterrupted, takeOverJob, updateOwnedJob } from '../../src/db/jobs'
import { heartbeat, silentNodes } from '../../src/db/nodes'
import type { DB } from '../../src/db/open'
import { insertPlaylist } from '../../src/db/playlists'
import { forEachDialect } from '../helpers/dialects'

const disposable = <T extends { destroy(): Promise<void> }>(db: T) => Object.assign(db, { [Symbol.asyncDispose]: () => db.destroy() })
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString()

async function node(db: DB, name: string, heartbeatAt: string) {
  const row = { name, host: 'h', roles: '', kind: 'serve' as const, version: 'v', ytdlp_version: null, lease_seconds: 2, started_at: ago(60), backoff: null }
  await heartbeat(db, row)
  await db.updateTable('nodes').set({ heartbeat_at: heartbeatAt }).where('name', '=', name).execute()
}

async function runningJob(db: DB, owner: string, url = 'http://127.0.0.1:9/feed.xml') {
  const p = await insertPlaylist(db, { url, title: 'P', folder: url.split('/').pop()!, uploader: null, indexed_at: null })
  const job = await insertJob(db, p.id, 'both', 'normal', false, owner)
  await db.updateTable('jobs').set({ status: 'running' }).where('id', '=', job.id).execute()
  return job
}

forEachDialect('job takeover', (dialect) => {
  test('of 10 live nodes racing for a lost owner’s job on 10 connections, exactly one takes it; the old owner can no longer write it', async () => {
    await using db = disposable(await dialect.open({ connections: 10 }))
    await node(db, 'dead', ago(10))
    for (let i = 0; i < 10; i++) await node(db, `live${i}`, ago(0))
    const job = await runningJob(db, 'dead')
    const silent = await silentNodes(db, 'live0')
    expect(silent.map((n) => n.name)).toEqual(['dead'])
    expect((await activeJobsOf(db, ['dead'])).map((j) => j.id)).toEqual([job.id])
    const seen = silent[0].heartbeat_at
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => takeOverJob(db, job.id, 'dead', seen, `live${i}`)))
    const winners = results.filter((r) => r !== undefined)
    expect(winners).toHaveLength(1)
    expect((await findJob(db, job.id))?.node).toBe(winners[0]!.node)
    // The old owner's writes (a frozen process that woke up) change nothing; the new owner's land.
    expect(await updateOwnedJob(db, job.id, 'dead', { download_completed: 99 })).toBe(false)
    expect(await updateOwnedJob(db, job.id, winners[0]!.node!, { download_completed: 1 })).toBe(true)
    expect((await findJob(db, job.id))?.download_completed).toBe(1)
  })

  test('an owner that beat again since it was seen lost keeps its job; finished and queued jobs are never taken', async () => {
    await using db = disposable(await dialect.open())
    await node(db, 'slow', ago(10))
    await node(db, 'b', ago(0))
    const job = await runningJob(db, 'slow')
    const seen = (await silentNodes(db, 'b'))[0].heartbeat_at
    await node(db, 'slow', ago(0)) // it came back between the look and the UPDATE
    expect(await takeOverJob(db, job.id, 'slow', seen, 'b')).toBeUndefined()
    expect((await findJob(db, job.id))?.node).toBe('slow')
    await db.updateTable('jobs').set({ status: 'completed' }).where('id', '=', job.id).execute()
    expect(await activeJobsOf(db, ['slow'])).toEqual([])
    const queued = await runningJob(db, 'slow', 'http://127.0.0.1:9/other.xml')
    await db.updateTable('jobs').set({ status: 'queued' }).where('id', '=', queued.id).execute()
    expect(await activeJobsOf(db, ['slow'])).toEqual([])
  })

  test('an interrupted job is resumed by one node only', async () => {
    await using db = disposable(await dialect.open())
    const job = await runningJob(db, 'a')
    await db.updateTable('jobs').set({ status: 'interrupted' }).where('id', '=', job.id).execute()
    const results = await Promise.all([requeueInterrupted(db, job.id, 'a'), requeueInterrupted(db, job.id, 'b')])
    expect(results.filter(Boolean)).toHaveLength(1)
    expect(await findJob(db, job.id)).toMatchObject({ status: 'queued' })
  })
})
