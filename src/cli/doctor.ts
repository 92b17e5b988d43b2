import { accessSync, constants, existsSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { integrityProblems, isDamageError, restoreAdvice } from '../db/integrity'
import { openDatabase } from '../db/open'
import { dbPath } from '../server'
import { playlistFolders } from '../db/playlists'
import { mediaRoot } from '../library/paths'
import { strandedAdvice, strandedFolders } from '../library/media-dir'
import { describePostgres, openPostgresChecked, serverVersion } from '../db/postgres'
import { freeBytes } from '../library/disk'
import { formatBytes } from '../library/units'
import { toolVersion } from '../tools/versions'
import { isStale, JS_RUNTIMES_SINCE, versionAtLeast, ytdlpAgeDays, YTDLP_STALE_DAYS } from '../tools/ytdlp-release'
import { runTool } from '../tools/spawn'
import type { Config } from '../config'
import { readYtdlpState } from '../db/ytdlp'
import type { YtdlpState } from '../db/types'
import { chooseYtdlp } from '../ytdlp/which'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { readMigrations } from './db-state'
import { serverCheck } from './server-probe'

export interface Check {
  ok: boolean
  name: string
  detail: string
  /** How to fix a failed check. */
  fix?: string
  /** Something that works today but deserves attention (shown under a passed check). */
  note?: string
}

/**
 * The yt-dlp that jobs would run, which and why; a ✗ when it is missing or older than
 * YTDLP_STALE_DAYS (sites such as YouTube break old versions).
 */
export async function ytdlpCheck(config: Config, state: YtdlpState | null, now = new Date()): Promise<Check & { version: string | null }> {
  const name = 'yt-dlp'
  const choice = chooseYtdlp(config, state)
  const info = await toolVersion(choice.path, '--version')
  const version = info.version
  const fix =
    choice.source === 'YTDLP_PATH'
      ? 'update the yt-dlp at YTDLP_PATH, or unset YTDLP_PATH and run: yt-serve ytdlp update'
      : 'yt-serve ytdlp update (downloads, verifies and switches to the current release)'
  if (!version)
    return {
      ok: false,
      name,
      version,
      detail: `not usable at "${choice.path}" (${choice.why}): ${info.error ?? 'no version'}`,
      fix: choice.source === 'system' ? `${fix}, or apt-get install yt-dlp` : fix,
    }
  const days = ytdlpAgeDays(version, now)
  const detail = `${version} (${choice.path}; ${choice.why})`
  if (isStale(version, now))
    return {
      ok: false,
      name,
      version,
      detail: `${detail} was released ${days} days ago (more than ${YTDLP_STALE_DAYS}): sites such as YouTube break old versions`,
      fix,
    }
  return { ok: true, name, version, detail }
}

/**
 * Runs the JavaScript runtime the way yt-dlp does (`bun --bun run -`, script on stdin):
 * yt-serve's own executable, which acts as bun with BUN_BE_BUN=1.
 */
export async function jsRuntimeCheck(config: Config, ytdlpVersion: string | null): Promise<Check> {
  const name = 'js runtime'
  const used = versionAtLeast(ytdlpVersion, JS_RUNTIMES_SINCE)
  const note = used ? undefined : `the yt-dlp in use (${ytdlpVersion ?? 'unknown'}) is older than ${JS_RUNTIMES_SINCE} and runs no JavaScript runtime`
  if (config.jsRuntime === 'none') return { ok: true, name, detail: 'JS_RUNTIME=none: yt-dlp gets no JavaScript runtime (YouTube may fail)', note }
  if (config.jsRuntime === 'deno' || config.jsRuntime === 'node') {
    const info = await toolVersion(config.jsRuntime, '--version')
    if (!info.version)
      return {
        ok: false,
        name,
        detail: `JS_RUNTIME=${config.jsRuntime}, but "${config.jsRuntime} --version" fails: ${info.error}`,
        fix: `install ${config.jsRuntime}, or set JS_RUNTIME=auto`,
      }
    return { ok: true, name, detail: `${config.jsRuntime} ${info.version}`, note }
  }
  const env: Record<string, string> = Bun.isStandaloneExecutable ? { BUN_BE_BUN: '1' } : {}
  const r = await runTool([process.execPath, '--bun', 'run', '-'], { input: 'console.log(Bun.version)', env, timeoutMs: 30_000 }).catch((err) => ({
    code: -1,
    stdout: '',
    stderr: String(err),
  }))
  const v = r.stdout.trim()
  if (r.code !== 0 || !/^\d+\.\d+\.\d+/.test(v))
    return {
      ok: false,
      name,
      detail: `${process.execPath} does not run a script on stdin as bun: ${(r.stderr || r.stdout).trim().split('\n').at(-1)}`,
      fix: 'set JS_RUNTIME=deno or node (installed), or JS_RUNTIME=none',
    }
  return { ok: true, name, detail: `bun ${v} (yt-serve itself: ${process.execPath}${env.BUN_BE_BUN ? ' with BUN_BE_BUN=1' : ''})`, note }
}

/** Read-only: a missing database or one not migrated yet has no managed yt-dlp and no playlist folders. */
async function readState(config: Config): Promise<{ ytdlp: YtdlpState | null; folders: string[] }> {
  const path = dbPath(config)
  if (!config.databaseUrl && !existsSync(path)) return { ytdlp: null, folders: [] }
  let db: ReturnType<typeof openDatabase> | null = null
  try {
    db = config.databaseUrl ? await openPostgresChecked(config.databaseUrl) : openDatabase(path)
    return { ytdlp: await readYtdlpState(db), folders: await playlistFolders(db) }
  } catch {
    return { ytdlp: null, folders: [] } // the database check says what is wrong with it
  } finally {
    await db?.destroy()
  }
}

/** MEDIA_DIR when set: writable like the data dir, and holding every playlist folder (none left behind in DATA_DIR). */
export function mediaDirCheck(config: Config, folders: string[]): Check | null {
  if (!config.mediaDir) return null
  const writable = dataDirCheck(config.mediaDir)
  if (!writable.ok)
    return { ...writable, name: 'media dir', fix: `create it and give this user write access (mkdir -p '${config.mediaDir}'), or change MEDIA_DIR` }
  const stranded = strandedFolders(config, folders)
  if (stranded.length)
    return {
      ok: false,
      name: 'media dir',
      detail: `${stranded.length} playlist folder(s) are not in ${config.mediaDir} but still in DATA_DIR: their files are not found, and verify refuses those playlists`,
      fix: strandedAdvice(config, stranded),
    }
  return { ok: true, name: 'media dir', detail: `${config.mediaDir} is writable and holds the playlist folders (${folders.length})` }
}

/** Free space where the data dir is (or will be), against MIN_FREE_SPACE_MB. */
export function diskCheck(dir: string, minFreeSpaceMb: number): Check {
  const name = 'disk space'
  let at = dir
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at)
  const free = freeBytes(at)
  if (free === null) return { ok: true, name, detail: `cannot read the free space of ${at}; MIN_FREE_SPACE_MB is not enforced there` }
  const detail = `${formatBytes(free)} free for ${dir}`
  if (minFreeSpaceMb > 0 && free < minFreeSpaceMb * 1024 * 1024)
    return {
      ok: false,
      name,
      detail: `${detail}, below MIN_FREE_SPACE_MB (${minFreeSpaceMb} MB): downloads would wait`,
      fix: 'free some space, move the media (DATA_DIR, or MEDIA_DIR when set) to a larger disk, or lower MIN_FREE_SPACE_MB',
    }
  return { ok: true, name, detail: minFreeSpaceMb > 0 ? `${detail} (downloads wait below ${minFreeSpaceMb} MB)` : `${detail} (MIN_FREE_SPACE_MB=0: no guard)` }
}

async function toolCheck(name: string, path: string, flag: '--version' | '-version', fix: string): Promise<Check> {
  const info = await toolVersion(path, flag)
  if (info.version) return { ok: true, name, detail: `${info.version} (${path})` }
  return { ok: false, name, detail: `not usable at "${path}": ${info.error ?? 'no version'}`, fix }
}

export function dataDirCheck(dir: string): Check {
  const name = 'data dir'
  try {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory())
        return { ok: false, name, detail: `${dir} is not a directory`, fix: 'pass --data-dir (or DATA_DIR) pointing at a directory' }
      const probe = join(dir, `.doctor-${process.pid}`)
      writeFileSync(probe, 'ok')
      unlinkSync(probe)
      return { ok: true, name, detail: `${dir} is writable` }
    }
    let parent = dirname(dir)
    while (!existsSync(parent)) parent = dirname(parent)
    if (!statSync(parent).isDirectory()) throw new Error(`${parent} is a file, not a directory`)
    accessSync(parent, constants.W_OK | constants.X_OK)
    return { ok: true, name, detail: `${dir} does not exist yet; it will be created (${parent} is writable)` }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    return {
      ok: false,
      name,
      detail: `${dir} is not writable: ${msg}`,
      fix: `create it and give this user write access (mkdir -p '${dir}' && chown "$(id -u)" '${dir}'), or pass --data-dir`,
    }
  }
}

/** Migrations and SQLite's own check (quick_check, or integrity_check with `full`). */
export async function databaseCheck(path: string, full = false): Promise<Check> {
  const name = 'database'
  if (!existsSync(path)) return { ok: true, name, detail: `no database yet at ${path}; it is created on first use` }
  let db: ReturnType<typeof openDatabase> | null = null
  try {
    db = openDatabase(path)
    const pragma = full ? 'integrity_check' : 'quick_check'
    const problems = await integrityProblems(db, full ? 'full' : 'quick')
    if (problems.length)
      return {
        ok: false,
        name,
        detail: `${path} is damaged: ${pragma} found ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
        fix: restoreAdvice(path),
      }
    const m = await readMigrations(db)
    if (m.unknown.length)
      return {
        ok: false,
        name,
        detail: `${path} was migrated by a newer yt-serve (unknown: ${m.unknown.join(', ')})`,
        fix: 'upgrade yt-serve to the version that wrote this database',
      }
    const total = m.applied.length + m.pending.length
    if (m.pending.length)
      return {
        ok: true,
        name,
        detail: `${path}: ${m.applied.length}/${total} migrations applied, pending: ${m.pending.join(', ')} (applied on the next start, or run "yt-serve migrate"); ${pragma}: ok`,
      }
    return { ok: true, name, detail: `${path}: all ${total} migrations applied (latest ${m.applied.at(-1)}); ${pragma}: ok` }
  } catch (err) {
    return {
      ok: false,
      name,
      detail: `cannot read ${path}: ${err instanceof Error ? err.message : err}`,
      fix: isDamageError(err) ? restoreAdvice(path) : 'check the file; restore it from a backup if it is damaged',
    }
  } finally {
    await db?.destroy()
  }
}

/**
 * DATABASE_URL: the server answers and the migrations. PostgreSQL checks its own pages
 * (data checksums, if the cluster has them): SQLite's quick_check has no counterpart to run.
 */
export async function postgresCheck(url: string): Promise<Check> {
  const name = 'database'
  const where = describePostgres(url)
  let db: Awaited<ReturnType<typeof openPostgresChecked>> | null = null
  try {
    db = await openPostgresChecked(url)
    const version = await serverVersion(db)
    const m = await readMigrations(db)
    if (m.unknown.length)
      return {
        ok: false,
        name,
        detail: `${where} was migrated by a newer yt-serve (unknown: ${m.unknown.join(', ')})`,
        fix: 'upgrade yt-serve to the version that wrote this database',
      }
    const total = m.applied.length + m.pending.length
    const state = m.pending.length
      ? `${m.applied.length}/${total} migrations applied, pending: ${m.pending.join(', ')} (applied on the next start, or run "yt-serve migrate")`
      : `all ${total} migrations applied${m.applied.length ? ` (latest ${m.applied.at(-1)})` : ''}`
    return {
      ok: true,
      name,
      detail: `${where}: PostgreSQL ${version}, ${state}`,
      note: "SQLite's page checks (--full) do not apply: PostgreSQL checks its own pages",
    }
  } catch (err) {
    return {
      ok: false,
      name,
      detail: err instanceof Error ? err.message : String(err),
      fix: 'start the PostgreSQL server, or correct DATABASE_URL (host, port, database, user, password)',
    }
  } finally {
    await db?.destroy()
  }
}

export function formatCheck(c: Check): string[] {
  const lines = [`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`]
  if (!c.ok && c.fix) lines.push(`    fix: ${c.fix}`)
  if (c.note) lines.push(`    note: ${c.note}`)
  return lines
}

export const doctor: Command = {
  spec: {
    name: 'doctor',
    summary: 'Check the tools (yt-dlp and its age, the JS runtime, ffmpeg, ffprobe), the data dir, its free space and the database.',
    description:
      'Prints one line per check with ✓ or ✗ and how to fix each ✗. Exits 1 if any check fails.\n' +
      "The database gets SQLite's quick_check (every page read); --full runs the slower integrity_check.\n" +
      '--quick only asks the running server on PORT for /api/health (a container HEALTHCHECK).',
    positionals: [],
    flags: [
      DATA_DIR_FLAG,
      { name: 'full', help: 'check the database with integrity_check (indexes against tables too), not quick_check' },
      { name: 'quick', help: 'only ask the running server on 127.0.0.1:PORT whether it is healthy' },
      { name: 'port', value: 'PORT', env: 'PORT', help: 'the port the server listens on (with --quick; default 8000)' },
    ],
  },
  async run(args, io) {
    const config = configFor(doctor.spec, args)
    if (args.flags.quick === true) {
      const check = await serverCheck(config)
      for (const line of formatCheck(check)) io.out(line)
      return check.ok ? 0 : 1
    }
    const { ytdlp: state, folders } = await readState(config)
    const media = mediaDirCheck(config, folders)
    const [ytdlp, ffmpeg, ffprobe] = await Promise.all([
      ytdlpCheck(config, state),
      toolCheck('ffmpeg', config.ffmpegPath, '-version', 'apt-get install ffmpeg, or set FFMPEG_PATH'),
      toolCheck('ffprobe', config.ffprobePath, '-version', 'apt-get install ffmpeg (ffprobe comes with it), or set FFPROBE_PATH'),
    ])
    const { version: ytdlpVersion, ...ytdlpResult } = ytdlp
    const checks = [
      ytdlpResult,
      await jsRuntimeCheck(config, ytdlpVersion),
      ffmpeg,
      ffprobe,
      dataDirCheck(config.dataDir),
      ...(media ? [media] : []),
      diskCheck(mediaRoot(config), config.minFreeSpaceMb),
      config.databaseUrl ? await postgresCheck(config.databaseUrl) : await databaseCheck(dbPath(config), args.flags.full === true),
    ]
    for (const c of checks) for (const line of formatCheck(c)) io.out(line)
    const failed = checks.filter((c) => !c.ok).length
    io.out(failed ? `${failed} check(s) failed` : 'all checks passed')
    return failed ? 1 : 0
  },
}
