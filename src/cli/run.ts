import { findPlaylistByUrl } from '../db/playlists'
import type { DB } from '../db/open'
import { JOB_TYPES, type Job, type JobType, type Playlist } from '../db/types'
import { listVideos } from '../db/videos'
import { DomainError, Invalid } from '../errors'
import { JobManager } from '../jobs/manager'
import { playlistDir, mediaRoot } from '../library/paths'
import { requirePlaylist } from '../playlists/require-playlist'
import { checkUrlSyntax } from '../library/urls'
import { openContext } from '../server'
import { killAllTools, liveToolCount } from '../tools/spawn'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { storeExists } from './db-state'
import { acquireDataDirLock } from './lock'
import { createRenderer, phasesOf } from './progress-bars'

/** Exit statuses of `run` (the README lists them under "Exit status"). */
export const RUN_EXIT = { ok: 0, itemsFailed: 1, jobFailed: 2, cancelled: 130 } as const

/** PLAYLIST is an id ("3", "#3") or the URL of a playlist already added. */
export async function resolvePlaylist(db: DB, ref: string): Promise<Playlist> {
  const id = /^#?(\d+)$/.exec(ref.trim())
  if (id) {
    return requirePlaylist(db, Number(id[1]), '"yt-serve status" lists them')
  }
  let url: string
  try {
    url = checkUrlSyntax(ref)
  } catch {
    throw new Invalid(`"${ref}" is neither a playlist id nor a URL`)
  }
  const p = await findPlaylistByUrl(db, url)
  if (!p) throw new DomainError('not_found', `no playlist with this URL has been added; add it first: yt-serve add '${url}'`)
  return p
}

/**
 * A job that failed ends without waiting for the other phase's workers (cancel waits, failRun
 * does not): stop their tools and let them record the outcome before the database closes.
 */
async function settle(): Promise<void> {
  killAllTools('SIGTERM')
  for (let i = 0; i < 60 && liveToolCount() > 0; i++) await Bun.sleep(50)
  killAllTools('SIGKILL')
  await Bun.sleep(100)
}

function seconds(ms: number): string {
  const s = ms / 1000
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
}

function tally(job: Job): string {
  return phasesOf(job)
    .map((p) => (p === 'download' ? `${job.download_completed} downloaded` : `${job.extract_completed} extracted`))
    .concat(`${job.download_failed + job.extract_failed} failed`)
    .join(', ')
}

export const run: Command = {
  spec: {
    name: 'run',
    summary: 'Run a download and/or extraction job in the foreground, without a server.',
    description:
      'Shows live progress bars on a terminal and one plain line per change otherwise.\n' +
      'Ctrl-C cancels: child processes are killed, finished files are kept (press it twice to force).\n' +
      'Exit status: 0 all items done, 1 some items failed, 2 the job failed, 130 cancelled.',
    positionals: [{ name: 'PLAYLIST', required: true, help: 'playlist id (see "yt-serve status") or the URL it was added with' }],
    flags: [
      {
        name: 'type',
        value: 'TYPE',
        required: true,
        choices: JOB_TYPES,
        help: "download (videos), extract (audio from downloaded videos), both, or relayout (move the files to the playlist's layout)",
      },
      DATA_DIR_FLAG,
    ],
    examples: ['yt-serve run 1 --type both', 'yt-serve run https://example.com/feed.xml --type extract'],
  },
  async run(args, io) {
    const config = configFor(run.spec, args)
    const type = args.flags.type as JobType
    if (!storeExists(config)) throw new DomainError('not_found', `no database in ${config.dataDir} yet: add a playlist first (yt-serve add URL)`)
    const release = acquireDataDirLock(config.dataDir, 'run')
    const renderer = createRenderer(io)
    const ctx = await openContext(config, (m) => renderer.log(m))
    const manager = new JobManager(ctx)
    let jobId: number | null = null
    let cancelling: Promise<unknown> | null = null
    let cancelRequested = false
    const requestCancel = () => {
      if (jobId === null || cancelling) return
      renderer.log('cancelling: stopping yt-dlp and ffmpeg, finished files are kept (Ctrl-C again to force)')
      cancelling = manager.cancel(jobId).catch(() => {}) // it may have just ended by itself
    }
    const onSignal = () => {
      if (cancelRequested && (cancelling || jobId === null)) {
        killAllTools('SIGKILL')
        if ('restore' in renderer) renderer.restore()
        io.err('yt-serve: forced exit; the job stays marked as running until the next start marks it interrupted')
        process.exit(RUN_EXIT.cancelled)
      }
      cancelRequested = true
      requestCancel()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    let unsubscribe = () => {}
    try {
      const playlist = await resolvePlaylist(ctx.db, args.positionals[0])
      const interrupted = await manager.recover({ startQueued: false })
      if (interrupted.length) renderer.log(`note: job(s) ${interrupted.map((i) => `#${i}`).join(', ')} had been interrupted and are marked so`)
      // Events that arrive while create() runs are for a job whose id is not known yet: skip them, get() catches up.
      unsubscribe = manager.subscribe(({ job }) => {
        if (job.id === jobId) renderer.update(job)
      })
      if (cancelRequested) {
        io.out('cancelled before the job started')
        return RUN_EXIT.cancelled
      }
      const started = Date.now()
      const job = await manager.create(playlist.id, type)
      jobId = job.id
      io.out(`job #${job.id}: ${type} for playlist #${playlist.id} "${playlist.title}" (Ctrl-C cancels)`)
      renderer.update(await manager.get(job.id))
      if (cancelRequested) requestCancel()
      let final = await manager.waitFor(job.id)
      if (cancelling) {
        await cancelling
        final = await manager.get(job.id)
      }
      renderer.finish(final)
      const took = seconds(Date.now() - started)
      const where = playlistDir(mediaRoot(config), playlist.folder)
      switch (final.status) {
        case 'completed': {
          const failed = final.download_failed + final.extract_failed
          if (!failed) {
            io.out(`✓ job #${final.id} completed in ${took}: ${tally(final)}`)
            io.out(`  files: ${where}`)
            return RUN_EXIT.ok
          }
          io.out(`✗ job #${final.id} completed in ${took} with ${failed} failed item(s): ${tally(final)}`)
          const { videos } = await listVideos(ctx.db, playlist.id, { filter: 'failed', limit: 1000 })
          const mine = videos.filter((v) => v.download_job_id === final.id || v.extract_job_id === final.id)
          for (const v of mine.slice(0, 20)) io.out(`  - ${v.title}: ${v.error ?? 'failed'}`)
          if (mine.length > 20) io.out(`  … and ${mine.length - 20} more ("yt-serve status" or the web UI)`)
          io.out(`  files: ${where}`)
          return RUN_EXIT.itemsFailed
        }
        case 'cancelled':
          io.out(`job #${final.id} cancelled after ${took}: ${tally(final)}; finished files are kept in ${where}; run it again to continue`)
          return RUN_EXIT.cancelled
        default:
          io.out(`✗ job #${final.id} ${final.status}: ${final.error ?? 'unknown error'}`)
          return RUN_EXIT.jobFailed
      }
    } finally {
      unsubscribe()
      if ('restore' in renderer) renderer.restore()
      await manager.shutdown() // other jobs recover() may have started become resumable
      await settle()
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      await ctx.db.destroy()
      release()
    }
  },
}
