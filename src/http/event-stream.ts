import { ACTIVE_JOB_STATUSES, type Job } from '../db/types'
import type { ItemOutcome } from '../jobs/job-run'
import type { JobListener, JobManager } from '../jobs/manager'

export interface StreamEvent {
  event: 'snapshot' | 'progress' | 'item' | 'done'
  id: string
  data: unknown
}

/** Progress events per job are coalesced to at most this many per second. */
export const PROGRESS_PER_SECOND = 4

let seq = 0
const nextId = () => `${Date.now()}-${++seq}`

/** The fields a progress event carries: phase counts and the items in flight. */
function progressOf(job: Job) {
  const { id, status, download_status, download_total, download_completed, download_failed, download_batch_info } = job
  const { extract_status, extract_total, extract_completed, extract_failed, current } = job
  return {
    id,
    status,
    download_status,
    download_total,
    download_completed,
    download_failed,
    download_batch_info,
    extract_status,
    extract_total,
    extract_completed,
    extract_failed,
    current,
  }
}

/**
 * Live events for one job (jobId set) or for all jobs. A snapshot of the full state
 * always comes first, so a client that reconnects (with Last-Event-ID) resyncs from
 * it; after that only deltas. Ends when the watched job ends.
 */
export async function* jobEventStream(manager: JobManager, jobId: number | null, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
  const queue: StreamEvent[] = []
  const pending = new Map<number, Job>() // newest unsent progress per job
  let wake: (() => void) | null = null
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  let ended = false
  const notify = () => {
    wake?.()
    wake = null
  }
  const flushProgress = () => {
    flushTimer = null
    for (const job of pending.values()) queue.push({ event: 'progress', id: nextId(), data: progressOf(job) })
    pending.clear()
    notify()
  }
  const listener: JobListener = ({ type, job, item }) => {
    if (jobId !== null && job.id !== jobId) return
    if (type === 'progress') {
      pending.set(job.id, job)
      flushTimer ??= setTimeout(flushProgress, 1000 / PROGRESS_PER_SECOND)
      return
    }
    if (type === 'item') {
      queue.push({ event: 'item', id: nextId(), data: { job_id: job.id, ...(item as ItemOutcome) } })
    } else {
      pending.delete(job.id)
      queue.push({ event: 'progress', id: nextId(), data: progressOf(job) })
      queue.push({ event: 'done', id: nextId(), data: job })
      if (jobId !== null) ended = true
    }
    notify()
  }
  const unsubscribe = manager.subscribe(listener)
  // Jobs another node owns: their events are read from the database (watchOthers).
  let unwatch: (() => void) | null = null
  const onAbort = () => {
    ended = true
    notify()
  }
  signal?.addEventListener('abort', onAbort)
  try {
    if (jobId !== null) {
      const job = await manager.get(jobId)
      yield { event: 'snapshot', id: nextId(), data: job }
      if (!manager.isActive(jobId)) {
        if (!ACTIVE_JOB_STATUSES.includes(job.status)) {
          yield { event: 'done', id: nextId(), data: job }
          return
        }
        unwatch = manager.watchOthers(jobId, listener)
      }
    } else {
      yield { event: 'snapshot', id: nextId(), data: await manager.list({ status: [...ACTIVE_JOB_STATUSES] }) }
      unwatch = manager.watchOthers(null, listener)
    }
    while (true) {
      while (queue.length > 0) {
        const ev = queue.shift()!
        yield ev
        if (ev.event === 'done' && jobId !== null) return
      }
      if (ended) return
      await new Promise<void>((r) => (wake = r))
    }
  } finally {
    unsubscribe()
    unwatch?.()
    if (flushTimer) clearTimeout(flushTimer)
    signal?.removeEventListener('abort', onAbort)
  }
}
