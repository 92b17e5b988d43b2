import { constants } from 'node:fs'
import { copyFile, link, lstat, mkdir, realpath, unlink } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { Config } from '../config'
import type { AppContext } from '../context'
import { audioImported, audioImportFailed, takeAudioForImport, takeVideoForImport, videoImported, videoImportFailed, videoNotWanted } from '../db/imports'
import { findVideo } from '../db/videos'
import type { Playlist } from '../db/types'
import { videoDestination } from '../jobs/item-results'
import { audioTarget, numberWidth, stemOf } from '../library/layout'
import { itemBaseName } from '../library/names'
import { relativeTo, mediaRoot } from '../library/paths'
import { buildCheckProbeArgs, buildReadThroughArgs, judgeMedia } from '../tools/media-check'
import { runTool } from '../tools/spawn'
import type { PlannedRow } from './import-match'

/** A few GB read at disk speed; past this the file is taken as hung. */
const READ_THROUGH_TIMEOUT_MS = 10 * 60_000

/** Why the file is not whole media of its kind (ffprobe, then every packet read), or null when it is. */
async function readMedia(config: Config, kind: 'video' | 'audio', file: string): Promise<string | null> {
  const probe = await runTool(buildCheckProbeArgs(config.ffprobePath, file), { timeoutMs: 60_000, label: 'ffprobe' })
  const first = judgeMedia(kind, file, probe, null)
  if (first) return first
  const read = await runTool(buildReadThroughArgs(config.ffmpegPath, file), { timeoutMs: READ_THROUGH_TIMEOUT_MS, label: 'ffmpeg' })
  return judgeMedia(kind, file, probe, read)
}

/**
 * Verdicts by file, size and mtime: the dry run reads every file through, and Apply, moments
 * later, would read them all again. A bounded map, oldest out first.
 */
const verdicts = new Map<string, string | null>()
const VERDICTS_MAX = 5000

export async function checkMedia(config: Config, kind: 'video' | 'audio', file: string, size: number, mtimeMs: number): Promise<string | null> {
  const key = `${kind}\0${file}\0${size}\0${mtimeMs}`
  const known = verdicts.get(key)
  if (known !== undefined) return known
  const verdict = await readMedia(config, kind, file)
  if (verdicts.size >= VERDICTS_MAX) verdicts.delete(verdicts.keys().next().value as string)
  verdicts.set(key, verdict)
  return verdict
}

const crossDevice = (err: unknown) => ['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP'].includes((err as NodeJS.ErrnoException).code ?? '')

/**
 * Puts `from` at `to` without ever replacing a file there (link and copy both refuse to).
 * A move is a link and an unlink; across filesystems, a copy and an unlink. `keep` leaves the
 * original: a hard link, or a copy when the two folders are on different filesystems.
 * Returns how, in words.
 */
async function transfer(from: string, to: string, keep: boolean): Promise<string> {
  try {
    await link(from, to)
  } catch (err) {
    if (!crossDevice(err)) throw err
    await copyFile(from, to, constants.COPYFILE_EXCL)
    if (keep) return 'copied: a hard link cannot cross filesystems (the folder and the data dir are on different ones); the original stays'
    await unlink(from)
    return 'moved (copied across filesystems)'
  }
  if (keep) return 'hard-linked'
  await unlink(from)
  return 'moved'
}

/**
 * The file must still be the one scanned and checked: a regular file of the same size and
 * time, reached through no symbolic link (the folder was resolved, so its real path is its
 * path: a subfolder swapped for a link since the scan would lead elsewhere).
 */
async function unchanged(row: PlannedRow): Promise<boolean> {
  const st = await lstat(row.found.full).catch(() => null)
  if (st?.isFile() !== true || st.size !== row.found.size || st.mtimeMs !== row.found.mtimeMs) return false
  return (await realpath(row.found.full).catch(() => null)) === row.found.full
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err))

/**
 * Adopts a matched, checked video into the archive, where a download would have put it
 * (videoDestination), the way a download records it: destination first, then the file,
 * then the state. The row says what happened.
 */
export async function adoptVideo(ctx: AppContext, playlist: Playlist, row: PlannedRow, keep: boolean, entryCount: number): Promise<void> {
  const e = row.target!
  const root = mediaRoot(ctx.config)
  if (!(await unchanged(row))) return refuse(row, 'the file changed or went away after it was checked')
  const dest = await videoDestination(root, playlist, e, row.found.full, entryCount)
  const rel = relativeTo(root, dest)
  if (!(await takeVideoForImport(ctx.db, e.id, rel))) return refuse(row, 'a job took this entry meanwhile')
  try {
    row.detail = await transfer(row.found.full, dest, keep)
  } catch (err) {
    await videoImportFailed(ctx.db, e.id)
    return refuse(row, `could not be put in the archive: ${errorText(err)}`)
  }
  await videoImported(ctx.db, e.id)
  row.action = 'adopted'
  row.destination = rel
}

/**
 * Adopts a matched, checked audio file under the name extraction would give it (beside the
 * entry's video name in the audio folder), keeping its own format: it is not re-encoded (the
 * playlist page then offers to re-extract files in another format, when their video is there).
 * Without a video the entry still waits for one, unless the playlist is "Audio only".
 */
export async function adoptAudio(ctx: AppContext, playlist: Playlist, row: PlannedRow, keep: boolean, entryCount: number): Promise<void> {
  const root = mediaRoot(ctx.config)
  if (!(await unchanged(row))) return refuse(row, 'the file changed or went away after it was checked')
  // Read afresh: a video adopted a moment ago named the entry.
  const e = (await findVideo(ctx.db, row.target!.id)) ?? row.target!
  const width = numberWidth(entryCount, e.position)
  // Where extraction would put it, in the playlist's layout (audioTarget).
  const target = audioTarget(playlist, e, width, e.video_path ? stemOf(e.video_path) : itemBaseName(e.position, e.title, width))
  const dir = join(root, target.dir)
  await mkdir(dir, { recursive: true })
  const ext = extname(row.found.full).toLowerCase()
  const dest = join(dir, target.stem + ext)
  const rel = relativeTo(root, dest)
  if (!(await takeAudioForImport(ctx.db, e.id, rel))) return refuse(row, 'a job took this entry meanwhile')
  try {
    row.detail = await transfer(row.found.full, dest, keep)
  } catch (err) {
    await audioImportFailed(ctx.db, e.id)
    const taken = (err as NodeJS.ErrnoException).code === 'EEXIST'
    return refuse(row, taken ? `a file is already at ${rel}: nothing was replaced` : `could not be put in the archive: ${errorText(err)}`)
  }
  await audioImported(ctx.db, e.id)
  if (playlist.delete_videos) await videoNotWanted(ctx.db, e.id)
  row.action = 'adopted'
  row.destination = rel
}

function refuse(row: PlannedRow, detail: string): void {
  row.action = 'refused'
  row.detail = detail
}
