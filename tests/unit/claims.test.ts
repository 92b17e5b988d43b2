import { expect, test } from 'bun:test'
import { forEachDialect } from '../helpers/dialects'
import { indexedEntry } from '../helpers/entries'
import { claimedWork, claimOwnDownloaded } from '../../src/db/claims'
import { insertJob } from '../../src/db/jobs'
import { insertPlaylist } from '../../src/db/playlists'
import { applyIndex, updateVideo } from '../../src/db/videos'

forEachDialect('claims', (dialect) => {
  test("claimedWork recounts a job's counters and queues from its item rows alone", async () => {
    const db = await dialect.open()
    const p = await insertPlaylist(db, { url: 'http://127.0.0.1:9/feed.xml', title: 'P', folder: 'P', uploader: null, indexed_at: null })
    const entries = [1, 2, 3, 4, 5, 6].map((n) => indexedEntry(n))
    await applyIndex(db, p.id, entries)
    const job = await insertJob(db, p.id, 'both')
    const ids = (await db.selectFrom('videos').select('id').orderBy('position').execute()).map((r) => r.id)
    const mine = { download_job_id: job.id }
    await updateVideo(db, ids[0], { ...mine, download_state: 'downloaded', extract_job_id: job.id, extract_state: 'extracted' })
    await updateVideo(db, ids[1], { ...mine, download_state: 'downloaded', extract_job_id: job.id, extract_state: 'extracting' })
    await updateVideo(db, ids[2], { ...mine, download_state: 'failed' })
    await updateVideo(db, ids[3], { ...mine, download_state: 'downloading' })
    await updateVideo(db, ids[4], { ...mine, download_state: 'pending' })
    // ids[5]: not this job's
    expect(await claimedWork(db, job)).toEqual({
      download: [ids[3], ids[4]],
      extract: [ids[1]],
      counts: { download_total: 5, download_completed: 2, download_failed: 1, extract_total: 4, extract_completed: 1, extract_failed: 0 },
    })
    expect((await claimedWork(db, { ...job, type: 'download' })).counts).toEqual({ download_total: 5, download_completed: 2, download_failed: 1 })
    await db.destroy()
  })

  test('a resumed "both" job claims the extraction of its downloads that a stop left unclaimed', async () => {
    const db = await dialect.open()
    const p = await insertPlaylist(db, { url: 'http://127.0.0.1:9/feed.xml', title: 'P', folder: 'P', uploader: null, indexed_at: null })
    await applyIndex(
      db,
      p.id,
      [1, 2, 3].map((n) => indexedEntry(n)),
    )
    const job = await insertJob(db, p.id, 'both')
    const ids = (await db.selectFrom('videos').select('id').orderBy('position').execute()).map((r) => r.id)
    // Downloaded by this job, stopped before its extraction was claimed.
    await updateVideo(db, ids[0], { download_job_id: job.id, download_state: 'downloaded' })
    await updateVideo(db, ids[1], { download_job_id: job.id, download_state: 'downloaded', extract_job_id: job.id, extract_state: 'extracted' })
    // Another job's download is not this job's to extract.
    await updateVideo(db, ids[2], { download_job_id: job.id + 1, download_state: 'downloaded' })
    expect((await claimedWork(db, job)).extract).toEqual([])
    expect(await claimOwnDownloaded(db, { ...job, type: 'download' })).toBe(0)
    expect(await claimOwnDownloaded(db, job)).toBe(1)
    const work = await claimedWork(db, job)
    expect(work.extract).toEqual([ids[0]])
    expect(work.counts).toMatchObject({ download_completed: 2, extract_total: 2, extract_completed: 1 })
    await db.destroy()
  })
})
