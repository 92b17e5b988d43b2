import { hostname } from 'node:os'
import type { AppContext } from '../context'
import { claimedWork } from '../db/claims'
import { activeJobsOf, findJob, takeOverJob } from '../db/jobs'
import type { JobControl, JobRow } from '../db/types'
import { jobsWithFreeWork, reclaimExpired, releaseAllLeases, renewLeases, sharedWork } from '../db/leases'
import { heartbeat, livePeers, markNodeStopped, silentNodes } from '../db/nodes'
import { VERSION } from '../version'
import { ytdlpInvocation } from '../ytdlp/which'
import type { JobRun } from './job-run'
import type { DownloadPoolState } from './scheduler'
import { announceWork } from '../db/work-signal'
import { PollWake, type Wake } from './wake'

/**
 * While this node runs or follows work that other nodes share, it looks at the rows this often
 * (the owner's counters, other nodes' live progress, the end of the job), whatever wakes it.
 */
export const SYNC_MS = 1000

/** What the agent needs of the node's JobManager. */
export interface AgentHost {
  runs(): JobRun[]
  has(jobId: number): boolean
  /** Starts helping with a job another node owns. */
  follow(jobId: number): Promise<void>
  /** A follower with nothing left here (or whose job ended) leaves this node. */
  unfollow(run: JobRun): void
  /** An owned job may be over now that other nodes' results are counted. */
  checkDone(run: JobRun): Promise<void>
  poolState(): DownloadPoolState
  /** This node now owns a job whose owner went silent (the row already names it). */
  takeOver(row: JobRow, from: string): Promise<void>
  /** The row of a job this node ran names another node now: stop writing it. */
  disown(run: JobRun): void
  /** Carries out a pause, resume or cancel another node recorded in the row (see JobManager.askOwner). */
  applyControl(run: JobRun, control: JobControl): Promise<void>
}

/**
 * This node's part in the cluster: its heartbeat (which renews its item leases), giving back
 * the items of dead nodes, taking up jobs with free work, and keeping every run that shares
 * its items with other nodes in line with the rows. Alone (no other live node), an owned job
 * runs exactly as it always has; only its items carry this node's lease.
 */
export class NodeAgent {
  private stopped = false
  private loop: Promise<void> | null = null
  private lastBeat = 0
  private peers: string[] = []
  /** Read once in the background (running yt-dlp takes seconds on a busy machine); later heartbeats carry it. */
  private ytdlpVersion: string | null = null

  constructor(
    private readonly ctx: AppContext,
    private readonly host: AgentHost,
    private readonly kind: 'serve' | 'worker',
    readonly wake: Wake = new PollWake(ctx.config.idlePollSeconds * 1000),
  ) {}

  /** Registers the node and starts its loop; resolves once the first heartbeat is written. */
  async start(): Promise<void> {
    void ytdlpInvocation(this.ctx).then(
      (i) => (this.ytdlpVersion = i.version),
      () => {},
    )
    await this.beat()
    this.loop ??= this.run()
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.wake.stop()
    await this.loop
  }

  /** A clean stop: nothing of this node runs any more, and the Nodes page says "stopped", not "lost". */
  async leave(): Promise<void> {
    await releaseAllLeases(this.ctx.db, this.ctx.config.nodeName)
    await markNodeStopped(this.ctx.db, this.ctx.config.nodeName)
    // Its items in flight went back to pending: the other nodes may take them now.
    await this.announce()
  }

  /**
   * Tells the other nodes that work is free now (on PostgreSQL; nothing on SQLite). Issued
   * after the writes that freed it, on the same connection, so it arrives after them. A lost
   * announcement costs only a wait for the poll.
   */
  async announce(jobId?: number): Promise<void> {
    const { db, config } = this.ctx
    try {
      await announceWork(db, jobId === undefined ? { from: config.nodeName } : { from: config.nodeName, job: jobId })
    } catch (err) {
      this.ctx.log(`node ${config.nodeName}: could not announce work (${err instanceof Error ? err.message : err}); the other nodes will find it by polling`)
    }
  }

  get clustered(): boolean {
    return this.peers.length > 0
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.tick()
      } catch (err) {
        this.ctx.log(`node ${this.ctx.config.nodeName}: ${err instanceof Error ? err.message : err}`)
      }
      if (this.stopped) break
      await this.wake.next(this.watching() ? SYNC_MS : undefined)
    }
  }

  /**
   * While any job runs here the node looks every second, as it did before the idle poll grew:
   * its counters may follow other nodes' rows, and the peer list that tells (`clustered`) is
   * only as fresh as the last heartbeat. Only an idle node waits for a notification or its poll.
   */
  private watching(): boolean {
    return this.host.runs().some((run) => !run.finished)
  }

  /** A run that other nodes' rows move: a follower, a shared one, or any run while peers live or this node runs no items itself. */
  private followsRows(run: JobRun): boolean {
    return run.follower || run.shared || this.clustered || this.ctx.config.nodeRoles.length === 0
  }

  async tick(): Promise<void> {
    const { db, config } = this.ctx
    if (Date.now() - this.lastBeat >= (config.leaseSeconds * 1000) / 3) await this.beat()
    const reclaimed = await reclaimExpired(db)
    if (reclaimed > 0) {
      this.ctx.log(`${reclaimed} item(s) of a node silent for over ${config.leaseSeconds} s are free again`)
      await this.announce()
    }
    if (config.nodeRoles.length > 0) for (const id of await jobsWithFreeWork(db)) if (!this.host.has(id)) await this.host.follow(id)
    for (const run of this.host.runs()) {
      if (run.finished || run.interrupting) continue
      if (!run.follower) await this.readRow(run)
      if (run.preparing) continue
      if (this.followsRows(run)) await this.sync(run)
    }
    if (this.kind === 'serve') await this.takeOverLost()
  }

  /**
   * What another node may have written on a job this node owns: the priority and a pause,
   * resume or cancel (the API of any `serve` sets them), and the owner itself (a node that took the job over while this one was
   * silent longer than its lease).
   */
  private async readRow(run: JobRun): Promise<void> {
    const row = await findJob(this.ctx.db, run.id)
    if (!row) return
    if (row.node !== null && row.node !== this.ctx.config.nodeName) return this.host.disown(run)
    if (row.priority !== run.job.priority) run.setPriority(row.priority)
    if (row.control) await this.host.applyControl(run, row.control)
  }

  /**
   * The jobs of a `serve` that went silent (SIGKILL, a dead machine) would stay "running"
   * until it starts again: a live `serve` takes each over with one conditional UPDATE, so
   * exactly one does, and goes on counting and ending it.
   */
  private async takeOverLost(): Promise<void> {
    const { db, config } = this.ctx
    const silent = await silentNodes(db, config.nodeName)
    if (silent.length === 0) return
    const seen = new Map(silent.map((n) => [n.name, n.heartbeat_at]))
    for (const job of await activeJobsOf(db, [...seen.keys()])) {
      const from = job.node!
      const taken = await takeOverJob(db, job.id, from, seen.get(from)!, config.nodeName)
      if (!taken) continue
      this.ctx.log(`job ${job.id}: taken over from node ${from}, silent for over its lease`)
      await this.host.takeOver(taken, from)
    }
  }

  private async sync(run: JobRun): Promise<void> {
    const { db, config } = this.ctx
    if (run.follower) {
      const row = await findJob(db, run.id)
      const status = row?.status ?? 'cancelled'
      if (status !== run.job.status) run.followStatus(status)
      if (status !== 'running' && status !== 'paused') {
        if (!run.busy) this.host.unfollow(run)
        return
      }
    }
    const work = await sharedWork(db, run.job, config.nodeName)
    const counts = run.follower ? null : (await claimedWork(db, run.job)).counts
    run.syncShared(work, counts)
    if (run.follower) {
      if (run.idle) this.host.unfollow(run)
    } else await this.host.checkDone(run)
  }

  private async beat(): Promise<void> {
    const { db, config } = this.ctx
    this.lastBeat = Date.now()
    const until = new Date(Date.now() + config.leaseSeconds * 1000).toISOString()
    await renewLeases(db, config.nodeName, until)
    const pool = this.host.poolState()
    await heartbeat(db, {
      name: config.nodeName,
      host: hostname(),
      roles: config.nodeRoles.join(','),
      kind: this.kind,
      version: VERSION,
      ytdlp_version: this.ytdlpVersion,
      lease_seconds: config.leaseSeconds,
      started_at: this.startedAt,
      backoff: pool.paused || pool.until ? JSON.stringify(pool) : null,
    })
    this.peers = await livePeers(db, config.nodeName)
  }

  private readonly startedAt = new Date().toISOString()
}
