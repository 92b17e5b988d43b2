import { mediaRoot } from '../library/paths'
import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, sep } from 'node:path'
import type { Config } from '../config'
import type { AppContext } from '../context'
import { entriesForImport } from '../db/imports'
import { activeJobForPlaylist } from '../db/jobs'
import { downloadTotals } from '../db/videos'
import { Conflict, Invalid, NotFound } from '../errors'
import { adoptAudio, adoptVideo, checkMedia } from './import-adopt'
import { type ImportAction, type ImportMatchMode, type ImportRow, type PlannedRow, planImport } from './import-match'
import { scanFolder } from './import-scan'
import { requirePlaylist } from './require-playlist'
import { reindexPlaylist } from './service'
import { isSingles } from './singles'

export interface ImportOptions {
  dir: string
  /** false: a dry run, nothing is touched. */
  apply: boolean
  /** Hard-link instead of moving: the folder keeps its files. */
  link: boolean
  match: ImportMatchMode
}

export interface ImportReport {
  playlist_id: number
  /** The folder as resolved (symbolic links in its own path followed, once). */
  dir: string
  applied: boolean
  link: boolean
  match: ImportMatchMode
  counts: Record<ImportAction, number>
  /** Files past the scan's limit, not looked at. */
  not_scanned: number
  rows: ImportRow[]
}

const inside = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)

/** The folder, resolved, if it is one an import may read: an existing directory that is not inside the data or media dir, nor holds either. */
export async function importFolder(config: Config, dir: string): Promise<string> {
  if (!dir || dir.includes('\0') || !isAbsolute(dir)) throw new Invalid('dir must be an absolute path to a folder')
  const root = await realpath(dir).catch(() => null)
  if (root === null) throw new NotFound(`folder ${dir}`)
  if (!(await stat(root)).isDirectory()) throw new Invalid(`${dir} is not a folder`)
  // The archive's own files must never be "imported" into it, from below or from above.
  for (const [what, own] of [
    ['data dir', config.dataDir],
    ['media dir', mediaRoot(config)],
  ] as const) {
    const real = await realpath(own).catch(() => own)
    if (inside(root, real) || inside(real, root)) throw new Invalid(`${dir} overlaps the ${what} (${own}): import from a folder outside it`)
  }
  return root
}

/**
 * The gate of the API and UI: the folder must lie inside one of IMPORT_DIRS, judged on real
 * paths so neither ".." nor a symbolic link leads out. The CLI has no such gate: its
 * operator can read the disk anyway.
 */
export async function allowedImportFolder(config: Config, dir: string): Promise<string> {
  if (config.importDirs.length === 0)
    throw new Invalid('importing from the web is off: set IMPORT_DIRS to the folders it may read (the command line, yt-serve import, needs no setting)')
  const root = await importFolder(config, dir)
  for (const allowed of config.importDirs) {
    const real = await realpath(allowed).catch(() => null)
    if (real && inside(root, real)) return root
  }
  throw new Invalid(`${dir} is not inside the folders IMPORT_DIRS allows (${config.importDirs.join(', ')})`)
}

/**
 * Checks the files to adopt, as many at once as extraction may run (each check is an ffprobe
 * and an ffmpeg reading at disk speed); a damaged one is refused with the reason.
 */
async function checkAll(ctx: AppContext, rows: PlannedRow[]): Promise<void> {
  const queue = rows.filter((r) => r.action === 'adopt' && (r.kind === 'video' || r.kind === 'audio'))
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const problem = await checkMedia(ctx.config, row.kind as 'video' | 'audio', row.found.full, row.found.size, row.found.mtimeMs)
      if (problem) {
        row.action = 'refused'
        row.detail = problem
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.config.extractConcurrency, 8)) }, worker))
}

const noCounts = (): Record<ImportAction, number> => ({ adopt: 0, adopted: 0, skip: 0, refused: 0, unknown: 0 })

/**
 * Matches the files of a folder to the playlist's entries, checks the matched ones with
 * ffprobe and ffmpeg, and with `apply` puts them in the archive as downloaded videos and
 * extracted audio, so the next job fetches only what is still missing. Without `apply`,
 * nothing in the folder or the archive changes (a playlist never indexed is indexed first).
 * `root` is the folder as importFolder or allowedImportFolder resolved it.
 */
export async function importArchive(ctx: AppContext, playlistId: number, root: string, opts: Omit<ImportOptions, 'dir'>): Promise<ImportReport> {
  let playlist = await requirePlaylist(ctx.db, playlistId)
  const active = await activeJobForPlaylist(ctx.db, playlistId)
  if (active) throw new Conflict(`playlist has an active job (#${active.id}); import once it has ended`, { job_id: active.id })
  if (playlist.indexed_at === null && !isSingles(playlist)) playlist = (await reindexPlaylist(ctx, playlist)).playlist
  const scan = await scanFolder(root)
  const rows = planImport(scan, await entriesForImport(ctx.db, playlistId), opts.match)
  await checkAll(ctx, rows)
  if (opts.apply) {
    const { total } = await downloadTotals(ctx.db, playlistId)
    // Videos first: an audio file takes its name from its entry's video.
    for (const kind of ['video', 'audio'] as const)
      for (const row of rows)
        if (row.action === 'adopt' && row.kind === kind) await (kind === 'video' ? adoptVideo : adoptAudio)(ctx, playlist, row, opts.link, total)
    const adopted = rows.filter((r) => r.action === 'adopted').length
    if (adopted > 0) ctx.log(`playlist ${playlistId}: ${adopted} file(s) imported from ${root}`)
  }
  const counts = noCounts()
  for (const r of rows) counts[r.action]++
  return {
    playlist_id: playlistId,
    dir: root,
    applied: opts.apply,
    link: opts.link,
    match: opts.match,
    counts,
    not_scanned: scan.notScanned,
    rows: rows.map(({ found: _f, target: _t, ...r }) => r),
  }
}
