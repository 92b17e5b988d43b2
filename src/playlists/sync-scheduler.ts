import { activeJobForPlaylist } from '../db/jobs'
import { holdClusterLease } from '../db/leases'
import { duePlaylists, updatePlaylist } from '../db/playlists'
import type { AppContext } from '../context'
import type { JobManager } from '../jobs/manager'
import { pruneFiles } from './retention'
import { nextSyncAt } from './sync-times'

/**
 * Scheduled sync: playlists whose next_sync_at has come get a "both" job, which
 * re-indexes (new entries in, vanished ones marked missing) and fetches what is new, and a
 * prune (see ./retention).
 */
export class SyncScheduler {
  private timer: ReturnType<typeof setInterval> | null = null
  private everyMs = 30_000

  constructor(
    private readonly ctx: AppContext,
    private readonly manager: JobManager,
  ) {}

  start(everyMs = 30_000): void {
    this.everyMs = everyMs
    this.timer ??= setInterval(() => void this.tick().catch((e) => this.ctx.log(`sync: ${e}`)), everyMs)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** One pass; returns the ids of the jobs it started. */
  async tick(now = new Date()): Promise<number[]> {
    const started: number[] = []
    // Several serve nodes share the database: one of them, the lease holder, starts the syncs.
    // It renews the lease every pass; three missed passes and another node takes over.
    const until = new Date(Date.now() + this.everyMs * 3).toISOString()
    if (!(await holdClusterLease(this.ctx.db, 'sync', this.ctx.config.nodeName, until))) return started
    for (const p of await duePlaylists(this.ctx.db, now.toISOString())) {
      // A busy playlist just waits for its next turn; sync never queues behind a user's job.
      await updatePlaylist(this.ctx.db, p.id, { next_sync_at: nextSyncAt(p.sync_interval, now) })
      if (await activeJobForPlaylist(this.ctx.db, p.id)) continue
      try {
        const job = await this.manager.create(p.id, 'both')
        started.push(job.id)
        this.ctx.log(`sync: playlist ${p.id} is due, started job ${job.id}`)
        // Retention ages on even when nothing new arrives; the deletions go to the sync job's log.
        // What that job is claiming counts as in use, so nothing it reads goes.
        await pruneFiles(this.ctx, p, { jobId: job.id })
      } catch (err) {
        this.ctx.log(`sync: playlist ${p.id}: ${err instanceof Error ? err.message : err}`)
      }
    }
    return started
  }
}
