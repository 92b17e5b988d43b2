import { createApp } from './app'
import { checkExposure, ConfigError, type Config } from './config'
import { migrateToLatest } from './db/migrate'
import { openChecked } from './db/integrity'
import { databaseFileGuard } from './db/file-guard'
import { describePostgres, openPostgresChecked } from './db/postgres'
import { JobManager } from './jobs/manager'
import { SyncScheduler } from './playlists/sync-scheduler'
import type { AppContext } from './context'
import { killAllTools } from './tools/spawn'
import { join } from 'node:path'
import { YtdlpAutoUpdate } from './ytdlp/auto-update'
import { noYtdlpAtAll } from './ytdlp/which'
import { listJobs } from './db/jobs'
import { readYtdlpState } from './db/ytdlp'
import { applySavedSettings } from './settings/service'
import { playlistFolders } from './db/playlists'
import { strandedAdvice, strandedFolders } from './library/media-dir'

export const dbPath = (config: Config) => join(config.dataDir, 'yt-serve.db')

/** Where the archive's database is, for messages: the SQLite file, or DATABASE_URL without its password. */
export const storeName = (config: Config) => (config.databaseUrl ? describePostgres(config.databaseUrl) : dbPath(config))

/**
 * Opens the database, migrates it and builds the job manager: shared by the server and the CLI.
 * DATABASE_URL set: the PostgreSQL database it names; else SQLite in DATA_DIR, checked for damage first.
 */
export async function openContext(config: Config, log: (m: string) => void = (m) => console.log(m)): Promise<AppContext> {
  const db = config.databaseUrl
    ? await openPostgresChecked(config.databaseUrl, { outageMs: config.databaseOutageSeconds * 1000, log })
    : await openChecked(dbPath(config), log)
  await migrateToLatest(db)
  const ctx = { db, config, log }
  await applySavedSettings(ctx)
  return ctx
}

export interface RunningServer {
  url: string
  port: number
  manager: JobManager
  stop(): Promise<void>
}

/**
 * Elysia asks Bun for SO_REUSEPORT, with which a second server on a busy port starts
 * "fine" and the kernel splits connections between two unrelated libraries. yt-serve
 * wants its port to itself, and says so before touching the database.
 */
const LISTEN_OPTIONS = { reusePort: false, development: false }

function ensurePortFree(host: string, port: number): void {
  if (port === 0) return
  try {
    Bun.serve({ hostname: host, port, ...LISTEN_OPTIONS, fetch: () => new Response(null, { status: 503 }) }).stop(true)
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'EADDRINUSE') throw new ConfigError(`port ${port} on ${host} is already in use (another yt-serve?); choose another with --port or PORT`)
    if (code === 'EACCES') throw new ConfigError(`not allowed to listen on port ${port} on ${host}; use a port above 1023 with --port or PORT`)
    if (code === 'EADDRNOTAVAIL') throw new ConfigError(`${host} is not an address of this machine; check --host or HOST`)
    throw err
  }
}

/**
 * RESUME_ON_START: a graceful stop marked its jobs interrupted already, a crash got them marked
 * by `recover`; either way the newest interrupted job of each playlist resumes. One that cannot
 * (its playlist has another job now) does not stop the rest.
 */
async function resumeInterrupted(ctx: AppContext, manager: JobManager): Promise<void> {
  const rows = await listJobs(ctx.db, { status: ['interrupted'], limit: 1000 })
  const newest = new Map<number, number>()
  for (const row of rows) if (!newest.has(row.playlist_id)) newest.set(row.playlist_id, row.id)
  for (const id of newest.values()) {
    try {
      await manager.resume(id)
      ctx.log(`job ${id} interrupted by the last shutdown: resumed (RESUME_ON_START)`)
    } catch (err) {
      ctx.log(`job ${id} interrupted by the last shutdown could not be resumed: ${err instanceof Error ? err.message : err}`)
    }
  }
}

/** Starts the HTTP server; SIGINT/SIGTERM stop it gracefully unless `handleSignals` is false. */
export async function startServer(config: Config, opts: { handleSignals?: boolean } = {}): Promise<RunningServer> {
  const warning = checkExposure(config)
  if (warning) console.warn(warning)
  ensurePortFree(config.host, config.port)
  const ctx = await openContext(config)
  const manager = new JobManager(ctx)
  // A PostgreSQL database is no file in the data dir that could vanish under the server.
  if (!config.databaseUrl) manager.watchStorage(databaseFileGuard(dbPath(config)), config.dataDirCheckSeconds * 1000)
  const stranded = strandedFolders(config, await playlistFolders(ctx.db))
  if (stranded.length) ctx.log(`WARNING: ${strandedAdvice(config, stranded)}`)
  const interrupted = await manager.recover()
  if (config.resumeOnStart) await resumeInterrupted(ctx, manager)
  else if (interrupted.length) ctx.log(`jobs interrupted by the last shutdown: ${interrupted.join(', ')} (resume them from the UI or the API)`)
  const app = createApp({ ctx, manager }).listen({ hostname: config.host, port: config.port, ...LISTEN_OPTIONS })
  // After listen: a start that waits for the database (a busy cluster) still answers health checks.
  await manager.joinCluster('serve')
  const sync = new SyncScheduler(ctx, manager)
  sync.start()
  const autoUpdate = new YtdlpAutoUpdate(ctx, manager.ytdlp)
  // A fresh container has no yt-dlp at all (no apt one): fetch the managed one now, not in 30 s.
  autoUpdate.start(undefined, noYtdlpAtAll(config, await readYtdlpState(ctx.db)) ? 0 : 30_000)
  const port = app.server!.port!
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  let stopping: Promise<void> | null = null
  const stop = () =>
    (stopping ??= (async () => {
      sync.stop()
      autoUpdate.stop()
      await manager.shutdown()
      killAllTools('SIGKILL')
      await app.stop()
      await ctx.db.destroy()
    })())
  if (opts.handleSignals !== false) {
    let signalled = false
    const onSignal = (sig: string) => {
      // Signals come in pairs (`bun run` forwards its own; Ctrl-C reaches the whole group):
      // a second one must not kill the shutdown halfway, and the deadline below bounds it anyway.
      if (signalled) return ctx.log(`${sig}: already stopping`)
      signalled = true
      ctx.log(`${sig}: stopping (jobs in progress become resumable)`)
      // Hard deadline: never hang on shutdown.
      setTimeout(() => process.exit(1), 5000).unref()
      void stop().then(() => process.exit(0))
    }
    process.on('SIGINT', () => onSignal('SIGINT'))
    process.on('SIGTERM', () => onSignal('SIGTERM'))
  }
  ctx.log(
    `yt-serve listening on ${url} (data in ${config.dataDir}${config.mediaDir ? `, media in ${config.mediaDir}` : ''}${config.databaseUrl ? `, database ${storeName(config)}` : ''})`,
  )
  return { url, port, manager, stop }
}
