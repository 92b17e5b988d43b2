import { mkdir, readdir, rename, rmdir, stat } from 'node:fs/promises'
import { dirname, extname, join } from 'node:path'
import { addEvent } from '../db/events'
import { dropMove, finishMove, pendingMoves, recordMove } from '../db/file-moves'
import { playlistCounts } from '../db/playlists'
import type { FileMove, Playlist, Video } from '../db/types'
import { findVideo, videosWithFiles } from '../db/videos'
import { audioTarget, isShowLayout, layoutOf, numberWidth, stemOf, thumbnailPath, videoTarget, type FileTarget } from '../library/layout'
import { playlistDir, resolveInside, mediaRoot } from '../library/paths'
import type { AppContext } from '../context'
import type { JobRun } from './job-run'
import { removeEpisodeNfo, removeShowFiles, writeEpisodeNfo } from './library-files'

/**
 * The relayout job: every file of a playlist goes where its library_layout and name_template
 * now say, by rename (never a copy, so nothing is stored twice). Each move is recorded
 * (file_moves) before the rename and settled after it in one transaction with the entry's
 * path: a crash in between is finished or undone at the next start (settleMoves), as a
 * download's recorded destination is (adoptMovedDownloads). Entries already in place are not
 * touched, so a resumed or repeated relayout only does what is left.
 */

type Field = FileMove['field']
export interface PlannedMove {
  video: Video
  field: Field
  from: string
  to: string
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  )

/**
 * Where each file should be now, names made unique against each other and against files on
 * disk that stay. `current` keeps a file that is already where it belongs.
 */
export async function planMoves(ctx: AppContext, playlist: Playlist): Promise<PlannedMove[]> {
  const root = mediaRoot(ctx.config)
  const entries = (await playlistCounts(ctx.db, playlist.id)).entries
  const taken = new Set<string>()
  const free = async (t: FileTarget, ext: string, current: string): Promise<string> => {
    for (let i = 1; ; i++) {
      const rel = `${t.dir}/${i === 1 ? t.stem : `${t.stem} (${i})`}${ext}`
      if (rel === current) {
        taken.add(rel.toLowerCase())
        return rel
      }
      if (taken.has(rel.toLowerCase()) || (await exists(join(root, rel)))) continue
      taken.add(rel.toLowerCase())
      return rel
    }
  }
  const moves: PlannedMove[] = []
  const plan = (video: Video, field: Field, from: string, to: string) => {
    if (from !== to) moves.push({ video, field, from, to })
  }
  for (const v of await videosWithFiles(ctx.db, playlist.id)) {
    const width = numberWidth(entries, v.position)
    const target = videoTarget(playlist, v, width)
    // An entry whose video was deleted on purpose keeps its audio and thumbnail named as the video would be.
    const videoRel = v.video_path ? await free(target, extname(v.video_path), v.video_path) : `${target.dir}/${target.stem}.none`
    if (v.video_path) plan(v, 'video_path', v.video_path, videoRel)
    if (v.thumbnail_path) plan(v, 'thumbnail_path', v.thumbnail_path, thumbnailPath(playlist, videoRel))
    if (v.audio_path) {
      const to = await free(audioTarget(playlist, v, width, stemOf(videoRel)), extname(v.audio_path), v.audio_path)
      plan(v, 'audio_path', v.audio_path, to)
    }
  }
  return moves
}

/** Waits while the job is paused (between two files); false once it is cancelled. */
async function mayGoOn(run: JobRun): Promise<boolean> {
  while (run.paused && !run.cancelled) await Bun.sleep(100)
  return !run.cancelled
}

/** One file: recorded, renamed, settled. A source gone from disk is left to verify to report. */
async function moveOne(run: JobRun, m: PlannedMove): Promise<void> {
  const { db, config } = run.ctx
  const from = resolveInside(mediaRoot(config), m.from)
  if (!from) {
    await addEvent(db, run.id, 'warn', `not moved, the file is missing: ${m.from}`)
    return
  }
  const to = join(mediaRoot(config), m.to)
  await mkdir(dirname(to), { recursive: true })
  const id = await recordMove(db, { job_id: run.id, video_id: m.video.id, field: m.field, from_path: m.from, to_path: m.to })
  await rename(from, to)
  await finishMove(db, { id, video_id: m.video.id, field: m.field, to_path: m.to })
}

/** Runs a relayout job to its end (or its cancel). Throws what should fail the job. */
export async function runRelayout(run: JobRun): Promise<void> {
  const { ctx } = run
  const playlist = run.playlist
  const moves = await planMoves(ctx, playlist)
  // A resumed job: what it moved before the stop still counts, so the bar goes on from there.
  const before = run.job.move_completed
  run.countMoves(before + moves.length, before)
  await addEvent(ctx.db, run.id, 'info', `moving ${moves.length} file(s) to the ${layoutOf(playlist)} layout`)
  const byVideo = new Map<number, PlannedMove[]>()
  for (const m of moves) byVideo.set(m.video.id, [...(byVideo.get(m.video.id) ?? []), m])
  for (const [videoId, mine] of byVideo) {
    if (!(await mayGoOn(run))) return
    const title = mine[0]!.video.title
    run.moveStarted(videoId, title)
    try {
      const video = mine.find((m) => m.field === 'video_path')
      // The old NFO sits beside the old video under its name, whatever layout wrote it.
      if (video) await removeEpisodeNfo(ctx, video.from)
      for (const m of mine) {
        await moveOne(run, m)
        run.fileMoved()
      }
      const moved = await findVideo(ctx.db, videoId)
      if (moved) await writeEpisodeNfo(ctx, playlist, moved)
    } finally {
      run.moveEnded(videoId)
    }
  }
  // Entries that did not move still get their NFO (a playlist switched between jellyfin and plex, say).
  if (isShowLayout(layoutOf(playlist)))
    for (const v of await videosWithFiles(ctx.db, playlist.id)) if (!byVideo.has(v.id)) await writeEpisodeNfo(ctx, playlist, v)
  await cleanUp(ctx, playlist)
}

/** A plain playlist keeps no show files; folders the move emptied (old seasons, videos/, audio/…) go. */
async function cleanUp(ctx: AppContext, playlist: Playlist): Promise<void> {
  const dir = playlistDir(mediaRoot(ctx.config), playlist.folder)
  if (!isShowLayout(layoutOf(playlist))) {
    await removeShowFiles(ctx, playlist.folder)
    for (const v of await videosWithFiles(ctx.db, playlist.id)) if (v.video_path) await removeEpisodeNfo(ctx, v.video_path)
  }
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith('.')) continue
    const sub = join(dir, name)
    // rmdir removes only an empty folder: anything still in one keeps it.
    if ((await stat(sub).catch(() => null))?.isDirectory()) await rmdir(sub).catch(() => {})
  }
}

/**
 * After a crash: each recorded move is finished (the file is at its destination and no longer
 * at its source: the entry's path follows it) or undone (the file never left). Returns how
 * many were finished.
 */
export async function settleMoves(ctx: AppContext): Promise<number> {
  let finished = 0
  for (const m of await pendingMoves(ctx.db, ctx.config.nodeName)) {
    const at = resolveInside(mediaRoot(ctx.config), m.to_path)
    const still = resolveInside(mediaRoot(ctx.config), m.from_path)
    if (at && !still) {
      await finishMove(ctx.db, m)
      finished++
    } else await dropMove(ctx.db, m.id)
  }
  return finished
}
