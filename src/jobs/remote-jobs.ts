import type { AppContext } from '../context'
import { type JobItem, jobItems } from '../db/job-items'
import { findJob, listJobs, toJob } from '../db/jobs'
import { now } from '../db/time'
import { ACTIVE_JOB_STATUSES, type ItemProgress, type Job, type JobRow } from '../db/types'
import type { ItemOutcome } from './job-run'

/** How often a node reads the jobs other nodes own while someone watches them: once a second, however many watch. */
export const REMOTE_POLL_MS = 1000

export type RemoteEvent = { type: 'progress' | 'item' | 'done'; job: Job; item?: ItemOutcome }

interface Watcher {
  /** One job, or null: every active job this node does not own. */
  jobId: number | null
  fn: (ev: RemoteEvent) => void
}

interface Tracked {
  /** The items' phase states at the last read, to tell which ended since. */
  states: Map<number, Pick<JobItem, 'download_state' | 'extract_state'>>
  last: Job
  seen: string
  ended: boolean
}

const slot = (p: Pick<ItemProgress, 'video_id' | 'phase'>) => `${p.phase}:${p.video_id}`

/**
 * What happened to a job's items between two reads: the phases that ended (as the owner's
 * `item` events say it). Items first seen now count as pending before: the job claimed them
 * since the last read.
 */
export function itemEnds(job: Pick<JobRow, 'id' | 'type'>, before: Tracked['states'], items: JobItem[]): ItemOutcome[] {
  const out: ItemOutcome[] = []
  for (const it of items) {
    const prev = before.get(it.id) ?? { download_state: 'pending', extract_state: 'pending' }
    const downloadOver = (s: string) => s === 'downloaded' || s === 'failed'
    const extractOver = (s: string) => s === 'extracted' || s === 'failed'
    if (job.type !== 'extract' && it.download_job_id === job.id && !downloadOver(prev.download_state) && downloadOver(it.download_state)) {
      const ok = it.download_state === 'downloaded'
      out.push({ video_id: it.id, title: it.title, phase: 'download', ok, error: ok ? null : it.error })
    }
    if (job.type !== 'download' && it.extract_job_id === job.id && !extractOver(prev.extract_state) && extractOver(it.extract_state)) {
      const ok = it.extract_state === 'extracted'
      out.push({ video_id: it.id, title: it.title, phase: 'extract', ok, error: ok ? null : it.error })
    }
  }
  return out
}

/**
 * The job's items in flight: the owner's own from its row (written every 250 ms), and those
 * other nodes run from the items' live progress (written by each at most twice a second),
 * fresher than the owner's copy of them in its row.
 */
export function itemsInFlight(row: JobRow, items: JobItem[], at = now()): ItemProgress[] {
  if (!ACTIVE_JOB_STATUSES.includes(row.status)) return []
  const remote: ItemProgress[] = []
  for (const it of items) {
    if (!it.live_progress || !it.lease_node || it.lease_node === row.node || !it.lease_until || it.lease_until < at) continue
    let p: ItemProgress
    try {
      p = JSON.parse(it.live_progress)
    } catch {
      continue
    }
    const inPhase =
      p.phase === 'download'
        ? it.download_job_id === row.id && (it.download_state === 'pending' || it.download_state === 'downloading')
        : it.extract_job_id === row.id && (it.extract_state === 'pending' || it.extract_state === 'extracting')
    if (inPhase) remote.push({ ...p, node: it.lease_node })
  }
  const fresh = new Set(remote.map(slot))
  const owners = toJob(row).current.filter((p) => (!p.node || p.node === row.node) && !fresh.has(slot(p)))
  return [...owners, ...remote]
}

/**
 * The live events of jobs other nodes own, read from the database: the job row's counters
 * and status, the items' phase states and live progress. It polls once every REMOTE_POLL_MS
 * for all its watchers together, and only while it has any; events come in the shapes the
 * owner's JobManager emits (`progress` when anything changed, `item` per phase that ended,
 * `done` once the job is over).
 */
export class RemoteJobs {
  private readonly watchers = new Set<Watcher>()
  private readonly tracked = new Map<number, Tracked>()
  private running = false
  private stopped = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private wakeLoop: (() => void) | null = null
  /** Polls so far: a test counts them against the time watched. */
  polls = 0

  constructor(
    private readonly ctx: AppContext,
    /** True for a job this node owns: its events come from its own run, not from here. */
    private readonly owned: (jobId: number) => boolean,
  ) {}

  /** Starts watching; returns the function that stops it. */
  watch(jobId: number | null, fn: (ev: RemoteEvent) => void): () => void {
    const w: Watcher = { jobId, fn }
    this.watchers.add(w)
    if (!this.running && !this.stopped) {
      this.running = true
      void this.loop()
    }
    return () => {
      this.watchers.delete(w)
      if (this.watchers.size === 0) this.wake()
    }
  }

  stop(): void {
    this.stopped = true
    this.wake()
  }

  private wake(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.wakeLoop?.()
    this.wakeLoop = null
  }

  private async loop(): Promise<void> {
    while (this.watchers.size > 0 && !this.stopped) {
      try {
        await this.poll()
      } catch (err) {
        this.ctx.log(`live events of other nodes' jobs: ${err instanceof Error ? err.message : err}`)
      }
      if (this.watchers.size === 0 || this.stopped) break
      await new Promise<void>((resolve) => {
        this.wakeLoop = resolve
        this.timer = setTimeout(resolve, REMOTE_POLL_MS)
      })
    }
    this.running = false
    this.tracked.clear()
  }

  private async poll(): Promise<void> {
    this.polls++
    const { db } = this.ctx
    const specific = new Set<number>()
    let all = false
    for (const w of this.watchers) {
      if (w.jobId === null) all = true
      else specific.add(w.jobId)
    }
    const wanted = new Map<number, JobRow | undefined>()
    if (all) for (const row of await listJobs(db, { status: [...ACTIVE_JOB_STATUSES], limit: 1000 })) wanted.set(row.id, row)
    // Watched by id, or gone from the active list since the last read (it ended: its done is due).
    for (const id of [...specific, ...this.tracked.keys()]) if (!wanted.has(id)) wanted.set(id, undefined)
    for (const [id, listed] of wanted) {
      if (this.owned(id)) {
        this.tracked.delete(id)
        continue
      }
      const t = this.tracked.get(id)
      if (t?.ended) continue
      const row = listed ?? (await findJob(db, id))
      if (!row) {
        // Deleted with its playlist: whoever watched it hears the end of it.
        if (t) this.send({ type: 'done', job: t.last })
        this.tracked.delete(id)
        continue
      }
      await this.report(row, t)
    }
    for (const [id, t] of this.tracked) if (!specific.has(id) && (t.ended || !all)) this.tracked.delete(id)
  }

  private async report(row: JobRow, t: Tracked | undefined): Promise<void> {
    const items = await jobItems(this.ctx.db, row.id)
    const job = toJob(row, itemsInFlight(row, items))
    const seen = JSON.stringify(job)
    const ended = !ACTIVE_JOB_STATUSES.includes(row.status)
    const states = new Map(items.map((it) => [it.id, { download_state: it.download_state, extract_state: it.extract_state }]))
    // The first read is the baseline: what ended before it is in the snapshot the watcher already has.
    if (t) for (const item of itemEnds(row, t.states, items)) this.send({ type: 'item', job, item })
    if (ended) this.send({ type: 'done', job })
    // A job first seen after the watcher's snapshot (just created elsewhere) is news too.
    else if (seen !== t?.seen) this.send({ type: 'progress', job })
    this.tracked.set(row.id, { states, last: job, seen, ended })
  }

  private send(ev: RemoteEvent): void {
    for (const w of this.watchers) if (w.jobId === null || w.jobId === ev.job.id) w.fn(ev)
  }
}
