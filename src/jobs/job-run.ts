import type { AppContext } from '../context'
import type { ClaimedWork, JobCounts } from '../db/claims'
import type { SharedWork } from '../db/leases'
import { updateOwnedJob } from '../db/jobs'
import { now } from '../db/time'
import type { ItemProgress, JobRow, JobStatus, PhaseStatus, Playlist, Priority } from '../db/types'
import type { RunningTool } from '../tools/spawn'

export type Phase = 'download' | 'extract' | 'move'

export interface ItemOutcome {
  video_id: number
  title: string
  phase: Phase
  ok: boolean
  error: string | null
}

/** How often, at most, one job's progress is written to SQLite. */
export const FLUSH_INTERVAL_MS = 250

/** What a run tells its owner (the JobManager). */
export interface RunHooks {
  /** Counters, phases or live items changed: for listeners only, never a reason to schedule. */
  progress(run: JobRun): void
  /** Work was queued or may start again (claim, resume, priority): the scheduler looks again. */
  wake(run: JobRun): void
  /** An item finished or failed in one phase: for the live event stream. */
  item(run: JobRun, item: ItemOutcome): void
  /** A throttled write of the job row failed. */
  writeFailed(run: JobRun, err: unknown): void
  /** The row names another node now (it took the job over while this one was silent): this run must stop writing it. */
  ownershipLost?(run: JobRun): void
  /** A follower's item moved on: its live progress, for the nodes that show the job (throttled there). */
  live?(run: JobRun, p: ItemProgress): void
}

/**
 * `owner`: this node plans the job and keeps its row (counters, status). `follower`: another
 * node owns it and this one only helps with its items; it never writes the job row.
 */
export type RunRole = 'owner' | 'follower'

/** Playlist-wide counts at the time of a claim (downloadTotals). */
export interface EntryTotals {
  total: number
  downloaded: number
}

/**
 * The in-memory state of one active job: its queues, the live per-item progress, and the
 * counters flushed (throttled) to the job row. The database stays the source of truth for
 * items, and every counter can be recounted from them (claimedWork).
 *
 * Every change of a counter or a queue is one of the named operations below: the job's
 * accounting lives in this file only. Others read it through `job` (read-only) and getters.
 */
export class JobRun {
  private readonly row: JobRow
  private readonly downloadQueue: number[] = []
  private readonly extractQueue: number[] = []
  /** yt-dlp chunks and ffmpeg items of this job running now. */
  private downloadsRunning = 0
  private extractsRunning = 0
  /** A relayout's mover is between two files. */
  private moving = false
  /** Indexing and claiming are still going on; the download phase can't be over yet. */
  private _preparing = true
  private _paused = false
  private _cancelled = false
  /** Stopped because its state could not be saved (see JobManager.interrupt); its row is written by finish() only. */
  private _interrupting = false
  private _finished = false
  private _extractNotBefore = 0
  /** When a pool last gave this job a slot: fairness between jobs of equal priority. */
  private _lastServedAt = 0
  /** Entries of the playlist at the last claim: the width of the numbers in file names. */
  private _entryCount = 0
  private readonly current = new Map<number, ItemProgress>()
  readonly procs = new Set<RunningTool>()
  /** Per item: how often a yt-dlp died before reaching it (see downloadChunk). */
  readonly crashRequeues = new Map<number, number>()
  /** Items of this job other nodes hold a lease on (cluster mode): a phase is not over while any remain. */
  private elsewhere = { download: 0, extract: 0 }
  /** Live progress other nodes wrote for their items of this job. */
  private remoteLive: ItemProgress[] = []
  /** Set when a lease was refused: another node took an item of this job, so the queues follow the database. */
  shared = false
  private flushTimer: ReturnType<typeof setTimeout> | null = null
  private flushing: Promise<void> = Promise.resolve()
  private resolveDone!: () => void
  readonly done = new Promise<void>((r) => (this.resolveDone = r))

  constructor(
    readonly ctx: AppContext,
    job: JobRow,
    public playlist: Playlist,
    private readonly hooks: RunHooks,
    private _role: RunRole = 'owner',
  ) {
    this.row = { ...job }
    if (_role === 'follower') this._preparing = false
  }

  get role(): RunRole {
    return this._role
  }
  get follower(): boolean {
    return this._role === 'follower'
  }

  /**
   * This node took the job over from a lost owner: the run keeps its items in flight and
   * writes the row from now on (`row`: as the takeover left it; the caller recounts).
   */
  promote(row: JobRow): void {
    Object.assign(this.row, row)
    this._role = 'owner'
    this._preparing = false
    // Its counters follow the rows: other nodes finish its items too.
    this.shared = true
  }

  /** Another node took the job over (this one was silent too long): keep helping, stop writing its row. */
  demote(): void {
    this._role = 'follower'
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
  }

  get job(): Readonly<JobRow> {
    return this.row
  }
  get id(): number {
    return this.row.id
  }
  get hasDownload(): boolean {
    return this.row.type === 'download' || this.row.type === 'both'
  }
  get hasExtract(): boolean {
    return this.row.type === 'extract' || this.row.type === 'both'
  }
  /** A relayout job: no pools, one mover (see relayout.ts). */
  get isRelayout(): boolean {
    return this.row.type === 'relayout'
  }
  get priorityRank(): number {
    return this.row.priority === 'high' ? 0 : 1
  }
  get preparing(): boolean {
    return this._preparing
  }
  get paused(): boolean {
    return this._paused
  }
  get cancelled(): boolean {
    return this._cancelled
  }
  get finished(): boolean {
    return this._finished
  }
  get interrupting(): boolean {
    return this._interrupting
  }
  get extractNotBefore(): number {
    return this._extractNotBefore
  }
  get lastServedAt(): number {
    return this._lastServedAt
  }
  get entryCount(): number {
    return this._entryCount
  }
  get queuedDownloads(): number {
    return this.downloadQueue.length
  }
  get queuedExtractions(): number {
    return this.extractQueue.length
  }
  get downloadSlots(): number {
    return this.downloadsRunning
  }
  get extractSlots(): number {
    return this.extractsRunning
  }
  /** A worker of this job is still running (cancel and shutdown wait for it). */
  get busy(): boolean {
    return this.downloadsRunning > 0 || this.extractsRunning > 0 || this.moving
  }

  downloadPhaseOver(): boolean {
    return !this.hasDownload || (!this._preparing && this.downloadQueue.length === 0 && this.downloadsRunning === 0 && this.elsewhere.download === 0)
  }
  extractPhaseOver(): boolean {
    return (
      !this.hasExtract ||
      (this.downloadPhaseOver() && !this._preparing && this.extractQueue.length === 0 && this.extractsRunning === 0 && this.elsewhere.extract === 0)
    )
  }

  /** Nothing of this job is queued or running here (a follower with nothing left to help with). */
  get idle(): boolean {
    return this.downloadQueue.length === 0 && this.extractQueue.length === 0 && !this.busy
  }

  // ---- cluster: the queues and counters follow the item rows that every node shares ----

  /**
   * The work no node holds becomes this node's queues (items it runs itself are leased, so
   * they are not in `work`); what other nodes hold keeps the phases open; an owner takes the
   * counters recounted from the rows, which every node's results land in.
   */
  syncShared(work: SharedWork, counts: Partial<JobCounts> | null): void {
    if (this._preparing) return
    this.downloadQueue.splice(0, this.downloadQueue.length, ...(this.hasDownload ? work.download : []))
    this.extractQueue.splice(0, this.extractQueue.length, ...(this.hasExtract ? work.extract : []))
    this.elsewhere = { ...work.elsewhere }
    this.remoteLive = work.live
    if (counts && !this.follower) this.change(counts)
    else this.hooks.progress(this)
    if (work.download.length > 0 || work.extract.length > 0) this.hooks.wake(this)
  }

  /** The owner paused, resumed or ended the job: a follower does the same with its share. */
  followStatus(status: JobStatus): void {
    if (status === 'paused') this.pause()
    else if (status === 'running') this.resume()
    else this.cancel()
  }

  // ---- life of the job ----

  started(): void {
    this.change({ status: 'running', started_at: this.row.started_at ?? now(), finished_at: null, error: null })
  }

  /** Claiming is over: the phases may now end. */
  prepared(): void {
    this._preparing = false
  }

  setPhase(phase: Phase, status: PhaseStatus): void {
    if (phase === 'download' && this.hasDownload) this.change({ download_status: status })
    if (phase === 'extract' && this.hasExtract) this.change({ extract_status: status })
  }

  /** Running items finish; no new ones start. */
  pause(): void {
    if (this._paused) return
    this._paused = true
    if (this.hasDownload && this.row.download_status === 'running') this.setPhase('download', 'paused')
    if (this.hasExtract && this.row.extract_status === 'running') this.setPhase('extract', 'paused')
    this.change({ status: 'paused' })
  }

  resume(): void {
    if (!this._paused) return
    this._paused = false
    if (this.row.download_status === 'paused') this.setPhase('download', 'running')
    if (this.row.extract_status === 'paused') this.setPhase('extract', 'running')
    this.change({ status: 'running' })
    this.hooks.wake(this)
  }

  /** No new work starts; the workers see it at their next step and give their items back. */
  cancel(): void {
    this._cancelled = true
    this.killProcesses()
  }

  /**
   * The priority lives in the row, which any node may write (the API on another `serve`);
   * the owner reads it back each pass (NodeAgent), so its flushes never carry it.
   */
  setPriority(priority: Priority): void {
    if (priority === this.row.priority) return
    this.row.priority = priority
    this.hooks.progress(this)
    this.hooks.wake(this)
  }

  /** Extraction (of a "both" job) waits until `at`, so the first downloads get the CPU. */
  delayExtraction(at: number): void {
    this._extractNotBefore = at
  }

  // ---- claims: what the job takes on ----

  /** A resumed or retry job: the work it owns and its counters, recounted from the item rows. */
  resumeWith(work: ClaimedWork): void {
    this.downloadQueue.push(...work.download)
    this.extractQueue.push(...work.extract)
    this.change(work.counts)
    this.hooks.wake(this)
  }

  /** Downloaded items waiting for their audio, taken by a fresh job. */
  claimExtractions(ids: number[]): void {
    this.extractQueue.push(...ids)
    this.change({ extract_total: this.row.extract_total + ids.length, extract_status: 'running' })
    this.hooks.wake(this)
  }

  /** Items to download; in "both" each is also one to extract later. */
  claimDownloads(ids: number[]): void {
    this.downloadQueue.push(...ids)
    const patch: Partial<JobRow> = { download_total: this.row.download_total + ids.length }
    if (this.hasExtract) patch.extract_total = this.row.extract_total + ids.length
    this.change(patch)
    this.hooks.wake(this)
  }

  /** Of `ids`, those still waiting in the queue (not handed to yt-dlp yet). */
  stillQueued(ids: number[]): number[] {
    return ids.filter((id) => this.downloadQueue.includes(id))
  }

  /** Claimed downloads given back before they started (gone upstream): no longer this job's. Returns those given back. */
  releaseDownloads(ids: number[]): number[] {
    const gone = new Set(ids.filter((id) => this.downloadQueue.includes(id)))
    if (gone.size === 0) return []
    const keep = this.downloadQueue.filter((id) => !gone.has(id))
    this.downloadQueue.splice(0, this.downloadQueue.length, ...keep)
    const patch: Partial<JobRow> = { download_total: this.row.download_total - gone.size }
    if (this.hasExtract) patch.extract_total = Math.max(0, this.row.extract_total - gone.size)
    this.change(patch)
    return [...gone]
  }

  /**
   * Where this job's downloads stand in the whole playlist. `batching`: the job takes one
   * batch of a longer list, and says "25/100 total (75 remaining)".
   */
  countBatch(totals: EntryTotals, batching: boolean): void {
    this._entryCount = totals.total
    // Items this job already finished (during a re-index, or before a crash) were not downloaded before it.
    const doneBefore = Math.max(0, totals.downloaded - this.row.download_completed)
    this.change(batching ? { batch_total: totals.total, batch_done_before: doneBefore } : { batch_total: null, batch_done_before: 0 })
  }

  // ---- work: what the pools take and give back ----

  /** The next `n` downloads, for one yt-dlp chunk. */
  takeDownloads(n: number): number[] {
    this.downloadsRunning++
    this._lastServedAt = Date.now()
    return this.downloadQueue.splice(0, n)
  }
  downloadWorkEnded(): void {
    this.downloadsRunning--
  }
  /** Not attempted (stopped early, refused with 429): first in line again, in order. */
  requeueDownloads(ids: number[]): void {
    this.downloadQueue.unshift(...ids)
  }

  takeExtraction(): number | undefined {
    const id = this.extractQueue.shift()
    if (id === undefined) return undefined
    this.extractsRunning++
    this._lastServedAt = Date.now()
    return id
  }
  extractWorkEnded(): void {
    this.extractsRunning--
  }
  requeueExtraction(id: number): void {
    this.extractQueue.unshift(id)
  }

  // ---- item ends ----

  downloadEnded(outcome: ItemOutcome): void {
    this.current.delete(slot(outcome.video_id, 'download'))
    if (outcome.ok) this.change({ download_completed: this.row.download_completed + 1 })
    // In "both" a failed download was counted as one to extract; it no longer is.
    else this.change(this.withoutExtraction({ download_failed: this.row.download_failed + 1 }))
    this.hooks.item(this, outcome)
  }

  /** A downloaded item's audio is to be made by this job. */
  queueExtraction(videoId: number): void {
    this.extractQueue.push(videoId)
    this.hooks.wake(this)
  }

  /** Counted as one to extract, but it will not be (its audio is there, or the length filter leaves it out). */
  extractionDropped(videoId: number): void {
    this.current.delete(slot(videoId, 'extract'))
    this.change(this.withoutExtraction({}))
  }

  extractEnded(outcome: ItemOutcome): void {
    this.current.delete(slot(outcome.video_id, 'extract'))
    this.change(outcome.ok ? { extract_completed: this.row.extract_completed + 1 } : { extract_failed: this.row.extract_failed + 1 })
    this.hooks.item(this, outcome)
  }

  private withoutExtraction(patch: Partial<JobRow>): Partial<JobRow> {
    return this.hasExtract ? { ...patch, extract_total: Math.max(0, this.row.extract_total - 1) } : patch
  }

  // ---- moves: a relayout job ----

  /** The files the relayout has to move, counted when it starts or resumes. */
  countMoves(total: number, completed = 0): void {
    this.change({ move_total: total, move_completed: completed })
  }
  /** The mover takes on one entry's files; it shows as the item in flight. */
  moveStarted(videoId: number, title: string): void {
    this.moving = true
    this.setItem({ video_id: videoId, title, phase: 'move', percent: null })
  }
  /** One file moved (or, gone from disk, left to verify): counted as done. */
  fileMoved(): void {
    this.change({ move_completed: this.row.move_completed + 1 })
  }
  /** The entry's files are done (or the mover stopped on them). */
  moveEnded(videoId: number): void {
    this.moving = false
    this.clearItem(videoId, 'move')
  }

  // ---- live items: shown, never a reason to schedule ----

  setItem(p: ItemProgress): void {
    const item = { ...p, node: this.ctx.config.nodeName }
    this.current.set(slot(p.video_id, p.phase), item)
    this.scheduleFlush()
    this.hooks.progress(this)
    if (this.follower) this.hooks.live?.(this, item)
  }
  /** The item stopped without an end (given back, cancelled). */
  clearItem(videoId: number, phase: Phase): void {
    this.current.delete(slot(videoId, phase))
    this.scheduleFlush()
  }
  currentList(): ItemProgress[] {
    const here = [...this.current.values()]
    const mine = new Set(here.map((p) => slot(p.video_id, p.phase)))
    return [...here, ...this.remoteLive.filter((p) => !mine.has(slot(p.video_id, p.phase)))]
  }

  // ---- the row ----

  /** Applies a patch to the in-memory row and schedules a throttled write. */
  private change(patch: Partial<JobRow>): void {
    Object.assign(this.row, patch)
    this.recomputeLegacy()
    this.scheduleFlush()
    this.hooks.progress(this)
  }

  /** The legacy columns (see JobTable): derived here only, for older clients. */
  private recomputeLegacy(): void {
    const j = this.row
    j.total_items = j.download_total + j.extract_total + j.move_total
    j.completed_items = j.download_completed + j.extract_completed + j.move_completed
    const ended = j.download_completed + j.download_failed + j.extract_completed + j.extract_failed + j.move_completed
    j.progress = j.total_items > 0 ? Math.round((ended / j.total_items) * 1000) / 10 : 0
  }

  /**
   * No more throttled writes: the row must not say "interrupted" before the items in flight
   * are released, and finish() writes it once they are.
   */
  beginInterrupt(): void {
    this._interrupting = true
    this._cancelled = true
    this.killProcesses()
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
  }

  /** Shown at once by the API (which reads running jobs from memory); the manager saves it. */
  showInterrupted(reason: string): void {
    Object.assign(this.row, { status: 'interrupted', error: reason })
    this.current.clear()
    this.remoteLive = []
    this.hooks.progress(this)
  }

  private scheduleFlush(): void {
    // A follower's counters are not the job's: the owner writes the row.
    if (this.flushTimer || this._finished || this._interrupting || this.follower) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null
      void this.flush()
    }, FLUSH_INTERVAL_MS)
  }

  /** Writes the counters and the live items; serialised so writes never reorder. */
  flush(): Promise<void> {
    if (this.follower) return Promise.resolve()
    if (this.flushTimer) {
      clearTimeout(this.flushTimer)
      this.flushTimer = null
    }
    const j = this.row
    // Other nodes' items count too: a UI-only owner runs none itself, and other serves read this row.
    const live = this.currentList()
    const snapshot = {
      status: j.status,
      error: j.error,
      started_at: j.started_at,
      finished_at: j.finished_at,
      download_status: j.download_status,
      download_total: j.download_total,
      download_completed: j.download_completed,
      download_failed: j.download_failed,
      batch_total: j.batch_total,
      batch_done_before: j.batch_done_before,
      extract_status: j.extract_status,
      extract_total: j.extract_total,
      extract_completed: j.extract_completed,
      extract_failed: j.extract_failed,
      move_total: j.move_total,
      move_completed: j.move_completed,
      progress: j.progress,
      total_items: j.total_items,
      completed_items: j.completed_items,
      current: live.length > 0 ? JSON.stringify(live) : null,
    }
    this.flushing = this.flushing
      .then(async () => {
        if (this.follower) return // demoted while this write waited
        if (!(await updateOwnedJob(this.ctx.db, this.id, this.ctx.config.nodeName, snapshot))) this.hooks.ownershipLost?.(this)
      })
      .catch((err) => {
        this.ctx.log(`job ${this.id}: progress write failed: ${err}`)
        this.hooks.writeFailed(this, err)
      })
    return this.flushing
  }

  async finish(status: JobStatus, error: string | null = null): Promise<void> {
    if (this._finished) return
    this.current.clear()
    this.remoteLive = []
    const patch: Partial<JobRow> = { status, error, finished_at: now() }
    if (status === 'completed') {
      if (this.hasDownload) patch.download_status = 'completed'
      if (this.hasExtract) patch.extract_status = 'completed'
    }
    Object.assign(this.row, patch)
    this.recomputeLegacy()
    await this.flush()
    this._finished = true
    this.hooks.progress(this)
    this.resolveDone()
  }

  killProcesses(): void {
    for (const p of this.procs) p.kill('SIGTERM')
  }
}

/** One live entry per item and phase. */
const slot = (videoId: number, phase: Phase) => videoId * 3 + (phase === 'extract' ? 1 : phase === 'move' ? 2 : 0)
