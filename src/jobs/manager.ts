import { mkdirSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Conflict, Invalid, NotFound, Unavailable } from '../errors'
import { addEvent } from '../db/events'
import { isDatabaseError } from '../db/errors'
import {
  ActiveJobExists,
  activeJobForPlaylist,
  clearControl,
  findJob,
  insertJob,
  listJobs,
  markInterrupted,
  requestControl,
  requeueInterrupted,
  toJob,
  updateJob,
  updateOwnedJob,
} from '../db/jobs'
import { findPlaylist, playlistFolders } from '../db/playlists'
import { ACTIVE_JOB_STATUSES, type Job, type JobControl, type JobRow, type JobType, type Playlist, type Priority } from '../db/types'
import { downloadTotals, failedVideoIds, holdsAnyFile, releaseInFlight, resetInFlight } from '../db/videos'
import { playlistDir, mediaRoot } from '../library/paths'
import type { AppContext } from '../context'
import { clusterNode } from '../config'
import { JobRun, type ItemOutcome, type Phase } from './job-run'
import { IndexError } from '../playlists/indexer'
import { Scheduler } from './scheduler'
import { writeM3uFile } from '../playlists/m3u'
import { requirePlaylist } from '../playlists/require-playlist'
import { notifyJobEnded } from './notify'
import { refreshMediaServer } from './media-server'
import { pruneFiles } from '../playlists/retention'
import type { PruneChoice } from '../library/retention'
import { adoptMovedDownloads } from './item-results'
import { itemLogLine } from './item-log'
import { reapOrphans } from '../tools/orphans'
import { recordChildrenIn } from '../tools/spawn'
import { claimedWork, claimRetry } from '../db/claims'
import { claimForReextract, claimReadyExtractions, reindexThenClaim, resumeClaims, startEarly } from './planning'
import { recheckSponsorblock } from './sponsorblock'
import { reextractOffer } from './reextract'
import { SYSTEM_YTDLP } from '../ytdlp/which'
import { runRelayout, settleMoves } from './relayout'
import { writeShowFiles } from './library-files'
import { updatePlaylistSettings } from '../playlists/queries'
import type { SettingsPatch } from '../playlists/settings-model'
import { YtdlpUpdater } from '../ytdlp/updater'
import { giveBackJobItems, releaseAllLeases, sharedWork } from '../db/leases'
import { livePeers } from '../db/nodes'
import { LiveProgressWriter } from './live-progress'
import { type AgentHost, NodeAgent } from './node-agent'
import { RemoteJobs } from './remote-jobs'
import { ListenWake, PollWake } from './wake'

/** First pause before writing a stopped job's state again; it doubles up to STATE_RETRY_MAX_MS. */
const STATE_RETRY_MS = 250
const STATE_RETRY_MAX_MS = 30_000

export type JobEventType = 'progress' | 'item' | 'done'
export type JobListener = (ev: { type: JobEventType; job: Job; item?: ItemOutcome }) => void

/**
 * Owns the job lifecycle: create, start, pause, resume, cancel, retry, recover after
 * a crash, and shut down. HTTP controllers and the CLI talk only to this.
 */
export class JobManager {
  private readonly runs = new Map<number, JobRun>()
  private readonly listeners = new Set<JobListener>()
  readonly scheduler: Scheduler
  /** The managed yt-dlp: one updater per process, so the API, the UI and the auto-update share it. */
  readonly ytdlp: YtdlpUpdater
  private closing = false
  /** Notifications and media server refreshes still being posted (see track). */
  private readonly notifications = new Set<Promise<void>>()
  /** Says why the database can no longer be trusted (see watchStorage), or null. */
  private storageCheck: () => string | null = () => null
  private storageTimer: ReturnType<typeof setInterval> | null = null
  private storageLost: string | null = null
  /** This node's part in a cluster (heartbeat, leases, helping other nodes' jobs); null until joinCluster. */
  private agent: NodeAgent | null = null
  private readonly live: LiveProgressWriter
  /** The events of jobs other nodes own, read from the database while someone watches them. */
  private readonly remote: RemoteJobs

  constructor(readonly ctx: AppContext) {
    this.ytdlp = new YtdlpUpdater(ctx)
    this.scheduler = new Scheduler(ctx)
    this.scheduler.on('phase-error', (run, phase, message, err) =>
      isDatabaseError(err) ? this.stateWriteFailed(run, err) : void this.failRun(run, phase, message),
    )
    this.scheduler.on('pool-changed', (state) => {
      if (state.paused) ctx.log(state.reason ?? 'downloads paused')
    })
    this.scheduler.on('work-ended', (run) => void this.checkDone(run))
    this.live = new LiveProgressWriter(ctx)
    this.remote = new RemoteJobs(ctx, (id) => this.isActive(id))
  }

  /**
   * Makes this process a node of the cluster that shares its database: it registers and
   * heartbeats, gives back the items of dead nodes, and helps with other nodes' jobs
   * (NODE_ROLES). `serve` and `worker` call it; tests and `run` work alone without it.
   */
  async joinCluster(kind: 'serve' | 'worker'): Promise<NodeAgent> {
    if (this.agent) return this.agent
    const host: AgentHost = {
      runs: () => [...this.runs.values()],
      has: (id) => this.runs.has(id),
      follow: (id) => this.follow(id),
      unfollow: (run) => {
        this.scheduler.remove(run)
        if (this.runs.get(run.id) === run) this.runs.delete(run.id)
      },
      checkDone: (run) => this.checkDone(run),
      poolState: () => this.scheduler.poolState(),
      takeOver: (row, from) => this.takeOver(row, from),
      disown: (run) => this.disown(run),
      applyControl: (run, control) => this.applyControl(run, control),
    }
    const { config } = this.ctx
    const pollMs = config.idlePollSeconds * 1000
    const wake = config.databaseUrl ? new ListenWake(config.databaseUrl, pollMs, config.nodeName, this.ctx.log) : new PollWake(pollMs)
    const agent = new NodeAgent(this.ctx, host, kind, wake)
    this.agent = agent
    this.scheduler.clustered = () => agent.clustered
    this.scheduler.announce = (run) => void agent.announce(run.id)
    await agent.start()
    return agent
  }

  /** Helps with a job another node owns: its free items run here; its row stays the owner's. */
  private async follow(jobId: number): Promise<void> {
    if (this.closing || this.runs.has(jobId)) return
    const row = await findJob(this.ctx.db, jobId)
    if (row?.status !== 'running' || row.node === this.ctx.config.nodeName) return
    const playlist = await findPlaylist(this.ctx.db, row.playlist_id)
    if (!playlist || this.runs.has(jobId)) return
    const run = new JobRun(this.ctx, row, playlist, this.hooksFor(), 'follower')
    // The width of the numbers in file names follows the playlist's size, as on the owner.
    run.countBatch(await downloadTotals(this.ctx.db, playlist.id), row.batch_total !== null)
    if (this.runs.has(jobId)) return
    this.runs.set(jobId, run)
    this.scheduler.add(run)
  }

  /**
   * Goes on with a job whose owner went silent (the row names this node already): counted from
   * its items, which the workers kept finishing, and ended here (message, M3U, notification).
   * A follower run of it here becomes the owner, keeping its items in flight.
   */
  private async takeOver(row: JobRow, from: string): Promise<void> {
    const { db, config } = this.ctx
    const helping = this.runs.get(row.id)
    if (this.closing || helping?.finished) return
    const playlist = await findPlaylist(db, row.playlist_id)
    if (!playlist) return
    let run = helping
    if (run) run.promote(row)
    else {
      run = new JobRun(this.ctx, row, playlist, this.hooksFor())
      run.promote(row)
      this.runs.set(row.id, run)
    }
    if (row.status === 'paused') run.pause()
    else {
      run.started()
      if (run.paused) run.resume()
    }
    if (run.hasDownload) run.countBatch(await downloadTotals(db, playlist.id), row.batch_total !== null)
    run.syncShared(await sharedWork(db, run.job, config.nodeName), (await claimedWork(db, run.job)).counts)
    await addEvent(db, row.id, 'warn', `node ${config.nodeName} took this job over: node ${from} was silent for longer than its lease`)
    this.scheduler.add(run)
    await this.checkDone(run)
  }

  /** Another `serve` took over a job this node owned (this one was silent too long): it only helps now. */
  private disown(run: JobRun): void {
    if (run.follower || run.finished) return
    this.ctx.log(`job ${run.id}: another node took it over while this one was silent; helping with its items only`)
    run.demote()
  }

  /** Node-local recovery: this node's children from a crash, its items in flight, its leases. */
  async recoverNode(): Promise<void> {
    const { config } = this.ctx
    const registryDir = config.stagingDir ?? config.dataDir
    mkdirSync(registryDir, { recursive: true })
    // Nodes sharing the data dir as their registry's folder each keep their own list: a start must not kill another node's yt-dlp.
    const node = config.stagingDir ? undefined : clusterNode(config)
    const registry = join(registryDir, node ? `.yt-serve-children.${node}` : '.yt-serve-children')
    // "yt-dlp" also matches the managed one (DATA_DIR/bin/yt-dlp-<version>, started by python3).
    const reaped = reapOrphans(registry, [config.ytdlpPath ?? SYSTEM_YTDLP, config.ffmpegPath, config.ffprobePath])
    if (reaped) this.ctx.log(`killed ${reaped} yt-dlp/ffmpeg process group(s) left by a previous run`)
    recordChildrenIn(registry)
    const adopted = await adoptMovedDownloads(this.ctx)
    if (adopted) this.ctx.log(`${adopted} download(s) finished just before the stop were kept`)
    await resetInFlight(this.ctx.db, config.nodeName)
    await releaseAllLeases(this.ctx.db, config.nodeName)
  }

  /** After a crash: running jobs become interrupted, half-done items pending, temp files go. */
  async recover(opts: { startQueued?: boolean } = {}): Promise<number[]> {
    const ids = await markInterrupted(this.ctx.db, 'the server stopped while this job was running; resume it to continue', this.ctx.config.nodeName)
    for (const id of ids) await addEvent(this.ctx.db, id, 'warn', 'interrupted: the server stopped while the job was running')
    await this.recoverNode()
    const moved = await settleMoves(this.ctx)
    if (moved) this.ctx.log(`${moved} file move(s) of a relayout finished just before the stop were kept`)
    // Another live node's extraction may be writing its temporary file right now.
    if ((await livePeers(this.ctx.db, this.ctx.config.nodeName)).length === 0) await this.sweepTempFiles()
    // Jobs that never started (queued at shutdown) simply start now; another node's queued job is about to start there.
    if (opts.startQueued !== false)
      for (const row of await listJobs(this.ctx.db, { status: ['queued'], limit: 1000 }))
        if (row.node === null || row.node === this.ctx.config.nodeName) await this.start(row)
    return ids
  }

  /**
   * Our temporary files (`.<name>.part`: audio, NFOs, artwork) in a playlist folder and the
   * folders one down (audio/, Season …); dot-folders such as .staging keep theirs, yt-dlp resumes from them.
   */
  private async sweepTempFiles(): Promise<void> {
    const sweep = async (dir: string) => {
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (e.name.startsWith('.') && e.name.endsWith('.part') && !e.isDirectory()) await rm(join(dir, e.name), { force: true })
      }
    }
    for (const folder of await playlistFolders(this.ctx.db)) {
      const top = playlistDir(mediaRoot(this.ctx.config), folder)
      await sweep(top)
      for (const e of await readdir(top, { withFileTypes: true }).catch(() => []))
        if (e.isDirectory() && !e.name.startsWith('.')) await sweep(join(top, e.name))
    }
  }

  subscribe(fn: JobListener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
  /**
   * The events of a job another node owns (jobId), or of every active job this node does not
   * own (null), in the shapes `subscribe` gives: the database is polled once a second while
   * anyone watches. Returns the function that stops watching.
   */
  watchOthers(jobId: number | null, fn: JobListener): () => void {
    return this.remote.watch(jobId, fn)
  }
  /** How often the database was polled for other nodes' jobs (see watchOthers). */
  get remotePolls(): number {
    return this.remote.polls
  }
  private emit(type: JobEventType, run: JobRun, item?: ItemOutcome): void {
    if (this.listeners.size === 0) return
    const job = this.snapshotOf(run)
    for (const l of this.listeners) l({ type, job, item })
  }

  private snapshotOf(run: JobRun): Job {
    return toJob(run.job, run.currentList())
  }

  /** The freshest view of a job: in-memory while it runs, the row otherwise. */
  async get(id: number): Promise<Job> {
    const run = this.owned(id)
    if (run) return this.snapshotOf(run)
    const row = await findJob(this.ctx.db, id)
    if (!row) throw new NotFound(`job ${id}`)
    return toJob(row)
  }

  async list(filter: Parameters<typeof listJobs>[1]): Promise<Job[]> {
    const rows = await listJobs(this.ctx.db, filter)
    return rows.map((r) => {
      const run = this.owned(r.id)
      return run ? this.snapshotOf(run) : toJob(r)
    })
  }

  /** The run of a job this node owns; a follower's counters are not the job's (the row is). */
  private owned(id: number): JobRun | undefined {
    const run = this.runs.get(id)
    return run && !run.follower ? run : undefined
  }

  isActive(id: number): boolean {
    return this.owned(id) !== undefined
  }

  /**
   * `deleteVideos` (a "both" job only) defaults to the playlist's own setting. `reextract`
   * (an extract job only) makes the files in another format than the playlist's again,
   * instead of the missing ones (see claimForReextract).
   */
  async create(
    playlistId: number,
    type: JobType,
    opts: { priority?: Priority; retry?: boolean; deleteVideos?: boolean; reextract?: boolean } = {},
  ): Promise<Job> {
    if (this.closing) throw new Conflict('the server is shutting down')
    this.refuseIfStorageLost()
    if (opts.reextract && type !== 'extract') throw new Invalid('reextract is for an extract job only')
    const playlist = await requirePlaylist(this.ctx.db, playlistId)
    if (opts.reextract && type === 'relayout') throw new Invalid('reextract is for an extract job only')
    if (opts.reextract) await this.refuseEmptyReextract(playlist)
    else if (type === 'extract' && !opts.retry) await this.refuseEmptyExtract(playlistId)
    let row: JobRow
    try {
      row = await insertJob(this.ctx.db, playlistId, type, opts.priority ?? 'normal', opts.deleteVideos ?? playlist.delete_videos, this.ctx.config.nodeName)
    } catch (err) {
      if (err instanceof ActiveJobExists)
        throw new Conflict(`playlist ${playlistId} already has an active job${err.jobId ? ` (#${err.jobId})` : ''}`, { job_id: err.jobId })
      throw err
    }
    if (opts.retry) await claimRetry(this.ctx.db, row)
    await addEvent(this.ctx.db, row.id, 'info', `${opts.retry ? 'retry ' : opts.reextract ? 're-' : ''}${type} job created`)
    const run = await this.start(row, { retry: opts.retry, reextract: opts.reextract, playlist })
    return this.snapshotOf(run)
  }

  /**
   * An extract job for a playlist with nothing downloaded could only report "completed" (and
   * had no folder to write its M3U into): refused with the reason. One for a playlist that is
   * merely up to date still runs, finds nothing new and completes (it rewrites the M3U).
   * A live job of the playlist keeps its own, truer 409 (insertJob's).
   */
  private async refuseEmptyExtract(playlistId: number): Promise<void> {
    if ((await holdsAnyFile(this.ctx.db, playlistId)) || (await activeJobForPlaylist(this.ctx.db, playlistId))) return
    throw new Conflict('nothing to extract: download first')
  }

  /** Re-extract with no file in another format: refused, unless a live job's 409 says more (as above). */
  private async refuseEmptyReextract(playlist: Playlist): Promise<void> {
    const offer = await reextractOffer(this.ctx, playlist)
    if (offer.files > 0 || (await activeJobForPlaylist(this.ctx.db, playlist.id))) return
    const why = offer.video_gone > 0 ? `: the ${offer.video_gone} file(s) in another format have no video left to extract from` : ''
    throw new Conflict(`nothing to re-extract${why}`)
  }

  /** Starts (or, for an interrupted job, continues) a job. */
  private async start(row: JobRow, opts: { retry?: boolean; resume?: boolean; reextract?: boolean; playlist?: Playlist } = {}): Promise<JobRun> {
    const playlist = opts.playlist ?? (await findPlaylist(this.ctx.db, row.playlist_id))!
    const run = new JobRun(this.ctx, row, playlist, this.hooksFor())
    // This node plans and counts the job; a restarted node finds its own jobs by this.
    await updateJob(this.ctx.db, row.id, { node: this.ctx.config.nodeName })
    this.runs.set(row.id, run)
    run.started()
    void this.prepare(run, { claimed: Boolean(opts.retry || opts.resume), reextract: Boolean(opts.reextract) })
    return run
  }

  private hooksFor(): ConstructorParameters<typeof JobRun>[3] {
    return {
      progress: (r) => {
        if (!r.follower) this.emit('progress', r)
      },
      wake: () => this.scheduler.pump(),
      item: (r, item) => {
        if (!r.follower) this.emit('item', r, item)
        const line = itemLogLine(item)
        // Queued behind the item's own writes on the one connection, so it lands before "finished"; a
        // failed write is the state writes' problem (they interrupt the job), not the log's.
        if (line) void addEvent(this.ctx.db, r.id, 'info', line).catch(() => {})
      },
      writeFailed: (r, err) => this.stateWriteFailed(r, err),
      ownershipLost: (r) => this.disown(r),
      live: (_r, p) => this.live.push(p),
    }
  }

  /**
   * Indexing and claiming (steps in ./planning); workers already download what the stored
   * index lists while the re-index runs.
   */
  private async prepare(run: JobRun, opts: { claimed: boolean; reextract: boolean }): Promise<void> {
    if (run.isRelayout) return this.relayout(run)
    try {
      // A resumed re-extract job needs no flag: its claims are pending extractions like any other.
      if (opts.claimed) await resumeClaims(this.ctx, run)
      else if (opts.reextract) await claimForReextract(this.ctx, run)
      else {
        if (run.hasExtract) await claimReadyExtractions(this.ctx, run)
        if (run.hasDownload) {
          const early = await startEarly(this.ctx, run)
          if (early.length > 0) {
            this.scheduler.add(run)
            this.announce(run)
          }
          await reindexThenClaim(this.ctx, run, early)
        }
        // After the re-index: a sync makes the SponsorBlock answers of recent videos stale.
        if (run.hasExtract) await recheckSponsorblock(run)
      }
    } catch (err) {
      run.prepared()
      const raw = err instanceof IndexError && err.raw ? ` (yt-dlp: ${err.raw})` : ''
      if (isDatabaseError(err)) this.stateWriteFailed(run, err)
      else await this.failRun(run, run.hasDownload ? 'download' : 'extract', err instanceof Error ? err.message : String(err), raw)
      return
    }
    run.prepared()
    this.scheduler.add(run)
    this.announce(run)
    await this.checkDone(run)
  }

  /**
   * Other nodes may help with this owned job now (claims, a resume): once its row says so
   * (the flush; on the same connection, before the announcement), they are told to look.
   */
  private announce(run: JobRun): void {
    const agent = this.agent
    if (!agent || run.follower) return
    void run.flush().then(() => agent.announce(run.id))
  }

  /** A relayout has no pools: one mover, then the end (a cancel ends it in cancel()). */
  private async relayout(run: JobRun): Promise<void> {
    run.prepared()
    try {
      await runRelayout(run)
    } catch (err) {
      if (isDatabaseError(err)) this.stateWriteFailed(run, err)
      else await this.failRun(run, 'move', `could not move the files: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    if (run.cancelled || run.finished) return
    try {
      await addEvent(this.ctx.db, run.id, 'info', `finished: ${run.job.move_completed} file(s) moved`)
      await this.end(run, 'completed')
    } catch (err) {
      if (!isDatabaseError(err)) throw err
      this.stateWriteFailed(run, err)
    }
  }

  /**
   * Saves a playlist's settings. A new library_layout or name_template moves its files: it is
   * refused while a job of the playlist runs, and starts a relayout job when there are files.
   */
  async updateSettings(playlistId: number, patch: SettingsPatch): Promise<Playlist & { relayout_job_id: number | null }> {
    const before = await requirePlaylist(this.ctx.db, playlistId)
    const template = patch.name_template === undefined ? before.name_template : patch.name_template?.trim() ? patch.name_template : null
    const moves = (patch.library_layout !== undefined && patch.library_layout !== before.library_layout) || template !== before.name_template
    if (moves) {
      const active = await activeJobForPlaylist(this.ctx.db, playlistId)
      if (active)
        throw new Conflict(`a job of this playlist is running (#${active.id}); change the layout or file names once it has ended`, { job_id: active.id })
    }
    const playlist = await updatePlaylistSettings(this.ctx, playlistId, patch)
    if (!moves || !(await holdsAnyFile(this.ctx.db, playlistId))) return { ...playlist, relayout_job_id: null }
    const job = await this.create(playlistId, 'relayout')
    return { ...playlist, relayout_job_id: job.id }
  }

  private async checkDone(run: JobRun): Promise<void> {
    try {
      await this.endIfDone(run)
    } catch (err) {
      if (!isDatabaseError(err)) throw err
      this.stateWriteFailed(run, err)
    }
  }

  private async endIfDone(run: JobRun): Promise<void> {
    if (run.finished || run.preparing || run.cancelled || run.isRelayout || run.follower) return
    if (run.hasDownload && run.job.download_status === 'running' && run.downloadPhaseOver()) run.setPhase('download', 'completed')
    if (run.downloadPhaseOver() && run.extractPhaseOver() && !run.cancelled) {
      const j = run.job
      const failed = j.download_failed + j.extract_failed
      await addEvent(this.ctx.db, run.id, 'info', `finished: ${j.download_completed} downloaded, ${j.extract_completed} extracted, ${failed} failed`)
      await this.end(run, 'completed')
    }
  }

  /** Waits (up to 5 s) for the workers to notice a cancel, so items in flight are back to pending first. */
  private async quiesce(run: JobRun): Promise<void> {
    for (let i = 0; i < 200 && run.busy; i++) await Bun.sleep(25)
  }

  private async end(run: JobRun, status: JobRow['status'], error: string | null = null): Promise<void> {
    this.scheduler.remove(run)
    if (status !== 'completed') await releaseInFlight(this.ctx.db, run.id)
    const added = run.job.download_completed + run.job.extract_completed > 0
    // Only a completed job: after a cancel an item may still be in flight, reading its video.
    const pruned = status === 'completed' && added ? await this.pruneAfter(run) : []
    // Music players watching the folder pick up the new list.
    if (run.hasExtract || run.isRelayout || pruned.some((p) => p.audio_path !== null))
      await writeM3uFile(this.ctx, run.playlist.id).catch((e) => this.ctx.log(`playlist.m3u8: ${e}`))
    // Media servers read the show's NFO and artwork (show layouts only; see writeShowFiles).
    if (run.hasDownload || run.isRelayout) await writeShowFiles(this.ctx, run.playlist.id)
    await run.finish(status, error)
    this.runs.delete(run.id)
    this.emit('done', run)
    // A person cancelled it and knows; completed and failed jobs are worth telling.
    if (status === 'completed' || status === 'failed')
      this.track(notifyJobEnded(this.ctx, this.snapshotOf(run), { id: run.playlist.id, title: run.playlist.title }))
    if (status === 'completed' && (added || pruned.length > 0)) this.track(refreshMediaServer(this.ctx, run.id))
  }

  /** Posts that outlive their job (a webhook, a media server refresh), so a shutdown can let them finish. */
  private track(post: Promise<void>): void {
    const sent: Promise<void> = post.finally(() => this.notifications.delete(sent))
    this.notifications.add(sent)
  }

  /**
   * Retention at the end of a job that added files, with the playlist's settings as they are
   * now. The job's own claims are over, so only other jobs' files count as in use. A failure
   * is the log's business: the job did its work.
   */
  private async pruneAfter(run: JobRun): Promise<PruneChoice[]> {
    try {
      const playlist = await findPlaylist(this.ctx.db, run.playlist.id)
      return playlist ? await pruneFiles(this.ctx, playlist, { jobId: run.id, exceptJobId: run.id }) : []
    } catch (err) {
      const message = `retention: ${err instanceof Error ? err.message : err}`
      this.ctx.log(`job ${run.id}: ${message}`)
      await addEvent(this.ctx.db, run.id, 'warn', message).catch(() => {})
      return []
    }
  }

  /**
   * A phase could not run at all (tool missing, indexing failed): the job fails and says why.
   * `logDetail` goes to the job log only (yt-dlp's raw line), not to the job's error.
   */
  private async failRun(run: JobRun, phase: Phase, message: string, logDetail = ''): Promise<void> {
    if (run.finished || run.interrupting) return
    run.cancel()
    await this.quiesce(run)
    run.setPhase(phase, 'failed')
    try {
      await addEvent(this.ctx.db, run.id, 'error', message + logDetail)
      await this.end(run, 'failed', message)
    } catch (err) {
      if (!isDatabaseError(err)) throw err
      this.stateWriteFailed(run, err)
    }
  }

  /** A write of the job's or its items' state failed (disk full, say): going on would lose track of them. */
  private stateWriteFailed(run: JobRun, err: unknown): void {
    const why = err instanceof Error ? err.message : String(err)
    if (run.follower) void this.stopFollowing(run, why)
    else void this.interrupt(run, `its state could not be saved (${why}); free some space or fix the data dir, then resume it`)
  }

  /**
   * A follower's write failed: the job is its owner's to interrupt, not this node's. This node
   * stops its part (its processes killed) and, once the database takes it, gives its items
   * back, so that no lease it keeps renewing holds them; the agent follows the job again later.
   */
  private async stopFollowing(run: JobRun, why: string): Promise<void> {
    if (run.finished || run.interrupting) return
    run.beginInterrupt()
    this.scheduler.remove(run)
    this.ctx.log(`job ${run.id}: this node stops helping, its writes failed (${why})`)
    await this.quiesce(run)
    for (let wait = STATE_RETRY_MS; !this.closing; wait = Math.min(wait * 2, STATE_RETRY_MAX_MS)) {
      try {
        await giveBackJobItems(this.ctx.db, this.ctx.config.nodeName, run.id)
        break
      } catch (err) {
        this.ctx.log(`job ${run.id}: its items still cannot be given back (${err instanceof Error ? err.message : err}); trying again in ${wait / 1000} s`)
        await Bun.sleep(wait)
      }
    }
    await run.finish('interrupted', why)
    if (this.runs.get(run.id) === run) this.runs.delete(run.id)
    void this.agent?.announce(run.id)
  }

  /**
   * Stops a run at once in memory (no new items, its processes killed) and marks it
   * interrupted, to be resumed later. The database may be refusing writes, so the
   * status write is retried with back-off until it is taken.
   */
  private async interrupt(run: JobRun, reason: string): Promise<void> {
    if (run.finished || run.interrupting) return
    run.beginInterrupt()
    this.scheduler.remove(run)
    this.ctx.log(`job ${run.id} interrupted: ${reason}`)
    await this.quiesce(run)
    // Shown at once by the API (which reads running jobs from memory), saved below.
    run.showInterrupted(reason)
    for (let wait = STATE_RETRY_MS; !this.closing; wait = Math.min(wait * 2, STATE_RETRY_MAX_MS)) {
      try {
        // Not ours any more (taken over while this node was silent): the new owner's items and row stay as they are.
        if (run.follower) break
        await releaseInFlight(this.ctx.db, run.id)
        // Leases whose release failed with the writes would otherwise be renewed by the heartbeat for good.
        await giveBackJobItems(this.ctx.db, this.ctx.config.nodeName, run.id)
        await updateOwnedJob(this.ctx.db, run.id, this.ctx.config.nodeName, { status: 'interrupted', error: reason, current: null })
        break
      } catch (err) {
        this.ctx.log(`job ${run.id}: its state still cannot be saved (${err instanceof Error ? err.message : err}); trying again in ${wait / 1000} s`)
        await Bun.sleep(wait)
      }
    }
    if (this.closing) return // shutdown() finishes it
    await addEvent(this.ctx.db, run.id, 'warn', `interrupted: ${reason}`).catch(() => {})
    await run.finish('interrupted', reason)
    this.runs.delete(run.id)
    this.emit('done', run)
  }

  /**
   * `check` says why the database can no longer be trusted (its file deleted or replaced),
   * or null; it runs every `everyMs` and before a job starts. Once it answers, every job is
   * interrupted and no new one starts: their work would go into a database nobody will open.
   */
  watchStorage(check: () => string | null, everyMs: number): void {
    this.storageCheck = check
    if (this.storageTimer) clearInterval(this.storageTimer)
    this.storageTimer = setInterval(() => this.storageProblem(), everyMs)
  }

  /** Null while the database is sound; else why not (and the jobs have been stopped). */
  storageProblem(): string | null {
    if (this.storageLost) return this.storageLost
    const problem = this.storageCheck()
    if (problem) {
      this.storageLost = problem
      this.ctx.log(`${problem}: stopping every job`)
      for (const run of this.runs.values()) void this.interrupt(run, problem)
    }
    return problem
  }

  private refuseIfStorageLost(): void {
    const problem = this.storageProblem()
    if (problem) throw new Unavailable(problem)
  }

  private async activeRun(id: number): Promise<JobRun> {
    const run = this.owned(id)
    if (run) return run
    const row = await findJob(this.ctx.db, id)
    if (!row) throw new NotFound(`job ${id}`)
    // Its counters and status are the owner's to write (a follower here only helps with items).
    if (ACTIVE_JOB_STATUSES.includes(row.status) && row.node && row.node !== this.ctx.config.nodeName)
      throw new Conflict(`job ${id} is run by node ${row.node}: pause or cancel it there`)
    throw new Conflict(`job ${id} is ${row.status}, not active`)
  }

  /**
   * A pause, resume or cancel of a job another node owns (behind a proxy, any serve gets the
   * click): recorded in its row with one conditional UPDATE, for the owner to apply on its next
   * pass (NodeAgent.readRow, about a second). Null when the row does not take it (not another
   * node's, or a status the action does not fit): the caller then answers as before.
   */
  private async askOwner(id: number, control: JobControl): Promise<Job | null> {
    const me = this.ctx.config.nodeName
    const row = await findJob(this.ctx.db, id)
    if (!row?.node || row.node === me) return null
    if (!(await requestControl(this.ctx.db, id, me, control))) return null
    await addEvent(this.ctx.db, id, 'info', `${control} asked on node ${me}; node ${row.node}, which runs the job, applies it`)
    return toJob({ ...row, control })
  }

  /** The owner carries out a request another node recorded, as a click here would, then clears it. */
  private async applyControl(run: JobRun, control: JobControl): Promise<void> {
    try {
      if (control === 'cancel') await this.cancel(run.id)
      else if (control === 'pause') await this.pause(run.id)
      else await this.resume(run.id)
    } catch (err) {
      // A request that no longer fits (the job ended meanwhile) is simply dropped.
      if (!(err instanceof Conflict)) throw err
    }
    await clearControl(this.ctx.db, run.id, this.ctx.config.nodeName, control)
  }

  async cancel(id: number): Promise<Job> {
    if (!this.owned(id)) {
      const asked = await this.askOwner(id, 'cancel')
      if (asked) return asked
    }
    const run = await this.activeRun(id)
    run.cancel()
    await addEvent(this.ctx.db, id, 'warn', 'cancelled by the user')
    await this.quiesce(run)
    await this.end(run, 'cancelled')
    return this.snapshotOf(run)
  }

  async pause(id: number): Promise<Job> {
    if (!this.owned(id)) {
      const asked = await this.askOwner(id, 'pause')
      if (asked) return asked
    }
    const run = await this.activeRun(id)
    if (!run.paused) {
      run.pause()
      await addEvent(this.ctx.db, id, 'info', 'paused: running items finish, no new ones start')
    }
    return this.snapshotOf(run)
  }

  async resume(id: number): Promise<Job> {
    const run = this.owned(id)
    if (run) {
      if (run.paused) {
        run.resume()
        this.announce(run)
        await addEvent(this.ctx.db, id, 'info', 'resumed')
      }
      return this.snapshotOf(run)
    }
    const asked = await this.askOwner(id, 'resume')
    if (asked) return asked
    const row = await findJob(this.ctx.db, id)
    if (!row) throw new NotFound(`job ${id}`)
    if (row.status !== 'interrupted') throw new Conflict(`job ${id} is ${row.status}; only paused or interrupted jobs can be resumed`)
    this.refuseIfStorageLost()
    let requeued: boolean
    try {
      requeued = await requeueInterrupted(this.ctx.db, id, this.ctx.config.nodeName)
    } catch {
      throw new Conflict(`playlist ${row.playlist_id} already has another active job`)
    }
    if (!requeued) throw new Conflict(`job ${id} was resumed by another node meanwhile`)
    await addEvent(this.ctx.db, id, 'info', 'resumed after interruption')
    const started = await this.start({ ...row, status: 'queued' }, { resume: true })
    return this.snapshotOf(started)
  }

  async retryFailed(playlistId: number): Promise<Job> {
    await requirePlaylist(this.ctx.db, playlistId)
    const failed = await failedVideoIds(this.ctx.db, playlistId)
    if (failed.download.length === 0 && failed.extract.length === 0) throw new Conflict('this playlist has no failed items')
    return this.create(playlistId, failed.download.length > 0 ? 'both' : 'extract', { retry: true })
  }

  async setPriority(id: number, priority: Priority): Promise<Job> {
    const run = this.owned(id)
    if (run) {
      // The row first: the owner's next pass reads the priority back from it (see NodeAgent.readRow).
      await updateJob(this.ctx.db, id, { priority })
      run.setPriority(priority)
      return this.snapshotOf(run)
    }
    const row = await findJob(this.ctx.db, id)
    if (!row) throw new NotFound(`job ${id}`)
    if (['completed', 'failed', 'cancelled'].includes(row.status)) throw new Conflict(`job ${id} is ${row.status}; only unfinished jobs have a priority`)
    // A job another node runs: that node reads the new priority from the row within a second.
    await updateJob(this.ctx.db, id, { priority })
    return toJob({ ...row, priority })
  }

  downloadPool() {
    return this.scheduler.poolState()
  }
  resumeDownloads() {
    return this.scheduler.resumeDownloads()
  }
  /** A server setting changed on the settings page: the pools take their new sizes at once. */
  settingsChanged(): void {
    this.scheduler.settingsChanged()
  }

  /** Stop taking work, kill every child group, leave running jobs resumable. */
  async shutdown(): Promise<void> {
    this.closing = true
    if (this.storageTimer) clearInterval(this.storageTimer)
    await this.agent?.stop()
    this.remote.stop()
    this.live.stop()
    this.scheduler.stop()
    for (const run of this.runs.values()) run.cancel()
    const deadline = Date.now() + 3000
    while (Date.now() < deadline && [...this.runs.values()].some((r) => r.busy)) await Bun.sleep(25)
    // Best effort: the database may be the reason some jobs stopped (see interrupt).
    const log = (err: unknown) => this.ctx.log(`shutdown: ${err instanceof Error ? err.message : err}`)
    for (const run of [...this.runs.values()]) {
      if (run.follower) {
        this.runs.delete(run.id)
        continue
      }
      await addEvent(this.ctx.db, run.id, 'warn', 'interrupted: the server is shutting down').catch(log)
      await run.finish('interrupted', run.interrupting ? run.job.error : 'the server was stopped while this job was running; resume it to continue')
      this.runs.delete(run.id)
    }
    await resetInFlight(this.ctx.db, this.ctx.config.nodeName).catch(log)
    if (this.agent) await this.agent.leave().catch(log)
    else await releaseAllLeases(this.ctx.db, this.ctx.config.nodeName).catch(log)
    // A foreground `run` exits right after its job: let its notification go out first (briefly).
    if (this.notifications.size) await Promise.race([Promise.all(this.notifications), Bun.sleep(2000)])
  }

  /** Resolves when the job has ended (for the CLI's foreground run and tests). */
  async waitFor(id: number): Promise<Job> {
    const run = this.runs.get(id)
    if (run) await run.done
    return this.get(id)
  }
}
