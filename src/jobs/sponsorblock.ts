import { rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { addEvent } from '../db/events'
import { claimRecuts, sponsorblockRecheckCandidates } from '../db/sponsorblock'
import { now } from '../db/time'
import type { SponsorblockMode, Video } from '../db/types'
import { updateVideo } from '../db/videos'
import { guardedFetch } from '../library/guarded-fetch'
import { cacheSegments, isYoutubeId, MAX_ANSWER_BYTES, parseCategories, parseSkipSegments, readCachedSegments, skipSegmentsUrl } from '../library/sponsorblock'
import { buildChaptersArgs, parseChapters } from '../tools/ffmpeg'
import {
  type Chapter,
  chaptersMetadata,
  concatList,
  type CutPlan,
  markChapters,
  planCut,
  type Range,
  type Segment,
  shiftChapters,
  buildVideoCutArgs,
  VIDEO_MUXERS,
} from '../tools/sponsorblock-cut'
import { runTool } from '../tools/spawn'
import { resolveInside, mediaRoot } from '../library/paths'
import type { JobRun } from './job-run'

/** Viewers keep adding segments to new videos: a sync asks again about those younger than this. */
export const YOUNG_DAYS = 30
/** Entries one job asks about again at most: a sync of a busy channel stays a handful of requests. */
export const RECHECK_LIMIT = 50
const TIMEOUT_MS = 10_000
/** A stream copy of even a long video takes minutes; this only catches a wedged ffmpeg. */
const VIDEO_CUT_TIMEOUT_MS = 3 * 3600_000

/** What the extraction does to one entry's audio: cut ranges out (remove), write chapters (mark, or shifted ones). */
export interface AudioEdit {
  cut: CutPlan | null
  /** The audio's length when it differs from the entry's duration though nothing is cut now (a video cut before). */
  audioDuration?: number | null
  /** Chapters to write; [] drops the source's (they would be wrong once cut); null leaves them be. */
  chapters: Chapter[] | null
}

export function sponsorblockModeOf(run: JobRun): SponsorblockMode {
  return run.playlist.sponsorblock ?? run.ctx.config.sponsorblock
}

function categoriesOf(run: JobRun): string[] {
  const own = run.playlist.sponsorblock_categories
  if (own) {
    try {
      return parseCategories(own)
    } catch {}
  }
  return run.ctx.config.sponsorblockCategories
}

/**
 * The hook of the extraction: for a YouTube entry of a playlist with SponsorBlock on, its
 * segments (cached, or asked for) become a cut or chapters. Null: the audio is extracted as
 * it is (SponsorBlock off, not a YouTube video, no length known, or the API failed, which
 * the job log says).
 */
export async function sponsorblockEdit(run: JobRun, video: Video, input: string, duration: number | null): Promise<AudioEdit | null> {
  const mode = sponsorblockModeOf(run)
  if (mode === 'off' || video.extractor !== 'youtube' || !isYoutubeId(video.source_id) || duration === null) return null
  // Cut already: the segments' times are the uncut video's, and what they marked is gone.
  if (video.video_cut_at !== null) return { cut: null, chapters: null, audioDuration: duration }
  const all = await segmentsOf(run, video)
  if (all === null) return null
  const wanted = new Set(categoriesOf(run))
  const segments = all.filter((s) => wanted.has(s.category))
  if (mode === 'mark') {
    const chapters = markChapters(segments, duration, video.title)
    if (chapters.length === 0) return null
    await log(run, 'info', `SponsorBlock: ${segments.length} segment(s) marked as chapters: ${video.title}`)
    return { cut: null, chapters }
  }
  const cut = planCut(segments, duration)
  if (!cut) return null
  const removed = Math.round((duration - cut.duration) * 10) / 10
  await log(run, 'info', `SponsorBlock: ${cut.cuts.length} segment(s), ${removed} s, cut from the audio: ${video.title}`)
  return { cut, chapters: shiftChapters(await sourceChapters(run, input), cut.kept) }
}

/** An AudioEdit as ffmpeg takes it: its files written beside the output (dot-files ending in .part, swept like it). */
export interface EditFiles {
  cut: { kept: Range[]; concatFile: string | null } | null
  /** The plan itself, for cutting the video the same way afterwards. */
  plan: CutPlan | null
  chaptersFile: string | null
  /** The audio's length once cut; null when it is not cut. */
  audioDuration: number | null
  cleanUp(): Promise<void>
}

export async function editFiles(
  edit: AudioEdit | null,
  o: { input: string; copy: boolean; duration: number | null; temp: (ext: string) => string },
): Promise<EditFiles> {
  const written: string[] = []
  const write = async (ext: string, text: string) => {
    const path = o.temp(ext)
    written.push(path)
    await writeFile(path, text)
    return path
  }
  const cleanUp = async () => {
    for (const f of written) await rm(f, { force: true })
  }
  if (!edit) return { cut: null, plan: null, chaptersFile: null, audioDuration: null, cleanUp }
  try {
    const length = edit.cut?.duration ?? o.duration ?? 0
    const concatFile = edit.cut && o.copy ? await write('ffconcat', concatList(o.input, edit.cut.kept, o.duration ?? Number.POSITIVE_INFINITY)) : null
    const chaptersFile = edit.chapters?.length ? await write('ffchapters', chaptersMetadata(edit.chapters, length)) : null
    return {
      cut: edit.cut ? { kept: edit.cut.kept, concatFile } : null,
      plan: edit.cut,
      chaptersFile,
      audioDuration: edit.cut?.duration ?? edit.audioDuration ?? null,
      cleanUp,
    }
  } catch (err) {
    await cleanUp()
    throw err
  }
}

/**
 * sponsorblock_video: once the audio is made, the same ranges go out of the video file, a
 * stream copy written beside it and renamed over it; video_cut_at then keeps it from being
 * cut twice. A failure leaves the video as downloaded, with a log line: the audio is done.
 */
export async function cutVideoIfAsked(run: JobRun, video: Video, plan: CutPlan | null): Promise<void> {
  if (!plan || sponsorblockModeOf(run) !== 'remove' || !run.playlist.sponsorblock_video || !video.video_path) return
  const { config, db } = run.ctx
  const input = resolveInside(mediaRoot(config), video.video_path)
  if (!input) return
  const muxer = VIDEO_MUXERS[extname(input).toLowerCase()]
  if (!muxer) {
    await log(run, 'warn', `SponsorBlock: a ${extname(input)} video is not cut, only its audio: ${video.title}`)
    return
  }
  const list = join(dirname(input), `.${basename(input)}.ffconcat.part`)
  const tmp = join(dirname(input), `.${basename(input)}.part`)
  try {
    await writeFile(list, concatList(input, plan.kept, plan.source))
    const r = await runTool(buildVideoCutArgs(config.ffmpegPath, { concatFile: list, input, kept: plan.kept, output: tmp, muxer }), {
      timeoutMs: VIDEO_CUT_TIMEOUT_MS,
      procs: run.procs,
    })
    // Cancelled meanwhile: ffmpeg was stopped with the job, and the video stays as downloaded.
    if (run.cancelled) return
    const size = await stat(tmp).then(
      (s) => s.size,
      () => 0,
    )
    if (r.code !== 0 || size === 0) throw new Error(r.stderr.trim().split('\n').at(-1)?.slice(0, 300) || `ffmpeg exited with ${r.code}`)
    await rename(tmp, input)
    await updateVideo(db, video.id, { video_cut_at: now() })
    await log(run, 'info', `SponsorBlock: the same ${plan.cuts.length} segment(s) cut from the video: ${video.title}`)
  } catch (err) {
    await log(run, 'warn', `SponsorBlock: the video could not be cut (${err instanceof Error ? err.message : err}); it stays as downloaded: ${video.title}`)
  } finally {
    await rm(list, { force: true })
    await rm(tmp, { force: true })
  }
}

/** The chapters already in the video file (none is the usual case), to be shifted past the cuts. */
async function sourceChapters(run: JobRun, input: string): Promise<Chapter[]> {
  try {
    const probe = await runTool(buildChaptersArgs(run.ctx.config.ffprobePath, input), { timeoutMs: 60_000 })
    return probe.code === 0 ? parseChapters(probe.stdout) : []
  } catch {
    return []
  }
}

/**
 * Whether the cached answer will do: a video older than YOUNG_DAYS has settled; a younger one
 * is asked about again once the playlist was synced after the last look.
 */
export function cacheIsFresh(video: Pick<Video, 'sponsorblock_checked_at' | 'upload_date'>, indexedAt: string | null, at: Date): boolean {
  const checked = video.sponsorblock_checked_at
  if (checked === null) return false
  const uploaded = video.upload_date ? Date.parse(`${video.upload_date}T00:00:00Z`) : Number.NaN
  const young = Number.isFinite(uploaded) && at.getTime() - uploaded < YOUNG_DAYS * 86_400_000
  return !(young && indexedAt !== null && indexedAt > checked)
}

/**
 * A planning step of a job with an extract phase: extracted YouTube entries younger than
 * YOUNG_DAYS whose answer predates the playlist's last sync are asked about again; those whose
 * segments (in the playlist's categories) changed are claimed to be extracted again from
 * their video. A failed request leaves the entry as it is, with a line in the log.
 */
export async function recheckSponsorblock(run: JobRun, at = new Date()): Promise<void> {
  const { db, config } = run.ctx
  const indexedAt = run.playlist.indexed_at
  if (sponsorblockModeOf(run) === 'off' || indexedAt === null) return
  const since = new Date(at.getTime() - YOUNG_DAYS * 86_400_000).toISOString().slice(0, 10)
  const candidates = await sponsorblockRecheckCandidates(db, run.playlist.id, since, indexedAt, RECHECK_LIMIT)
  if (candidates.length === 0) return
  const wanted = new Set(categoriesOf(run))
  const relevant = (segments: Segment[]) => JSON.stringify(segments.filter((s) => wanted.has(s.category)))
  const changed: number[] = []
  for (const v of candidates) {
    try {
      const segments = await lookUp(config.sponsorblockUrl, v.source_id, run.ctx.urlGuard)
      const before = v.sponsorblock_segments === null ? [] : readCachedSegments(v.sponsorblock_segments)
      await updateVideo(db, v.id, { sponsorblock_segments: cacheSegments(segments), sponsorblock_checked_at: now() })
      if (relevant(segments) !== relevant(before)) changed.push(v.id)
    } catch (err) {
      await log(run, 'warn', `SponsorBlock lookup failed (${err instanceof Error ? err.message : err}); the audio stays as it is: ${v.title}`)
    }
  }
  await log(run, 'info', `SponsorBlock: asked again about ${candidates.length} recent entr${candidates.length === 1 ? 'y' : 'ies'}; ${changed.length} changed`)
  if (changed.length === 0) return
  await claimRecuts(db, changed, run.id)
  run.claimExtractions(changed)
}

/** The entry's segments, every category; null when the API failed and nothing was cached (logged). */
async function segmentsOf(run: JobRun, video: Video): Promise<Segment[] | null> {
  const cached = video.sponsorblock_segments === null ? null : readCachedSegments(video.sponsorblock_segments)
  if (cached !== null && cacheIsFresh(video, run.playlist.indexed_at, new Date())) return cached
  try {
    const segments = await lookUp(run.ctx.config.sponsorblockUrl, video.source_id, run.ctx.urlGuard)
    await updateVideo(run.ctx.db, video.id, { sponsorblock_segments: cacheSegments(segments), sponsorblock_checked_at: now() })
    return segments
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    const then = cached === null ? 'the audio is extracted uncut' : 'the answer cached before is used'
    await log(run, 'warn', `SponsorBlock lookup failed (${reason}); ${then}: ${video.title}`)
    return cached
  }
}

/**
 * One request for the id's hash-prefix bucket. A 404 is SponsorBlock's "no segments in this
 * bucket". No redirect is followed: the API does not send any, and the base URL is the
 * operator's own (private addresses allowed, like NOTIFY_URL), so nothing else may be reached.
 */
export async function lookUp(base: string, videoId: string, guard: JobRun['ctx']['urlGuard'] = undefined): Promise<Segment[]> {
  const res = await guardedFetch(
    skipSegmentsUrl(base, videoId),
    { ...guard, allowPrivate: true },
    {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json', 'user-agent': 'yt-serve' },
      maxRedirects: 0,
    },
  )
  if (res.status === 404) {
    await res.body?.cancel()
    return []
  }
  if (res.status !== 200) {
    await res.body?.cancel()
    throw new Error(`HTTP ${res.status}`)
  }
  return parseSkipSegments(await boundedText(res, MAX_ANSWER_BYTES), videoId)
}

/** The body as text, refused past `max` bytes (counted as it streams: a lying Content-Length changes nothing). */
async function boundedText(res: Response, max: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      throw new Error(`the answer is larger than ${max} bytes`)
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}

async function log(run: JobRun, level: 'info' | 'warn', message: string): Promise<void> {
  await addEvent(run.ctx.db, run.id, level, message).catch(() => {})
}
