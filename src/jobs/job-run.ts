import type { AppContext } from '../context'
import { updateJob } from '../db/jobs'
import { now } from '../db/time'
import type { ItemProgress, JobRow, JobStatus, PhaseStatus, Playlist } from '../db/types'
import type { RunningTool } from '../tools/spawn'

export type Phase = 'download' | 'extract'

export interface ItemOutcome {
  video_id: number
  title: string
  phase: Phase
  ok: boolean
  error: string | null
}

/** How often, at most, one job's progress is written to SQLite. */
export const FLUSH_INTERVAL_MS = 250

/**
 * The in-memory state of one active job. The database stays the source of truth
 * for items; this holds the queues, the live per-item progress, and the counters
 * that are flushed (throttled) to the job row.
 */
export class JobRun {
  readonly downloadQueue: number[] = []
  readonly extractQueue: number[] = []
  downloadInFlight = 0
  extractInFlight = 0
  /** Indexing and claiming are still going on; the download phase can't be over yet. */
  preparing = true
  paused = false
  cancelled = false
  /** Stopped because its state could not be saved (see JobManager.interrupt); its row is written by finish() only. */
  private _interrupting = false
  extractNotBefore = 0
  /** When a pool last gave this job a slot: fairness between jobs of equal priority. */
  lastServedAt = 0
  readonly current = new Map<number, ItemProgress>()
  readonly procs = new Set<RunningTool>()
  batch = { total: 0, downloadedAtStart: 0, batching: false }
  /** Per item: how often a yt-dlp died before reaching it (see downloadChunk). */
  readonly crashRequeues = new Map<number, number>()
  private flushTimer: ReturnType<typeof setTimeout> | null = null
  private flushing: Promise<void> = Promise.resolve()
  private resolveDone!: () => void
  readonly done = new Promise<void>((r) => (this.resolveDone = r))
  finished = false

  constructor(
    readonly ctx: AppContext,
    public job: JobRow,
    public playlist: Playlist,
    private readonly onChange: (run: JobRun) => void,
    private readonly onItem: (run: JobRun, item: ItemOutcome) => void = () => {},
    private readonly onWriteFailed: (run: JobRun, err: unknown) => void = () => {},
  ) {}

  /** An item finished or failed in one phase: for the live event stream. */
  itemEnded(item: ItemOutcome): void {
    this.onItem(this, item)
  }

  get id(): number {
    return this.job.id
  }
  get hasDownload(): boolean {
    return this.job.type !== 'extract'
  }
  get hasExtract(): boolean {
    return this.job.type !== 'download'
  }
  get priorityRank(): number {
    return this.job.priority === 'high' ? 0 : 1
  }

  downloadPhaseOver(): boolean {
    return !this.hasDownload || (!this.preparing && this.downloadQueue.length === 0 && this.downloadInFlight === 0)
  }
  extractPhaseOver(): boolean {
    return !this.hasExtract || (this.downloadPhaseOver() && !this.preparing && this.extractQueue.length === 0 && this.extractInFlight === 0)
  }

  /** Applies a patch to the in-memory row and schedules a throttled write. */
  update(patch: Partial<JobRow>): void {
    Object.assign(this.job, patch)
    this.recomputeLegacy()
    this.scheduleFlush()
    this.onChange(this)
  }

  setPhase(phase: Phase, status: PhaseStatus): void {
    if (phase === 'download' && this.hasDownload) this.update({ download_status: status })
    if (phase === 'extract' && this.hasExtract) this.update({ extract_status: status })
  }

  setItem(p: ItemProgress): void {
    this.current.set(p.video_id * 2 + (p.phase === 'extract' ? 1 : 0), p)
    this.scheduleFlush()
    this.onChange(this)
  }
  clearItem(videoId: number, phase: Phase): void {
    this.current.delete(videoId * 2 + (phase === 'extract' ? 1 : 0))
    this.scheduleFlush()
  }
  currentList(): ItemProgress[] {
    return [...this.current.values()]
  }

  /** "25/100 total (75 remaining)", counted over the whole playlist; null when one batch covers it. */
  batchInfo(): string | null {
    if (!this.batch.batching) return null
    const done = this.batch.downloadedAtStart + this.job.download_completed
    return `${done}/${this.batch.total} total (${Math.max(0, this.batch.total - done)} remaining)`
  }

  private recomputeLegacy(): void {
    const j = this.job
    j.total_items = j.download_total + j.extract_total
    j.completed_items = j.download_completed + j.extract_completed
    const ended = j.download_completed + j.download_failed + j.extract_completed + j.extract_failed
    j.progress = j.total_items > 0 ? Math.round((ended / j.total_items) * 1000) / 10 : 0
  }

  get interrupting(): boolean {
    return this._interrupting
  }
  /**
   * No more throttled writes: the row must not say "interrupted" before the items in flight
   * are released, and finish() writes it once they are.
   */
  beginInterrupt(): void {
    this._interrupting = true
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.finished || this._interrupting) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null
      void this.flush()
    }, FLUSH_INTERVAL_MS)
  }

  /** Writes the counters and the live items; serialised so writes never reorder. */
  flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer)
      this.flushTimer = null
    }
    const j = this.job
    const snapshot = {
      status: j.status,
      error: j.error,
      started_at: j.started_at,
      finished_at: j.finished_at,
      download_status: j.download_status,
      download_total: j.download_total,
      download_completed: j.download_completed,
      download_failed: j.download_failed,
      download_batch_info: j.download_batch_info,
      extract_status: j.extract_status,
      extract_total: j.extract_total,
      extract_completed: j.extract_completed,
      extract_failed: j.extract_failed,
      progress: j.progress,
      total_items: j.total_items,
      completed_items: j.completed_items,
      priority: j.priority,
      current: this.current.size > 0 ? JSON.stringify(this.currentList()) : null,
    }
    this.flushing = this.flushing
      .then(() => updateJob(this.ctx.db, this.id, snapshot))
      .catch((err) => {
        this.ctx.log(`job ${this.id}: progress write failed: ${err}`)
        this.onWriteFailed(this, err)
      })
    return this.flushing
  }

  async finish(status: JobStatus, error: string | null = null): Promise<void> {
    if (this.finished) return
    this.current.clear()
    const patch: Partial<JobRow> = { status, error, finished_at: now() }
    if (status === 'completed') {
      if (this.hasDownload) patch.download_status = 'completed'
      if (this.hasExtract) patch.extract_status = 'completed'
    }
    Object.assign(this.job, patch)
    this.recomputeLegacy()
    await this.flush()
    this.finished = true
    this.onChange(this)
    this.resolveDone()
  }

  killProcesses(): void {
    for (const p of this.procs) p.kill('SIGTERM')
  }
}
