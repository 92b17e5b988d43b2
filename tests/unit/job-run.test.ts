import { beforeEach, describe, expect, test } from 'bun:test'
import type { AppContext } from '../../src/context'
import { findJob, insertJob } from '../../src/db/jobs'
import { migrateToLatest } from '../../src/db/migrate'
import { type DB, openDatabase } from '../../src/db/open'
import { insertPlaylist } from '../../src/db/playlists'
import type { JobType, Playlist } from '../../src/db/types'
import { type ItemOutcome, JobRun } from '../../src/jobs/job-run'
import { batchInfo } from '../../src/library/batch-info'

// Each accounting transition of a job, on its own: the bars a person watches are these counters.

let db: DB
let playlist: Playlist
let calls: { progress: number; wake: number; items: ItemOutcome[] }

beforeEach(async () => {
  db = openDatabase(':memory:')
  await migrateToLatest(db)
  playlist = await insertPlaylist(db, { url: 'http://127.0.0.1:9/feed.xml', title: 'P', folder: 'P', uploader: null, indexed_at: null })
  calls = { progress: 0, wake: 0, items: [] }
})

async function runOf(type: JobType): Promise<JobRun> {
  const row = await insertJob(db, playlist.id, type)
  const ctx = { db, config: { nodeName: 'here' }, log: () => {} } as unknown as AppContext
  return new JobRun(ctx, row, playlist, {
    progress: () => calls.progress++,
    wake: () => calls.wake++,
    item: (_r, item) => calls.items.push(item),
    writeFailed: (_r, err) => {
      throw err
    },
  })
}

const outcome = (video_id: number, phase: 'download' | 'extract', ok: boolean): ItemOutcome => ({
  video_id,
  title: `T${video_id}`,
  phase,
  ok,
  error: ok ? null : 'broken',
})

const counters = (run: JobRun) => {
  const { download_total, download_completed, download_failed, extract_total, extract_completed, extract_failed } = run.job
  return { download_total, download_completed, download_failed, extract_total, extract_completed, extract_failed }
}

describe('claims', () => {
  test('claimDownloads: in "both" each download is also one to extract later; it wakes the scheduler', async () => {
    const run = await runOf('both')
    run.claimDownloads([1, 2, 3])
    run.claimDownloads([4])
    expect(counters(run)).toMatchObject({ download_total: 4, extract_total: 4 })
    expect(run.queuedDownloads).toBe(4)
    expect(calls.wake).toBe(2)
  })

  test('claimDownloads: a download job counts nothing to extract', async () => {
    const run = await runOf('download')
    run.claimDownloads([1, 2])
    expect(counters(run)).toMatchObject({ download_total: 2, extract_total: 0 })
  })

  test('claimExtractions: queued, counted, the phase runs', async () => {
    const run = await runOf('extract')
    run.claimExtractions([5, 6])
    expect(run.job).toMatchObject({ extract_total: 2, extract_status: 'running' })
    expect(run.queuedExtractions).toBe(2)
    expect(calls.wake).toBe(1)
  })

  test('releaseDownloads gives back only what is still queued, and uncounts it', async () => {
    const run = await runOf('both')
    run.claimDownloads([1, 2, 3])
    expect(run.takeDownloads(1)).toEqual([1]) // handed to yt-dlp: no longer releasable
    expect(run.stillQueued([1, 2, 3])).toEqual([2, 3])
    expect(run.releaseDownloads([1, 3])).toEqual([3])
    expect(counters(run)).toMatchObject({ download_total: 2, extract_total: 2 })
    expect(run.queuedDownloads).toBe(1)
    expect(run.releaseDownloads([9])).toEqual([])
  })

  test('resumeWith takes the recounted counters and queues as they are', async () => {
    const run = await runOf('both')
    run.resumeWith({
      download: [7, 8],
      extract: [3],
      counts: { download_total: 5, download_completed: 2, download_failed: 1, extract_total: 3, extract_completed: 0, extract_failed: 0 },
    })
    expect(counters(run)).toEqual({ download_total: 5, download_completed: 2, download_failed: 1, extract_total: 3, extract_completed: 0, extract_failed: 0 })
    expect([run.queuedDownloads, run.queuedExtractions]).toEqual([2, 1])
    expect(calls.wake).toBe(1)
  })

  test('countBatch: a batch of a longer list says where it stands; one batch for all says nothing', async () => {
    const run = await runOf('download')
    run.claimDownloads([1, 2])
    run.downloadEnded(outcome(1, 'download', true))
    // 30 downloaded in the playlist, 1 of them by this job: 29 before it.
    run.countBatch({ total: 100, downloaded: 30 }, true)
    expect(run.job).toMatchObject({ batch_total: 100, batch_done_before: 29 })
    expect(run.entryCount).toBe(100)
    expect(batchInfo(run.job)).toBe('30/100 total (70 remaining)')
    run.downloadEnded(outcome(2, 'download', true))
    expect(batchInfo(run.job)).toBe('31/100 total (69 remaining)')
    run.countBatch({ total: 100, downloaded: 31 }, false)
    expect(run.job).toMatchObject({ batch_total: null, batch_done_before: 0 })
    expect(batchInfo(run.job)).toBeNull()
  })
})

describe('work taken and given back', () => {
  test('takeDownloads holds a slot until downloadWorkEnded; requeued items come first, in order', async () => {
    const run = await runOf('download')
    run.claimDownloads([1, 2, 3, 4])
    const before = Date.now()
    const chunk = run.takeDownloads(3)
    expect(chunk).toEqual([1, 2, 3])
    expect(run.downloadSlots).toBe(1)
    expect(run.busy).toBe(true)
    expect(run.lastServedAt).toBeGreaterThanOrEqual(before)
    run.requeueDownloads([2, 3])
    run.downloadWorkEnded()
    expect(run.busy).toBe(false)
    expect(run.takeDownloads(10)).toEqual([2, 3, 4])
    run.downloadWorkEnded()
  })

  test('takeExtraction takes one item and a slot; an empty queue takes neither', async () => {
    const run = await runOf('extract')
    expect(run.takeExtraction()).toBeUndefined()
    expect(run.extractSlots).toBe(0)
    run.claimExtractions([5, 6])
    expect(run.takeExtraction()).toBe(5)
    expect(run.extractSlots).toBe(1)
    run.requeueExtraction(5)
    run.extractWorkEnded()
    expect(run.takeExtraction()).toBe(5)
  })

  test('the phases are over only once claiming is done and nothing is queued or running', async () => {
    const run = await runOf('both')
    expect(run.downloadPhaseOver()).toBe(false) // still preparing
    run.prepared()
    expect([run.downloadPhaseOver(), run.extractPhaseOver()]).toEqual([true, true])
    run.claimDownloads([1])
    expect(run.downloadPhaseOver()).toBe(false)
    run.takeDownloads(1)
    expect(run.downloadPhaseOver()).toBe(false)
    run.downloadWorkEnded()
    expect(run.downloadPhaseOver()).toBe(true)
    expect(run.extractPhaseOver()).toBe(true)
    run.queueExtraction(1)
    expect(run.extractPhaseOver()).toBe(false)
  })
})

describe('item ends', () => {
  test('downloadEnded ok: counted, its live line gone, reported as an item', async () => {
    const run = await runOf('both')
    run.claimDownloads([1])
    run.setItem({ video_id: 1, title: 'T1', phase: 'download', percent: 50 })
    run.downloadEnded(outcome(1, 'download', true))
    expect(counters(run)).toMatchObject({ download_completed: 1, download_failed: 0, extract_total: 1 })
    expect(run.currentList()).toEqual([])
    expect(calls.items).toEqual([outcome(1, 'download', true)])
  })

  test('downloadEnded failed: in "both" it is no longer one to extract', async () => {
    const run = await runOf('both')
    run.claimDownloads([1, 2])
    run.downloadEnded(outcome(1, 'download', false))
    expect(counters(run)).toMatchObject({ download_total: 2, download_failed: 1, extract_total: 1 })
  })

  test('downloadEnded failed in a download job leaves extraction alone', async () => {
    const run = await runOf('download')
    run.claimDownloads([1])
    run.downloadEnded(outcome(1, 'download', false))
    expect(counters(run)).toMatchObject({ download_failed: 1, extract_total: 0 })
  })

  test('queueExtraction queues the downloaded item and wakes the scheduler', async () => {
    const run = await runOf('both')
    run.queueExtraction(4)
    expect(run.queuedExtractions).toBe(1)
    expect(calls.wake).toBe(1)
  })

  test('extractionDropped uncounts one to extract, never below zero', async () => {
    const run = await runOf('both')
    run.claimDownloads([1])
    run.extractionDropped(1)
    expect(run.job.extract_total).toBe(0)
    run.extractionDropped(1)
    expect(run.job.extract_total).toBe(0)
  })

  test('extractEnded counts completed or failed and reports the item', async () => {
    const run = await runOf('extract')
    run.claimExtractions([1, 2])
    run.extractEnded(outcome(1, 'extract', true))
    run.extractEnded(outcome(2, 'extract', false))
    expect(counters(run)).toMatchObject({ extract_total: 2, extract_completed: 1, extract_failed: 1 })
    expect(calls.items.map((i) => i.ok)).toEqual([true, false])
  })

  test('the legacy columns follow the counters', async () => {
    const run = await runOf('both')
    run.claimDownloads([1, 2])
    run.downloadEnded(outcome(1, 'download', true))
    run.downloadEnded(outcome(2, 'download', false))
    expect(run.job).toMatchObject({ total_items: 3, completed_items: 1, progress: 66.7 })
  })
})

describe('progress and state', () => {
  test('a progress line emits but never wakes the scheduler', async () => {
    const run = await runOf('download')
    for (let p = 0; p < 5; p++) run.setItem({ video_id: 1, title: 'T1', phase: 'download', percent: p * 20 })
    expect(calls.progress).toBe(5)
    expect(calls.wake).toBe(0)
    expect(run.currentList()).toHaveLength(1)
  })

  test('pause and resume move the running phases; resume wakes the scheduler', async () => {
    const run = await runOf('both')
    run.setPhase('download', 'running')
    run.setPhase('extract', 'completed')
    run.pause()
    expect(run.job).toMatchObject({ status: 'paused', download_status: 'paused', extract_status: 'completed' })
    expect(run.paused).toBe(true)
    run.resume()
    expect(run.job).toMatchObject({ status: 'running', download_status: 'running', extract_status: 'completed' })
    expect(calls.wake).toBe(1)
  })

  test('finish writes the counters and the batch numbers to the row', async () => {
    const run = await runOf('both')
    run.claimDownloads([1, 2])
    run.countBatch({ total: 50, downloaded: 10 }, true)
    run.downloadEnded(outcome(1, 'download', true))
    await run.finish('completed')
    const row = await findJob(db, run.id)
    expect(row).toMatchObject({ status: 'completed', download_total: 2, download_completed: 1, extract_total: 2, batch_total: 50, batch_done_before: 10 })
    expect(run.finished).toBe(true)
  })
})
