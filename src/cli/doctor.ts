import { accessSync, constants, existsSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { integrityProblems, isDamageError, restoreAdvice } from '../db/integrity'
import { openDatabase } from '../db/open'
import { dbPath } from '../server'
import { freeBytes } from '../library/disk'
import { formatBytes } from '../library/units'
import { toolVersion } from '../tools/versions'
import { ytdlpReleaseDate } from '../tools/ytdlp'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { readMigrations } from './db-state'

export interface Check {
  ok: boolean
  name: string
  detail: string
  /** How to fix a failed check. */
  fix?: string
  /** Something that works today but deserves attention (shown under a passed check). */
  note?: string
}

/** Sites (YouTube above all) change often; a yt-dlp older than this is likely to fail on them. */
export const YTDLP_STALE_DAYS = 90

export function ytdlpAgeNote(version: string | null, now = new Date()): string | undefined {
  const released = version ? ytdlpReleaseDate(version) : null
  if (!released) return undefined
  const days = Math.floor((now.getTime() - released.getTime()) / 86_400_000)
  if (days <= YTDLP_STALE_DAYS) return undefined
  return (
    `this yt-dlp was released ${days} days ago; sites such as YouTube change often and break old versions. ` +
    'For a current one: pip install -U yt-dlp (or the standalone binary from https://github.com/yt-dlp/yt-dlp/releases), then set YTDLP_PATH'
  )
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
    return { ok: false, name, detail: `${detail}, below MIN_FREE_SPACE_MB (${minFreeSpaceMb} MB): downloads would wait`, fix: 'free some space, move DATA_DIR to a larger disk, or lower MIN_FREE_SPACE_MB' }
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
      if (!statSync(dir).isDirectory()) return { ok: false, name, detail: `${dir} is not a directory`, fix: 'pass --data-dir (or DATA_DIR) pointing at a directory' }
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
    return { ok: false, name, detail: `${dir} is not writable: ${msg}`, fix: `create it and give this user write access (mkdir -p '${dir}' && chown "$(id -u)" '${dir}'), or pass --data-dir` }
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
    if (problems.length) return { ok: false, name, detail: `${path} is damaged: ${pragma} found ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`, fix: restoreAdvice(path) }
    const m = await readMigrations(db)
    if (m.unknown.length)
      return { ok: false, name, detail: `${path} was migrated by a newer yt-serve (unknown: ${m.unknown.join(', ')})`, fix: 'upgrade yt-serve to the version that wrote this database' }
    const total = m.applied.length + m.pending.length
    if (m.pending.length)
      return { ok: true, name, detail: `${path}: ${m.applied.length}/${total} migrations applied, pending: ${m.pending.join(', ')} (applied on the next start, or run "yt-serve migrate"); ${pragma}: ok` }
    return { ok: true, name, detail: `${path}: all ${total} migrations applied (latest ${m.applied.at(-1)}); ${pragma}: ok` }
  } catch (err) {
    return { ok: false, name, detail: `cannot read ${path}: ${err instanceof Error ? err.message : err}`, fix: isDamageError(err) ? restoreAdvice(path) : 'check the file; restore it from a backup if it is damaged' }
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
    summary: 'Check the tools (yt-dlp, ffmpeg, ffprobe), the data dir, its free space and the database.',
    description:
      'Prints one line per check with ✓ or ✗ and how to fix each ✗. Exits 1 if any check fails.\n' +
      'The database gets SQLite\'s quick_check (every page read); --full runs the slower integrity_check.',
    positionals: [],
    flags: [DATA_DIR_FLAG, { name: 'full', help: 'check the database with integrity_check (indexes against tables too), not quick_check' }],
  },
  async run(args, io) {
    const config = configFor(doctor.spec, args)
    const [ytdlp, ffmpeg, ffprobe] = await Promise.all([
      toolCheck('yt-dlp', config.ytdlpPath, '--version', 'apt-get install yt-dlp (or pip install yt-dlp), or set YTDLP_PATH'),
      toolCheck('ffmpeg', config.ffmpegPath, '-version', 'apt-get install ffmpeg, or set FFMPEG_PATH'),
      toolCheck('ffprobe', config.ffprobePath, '-version', 'apt-get install ffmpeg (ffprobe comes with it), or set FFPROBE_PATH'),
    ])
    if (ytdlp.ok) ytdlp.note = ytdlpAgeNote(ytdlp.detail.split(' ')[0])
    const checks = [ytdlp, ffmpeg, ffprobe, dataDirCheck(config.dataDir), diskCheck(config.dataDir, config.minFreeSpaceMb), await databaseCheck(dbPath(config), args.flags.full === true)]
    for (const c of checks) for (const line of formatCheck(c)) io.out(line)
    const failed = checks.filter((c) => !c.ok).length
    io.out(failed ? `${failed} check(s) failed` : 'all checks passed')
    return failed ? 1 : 0
  },
}
