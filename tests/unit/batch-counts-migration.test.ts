import { expect, test } from 'bun:test'
import { forEachDialect } from '../helpers/dialects'
import * as m0012 from '../../migrations/0012_batch_counts'
import { findJob, insertJob, toJob } from '../../src/db/jobs'
import { insertPlaylist } from '../../src/db/playlists'

forEachDialect('0012 batch counts', (dialect) => {
  test('0012 turns the stored "25/100 total (75 remaining)" into batch_total and batch_done_before, and back', async () => {
    const db = await dialect.open()
    const jobs = []
    for (const n of [1, 2, 3]) {
      const p = await insertPlaylist(db, { url: `http://127.0.0.1:9/${n}.xml`, title: `P${n}`, folder: `P${n}`, uploader: null, indexed_at: null })
      jobs.push(await insertJob(db, p.id, 'both'))
    }
    await m0012.down(db as any) // back to the schema before it, to store rows as older versions did
    const old = [
      { download_completed: 5, download_batch_info: '25/100 total (75 remaining)' },
      { download_completed: 3, download_batch_info: null },
      { download_completed: 0, download_batch_info: 'something else' },
    ]
    for (const [i, patch] of old.entries())
      await (db as any)
        .updateTable('jobs')
        .set({ ...patch, status: 'completed' })
        .where('id', '=', jobs[i].id)
        .execute()
    await m0012.up(db as any)
    const rows = await Promise.all(jobs.map((j) => findJob(db, j.id)))
    expect(rows.map((r) => ({ batch_total: r!.batch_total, batch_done_before: r!.batch_done_before }))).toEqual([
      { batch_total: 100, batch_done_before: 20 },
      { batch_total: null, batch_done_before: 0 },
      { batch_total: null, batch_done_before: 0 },
    ])
    // The API still carries the seed's string, now computed from the numbers.
    expect(rows.map((r) => toJob(r!).download_batch_info)).toEqual(['25/100 total (75 remaining)', null, null])
    await m0012.down(db as any)
    const back = await (db as any).selectFrom('jobs').select(['download_batch_info']).orderBy('id').execute()
    expect(back.map((r: { download_batch_info: string | null }) => r.download_batch_info)).toEqual(['25/100 total (75 remaining)', null, null])
    await db.destroy()
  })
})
