import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import type { AppContext } from '../context'
import { type Neighbour, playableNeighbours } from '../db/neighbours'
import type { Playlist, Video } from '../db/types'
import { findVideo } from '../db/videos'
import { NotFound } from '../errors'
import { resolveMediaInside, mediaRoot } from '../library/paths'
import { languageName, type SubtitleFile, subtitlesBeside } from '../library/subtitles'
import { buildChaptersArgs, type Chapter, parseChapters } from '../tools/ffmpeg'
import { runTool } from '../tools/spawn'
import { requirePlaylist } from './require-playlist'

/** Containers a browser's <video> plays; Matroska (and QuickTime outside Safari) it does not. */
const BROWSER_PLAYABLE = new Set(['.mp4', '.m4v', '.webm'])

export interface EntryPlayer {
  playlist: Playlist
  video: Omit<Video, 'smuggled_data'>
  /** The video file is on disk (a deleted or never downloaded one has none). */
  hasVideo: boolean
  /** The browser can play the container; otherwise the page offers the download. */
  playable: boolean
  subtitles: (SubtitleFile & { label: string })[]
  chapters: Chapter[]
  previous: Neighbour | undefined
  next: Neighbour | undefined
}

/** The entry in that playlist, or NotFound: an entry of another playlist is not found here either. */
export async function requireEntry(ctx: AppContext, playlistId: number, videoId: number): Promise<{ playlist: Playlist; video: Video }> {
  const [playlist, video] = await Promise.all([requirePlaylist(ctx.db, playlistId), findVideo(ctx.db, videoId)])
  if (!video || video.playlist_id !== playlist.id) throw new NotFound(`entry ${videoId} of playlist ${playlistId}`)
  return { playlist, video }
}

/**
 * Chapters written into the file, read by ffprobe. Best effort: a missing ffprobe, a slow
 * one or an unreadable file only means no chapter list (null: not known, not cached).
 */
async function readChapters(ffprobe: string, file: string): Promise<Chapter[] | null> {
  try {
    const probe = await runTool(buildChaptersArgs(ffprobe, file), { timeoutMs: 10_000, label: 'ffprobe' })
    return probe.code === 0 ? parseChapters(probe.stdout) : null
  } catch {
    return null
  }
}

/**
 * One ffprobe per page view cost ~0.4 s under load; a file's chapters change only when the
 * file does, so they are kept per path, size and mtime (a bounded map, oldest out first).
 */
const chapterCache = new Map<string, Chapter[]>()
const CHAPTER_CACHE_MAX = 500

async function chaptersOf(ffprobe: string, file: string): Promise<Chapter[]> {
  const st = await stat(file).catch(() => null)
  if (!st) return []
  const key = `${file}\0${st.size}\0${st.mtimeMs}`
  const known = chapterCache.get(key)
  if (known) return known
  const chapters = await readChapters(ffprobe, file)
  if (chapters === null) return []
  if (chapterCache.size >= CHAPTER_CACHE_MAX) chapterCache.delete(chapterCache.keys().next().value as string)
  chapterCache.set(key, chapters)
  return chapters
}

/** Everything the player page shows for one entry. */
export async function entryPlayer(ctx: AppContext, playlistId: number, videoId: number): Promise<EntryPlayer> {
  const { playlist, video } = await requireEntry(ctx, playlistId, videoId)
  const { smuggled_data: _, ...listed } = video
  const file = video.download_state === 'downloaded' && video.video_path ? resolveMediaInside(mediaRoot(ctx.config), video.video_path) : null
  const hasVideo = file !== null && (await Bun.file(file).exists())
  const [subtitles, chapters, around] = await Promise.all([
    hasVideo && video.video_path ? subtitlesBeside(mediaRoot(ctx.config), video.video_path) : [],
    hasVideo && file ? chaptersOf(ctx.config.ffprobePath, file) : [],
    playableNeighbours(ctx.db, video),
  ])
  return {
    playlist,
    video: listed,
    hasVideo,
    playable: hasVideo && BROWSER_PLAYABLE.has(extname(video.video_path ?? '').toLowerCase()),
    subtitles: subtitles.map((s) => ({ ...s, label: languageName(s.lang) })),
    chapters,
    previous: around.previous,
    next: around.next,
  }
}

/** The subtitle file of one language beside the entry's video; relative to DATA_DIR, or null. */
export async function subtitlePath(ctx: AppContext, videoId: number, lang: string): Promise<string | null> {
  const video = await findVideo(ctx.db, videoId)
  if (!video?.video_path) throw new NotFound(`video ${videoId}`)
  const found = (await subtitlesBeside(mediaRoot(ctx.config), video.video_path)).find((s) => s.lang === lang)
  return found?.path ?? null
}
