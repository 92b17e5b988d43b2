// Remote pause/resume/cancel at the repository level, on both stores: a non-owner's request is
// one conditional UPDATE (only on a job another node owns, in a status the action applies to),
// and the owner's clear only removes the request it applied.
import { expect, test } from 'bun:test'
import { clearControl, findJob, insertJob, requestControl } from '../../src/db/jobs'
import type { DB } from '../../src/db/open'
import { insertPlaylist } from '../../src/db/playlists'
import { forEachDialect } from '../helpers/dialects'

const disposable = <T extends { destroy(): Promise<void> }>(db: T) => Object.assign(db, { [Symbol.asyncDispose]: () => db.destroy() })

async function job(db: DB, owner: string, status: 'running' | 'paused' | 'completed' | 'interrupted') {
  const p = await insertPlaylist(db, { url: `http://127.0.0.1:9/${status}.xml`, title: 'P', folder: status, uploader: null, indexed_at: null })
  const j = await insertJob(db, p.id, 'both', 'normal', false, owner)
  await db.updateTable('jobs').set({ status }).where('id', '=', j.id).execute()
  return j.id
}

forEachDialect('job control', (dialect) => {
  test('a non-owner records a request only where it applies; the owner clears only what it applied', async () => {
    await using db = disposable(await dialect.open())
    const running = await job(db, 'a', 'running')
    const paused = await job(db, 'a', 'paused')
    const done = await job(db, 'a', 'completed')
    const interrupted = await job(db, 'a', 'interrupted')

    expect(await requestControl(db, running, 'a', 'pause')).toBe(false) // the owner acts itself
    expect(await requestControl(db, running, 'b', 'resume')).toBe(false) // not paused
    expect(await requestControl(db, done, 'b', 'cancel')).toBe(false) // finished
    expect(await requestControl(db, interrupted, 'b', 'resume')).toBe(false) // any node requeues it
    expect(await requestControl(db, paused, 'b', 'resume')).toBe(true)
    expect(await requestControl(db, running, 'b', 'pause')).toBe(true)
    expect((await findJob(db, running))?.control).toBe('pause')

    // A newer request replaces the pending one; the owner's clear of the older one leaves it.
    expect(await requestControl(db, running, 'b', 'cancel')).toBe(true)
    expect(await clearControl(db, running, 'a', 'pause')).toBe(false)
    expect((await findJob(db, running))?.control).toBe('cancel')
    expect(await clearControl(db, running, 'b', 'cancel')).toBe(false) // not b's job
    expect(await clearControl(db, running, 'a', 'cancel')).toBe(true)
    expect((await findJob(db, running))?.control).toBeNull()
    expect((await findJob(db, done))?.control).toBeNull()
  })
})
