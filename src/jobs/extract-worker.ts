import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AUDIO_FORMATS, type AudioFormat } from '../config'
import { findVideo, updateVideo } from '../db/videos'
import type { Playlist, Video } from '../db/types'
import { lengthFilter } from '../library/filters'
import { playlistCounts } from '../db/playlists'
import { audioTarget, isShowLayout, layoutOf, numberWidth, stemOf, type FileTarget } from '../library/layout'
import { relativeTo, resolveInside, mediaRoot } from '../library/paths'
import {
  buildExtractArgs,
  buildProbeArgs,
  canStreamCopy,
  imageMime,
  opusCoverMetadata,
  parseFfmpegProgress,
  parseProbe,
  percentOf,
  type ExtractArgsOptions,
  type ProbeResult,
} from '../tools/ffmpeg'
import { readLines } from '../tools/lines'
import type { ChapterSpan } from '../tools/chapters'
import { runTool, spawnTool, ToolMissingError } from '../tools/spawn'
import { watchdog } from '../tools/watchdog'
import { freeName, recordExtracted, recordExtractFailed, recordExtractSkipped } from './item-results'
import type { JobRun } from './job-run'
import { coverFor } from './cover'
import { readChapterSpans, splitChapters } from './chapter-split'
import { mediaExtrasOf } from '../playlists/media-extras'
import { addEvent } from '../db/events'
import type { CutPlan } from '../tools/sponsorblock-cut'
import { cutVideoIfAsked, editFiles, sponsorblockEdit } from './sponsorblock'
import { audioIsValid, deleteVideoIfAsked } from './video-deletion'

export const AUDIO_EXT: Record<AudioFormat, string> = { mp3: 'mp3', m4a: 'm4a', opus: 'opus', flac: 'flac' }

/** A playlist's own audio format, else the server's AUDIO_FORMAT. */
export function audioFormatOf(playlist: Pick<Playlist, 'audio_format'>, serverDefault: AudioFormat): AudioFormat {
  const f = playlist.audio_format
  return f && (AUDIO_FORMATS as readonly string[]).includes(f) ? (f as AudioFormat) : serverDefault
}

export function formatFor(run: JobRun): AudioFormat {
  return audioFormatOf(run.playlist, run.ctx.config.audioFormat)
}

/** Temporary outputs are dot-files ending in .part: never listed, never taken for done, swept at start. */
export const tempAudioName = (base: string, ext: string) => `.${base}.${ext}.part`

/** An item-level failure with a message meant for the user. */
class ItemFailure extends Error {}

/** The item is left out of extraction by the playlist's length filter; the message is the reason. */
class ItemSkipped extends Error {}

/**
 * Extracts one video's audio with ffmpeg into a temporary file, renamed on success.
 * Returns false when the job was cancelled mid-way (the item goes back to pending).
 * A missing ffmpeg/ffprobe propagates (the phase cannot run); anything else fails only this item.
 */
export async function extractOne(run: JobRun, videoId: number): Promise<boolean> {
  const { db } = run.ctx
  const video = await findVideo(db, videoId)
  if (!video) return true
  let tmp: string | null = null
  try {
    await updateVideo(db, video.id, { extract_state: 'extracting' })
    run.setItem({ video_id: video.id, title: video.title, phase: 'extract', percent: 0 })
    const result = await runExtraction(run, video, (p) => (tmp = p))
    if (result === null) {
      await updateVideo(db, video.id, { extract_state: 'pending' })
      run.clearItem(video.id, 'extract')
      return false
    }
    const out = result.path
    await replaceOldAudio(run, video, out, () => recordExtracted(run, video, out, result.audioDuration))
    await cutVideoIfAsked(run, video, result.cut)
    await deleteVideoIfAsked(run, video, out)
    return true
  } catch (err) {
    if (tmp) await rm(tmp, { force: true })
    if (err instanceof ItemSkipped) {
      await recordExtractSkipped(run, video, err.message)
      return true
    }
    if (err instanceof ToolMissingError) {
      await updateVideo(db, video.id, { extract_state: 'pending' })
      run.clearItem(video.id, 'extract')
      throw err
    }
    const message = err instanceof ItemFailure ? err.message : `could not write the audio file: ${err instanceof Error ? err.message : err}`
    await recordExtractFailed(run, video, message)
    return true
  }
}

/**
 * Re-extraction (the playlist's format changed, see claimReextractions): the entry still
 * has its old audio file. It goes only once the new one reads back as valid audio, and
 * only after the row points at the new one: a crash between the two leaves an extra old
 * file on disk, never a row pointing at nothing. An invalid new file fails the item and
 * the old one stays. A first extraction (no old file, or the same name) just records.
 */
async function replaceOldAudio(run: JobRun, video: Video, out: string, record: () => Promise<void>): Promise<void> {
  const root = mediaRoot(run.ctx.config)
  // The same name was overwritten by the rename: there is nothing else to delete.
  if (!video.audio_path || video.audio_path === relativeTo(root, out)) return record()
  const old = resolveInside(root, video.audio_path)
  if (!old || old === (await realpath(out))) return record()
  if (!(await audioIsValid(run, out))) {
    await rm(out, { force: true })
    throw new ItemFailure('the new audio file did not read back as valid; the old one is kept')
  }
  await record()
  await rm(old, { force: true })
}

async function probeInput(run: JobRun, input: string): Promise<ProbeResult> {
  const probe = await runTool(buildProbeArgs(run.ctx.config.ffprobePath, input), { timeoutMs: 60_000 })
  // ffprobe prefixes its message with the input path, which says nothing to the user.
  const reason = lastLine(probe.stderr).split(`${input}: `).join('')
  if (probe.code !== 0) throw new ItemFailure(`cannot read the video: ${reason || `ffprobe exited with ${probe.code}`}`)
  const probed = parseProbe(probe.stdout)
  if (!probed.audioCodec) throw new ItemFailure('the video has no audio stream')
  return probed
}

/**
 * An entry whose index gave no length (an RSS item without itunes:duration, say) gets the
 * one ffprobe read, and only now can the playlist's length filter judge it: one out of
 * bounds is not extracted (ItemSkipped). Its video stays; the filters were about downloads,
 * and the download already happened. A length the index gave is kept (it was filtered on).
 */
async function learnDuration(run: JobRun, video: Video, probed: number | null): Promise<void> {
  if (video.duration !== null || probed === null) return
  video.duration = probed
  await updateVideo(run.ctx.db, video.id, { duration: probed })
  const reason = lengthFilter(run.playlist)({ title: video.title, duration: probed })
  if (reason) throw new ItemSkipped(reason)
}

/** Returns the final path and, when SponsorBlock cut it, the audio's length; null when cancelled. */
async function runExtraction(
  run: JobRun,
  video: Video,
  onTemp: (p: string) => void,
): Promise<{ path: string; audioDuration: number | null; cut: CutPlan | null } | null> {
  const { config } = run.ctx
  const input = video.video_path ? resolveInside(mediaRoot(config), video.video_path) : null
  if (!input) throw new ItemFailure('the downloaded video file is missing')
  const probed = await probeInput(run, input)
  await learnDuration(run, video, probed.duration)
  const format = formatFor(run)
  const ext = AUDIO_EXT[format]
  const entries = run.entryCount || (await playlistCounts(run.ctx.db, run.playlist.id)).entries
  const target = audioTarget(run.playlist, video, numberWidth(entries, video.position), stemOf(video.video_path!))
  const dir = join(mediaRoot(config), target.dir)
  await mkdir(dir, { recursive: true })
  const base = await audioStem(run, target, ext, video.audio_path)
  const tmp = join(dir, tempAudioName(base, ext))
  onTemp(tmp)
  const final = join(dir, `${base}.${ext}`)
  const cover = await coverFor(run, video)
  const opusCoverFile = format === 'opus' && cover ? await writeOpusCover(cover, join(dir, tempAudioName(base, 'ffmeta'))) : null
  const extras = mediaExtrasOf(run.playlist, config)
  const spans = extras.chapters || extras.split_chapters ? await readChapterSpans(run, input) : []
  const copy = canStreamCopy(format, probed.audioCodec)
  const edit = await editFiles(await sponsorblockEdit(run, video, input, probed.duration), {
    input,
    copy,
    duration: probed.duration,
    temp: (ext) => join(dir, tempAudioName(base, ext)),
  })
  try {
    const opts: ExtractArgsOptions = {
      input,
      output: tmp,
      format,
      quality: run.playlist.audio_quality ?? config.audioQuality,
      copy,
      tags: tagsFor(run, video),
      cover,
      opusCoverFile,
      chapters: extras.chapters ? spans : [],
      cut: edit.cut,
      chaptersFile: edit.chaptersFile,
    }
    const path = await encode(run, video, opts, { ...probed, duration: edit.audioDuration ?? probed.duration }, final)
    // One chapter is the whole file again: nothing to split. The parts are cut from the video
    // by its own chapter times, so SponsorBlock's cuts are not applied to them.
    if (path !== null && extras.split_chapters && spans.length > 1) await splitInto(run, video, { ...opts, cut: null, chaptersFile: null }, spans, path)
    return path === null ? null : { path, audioDuration: edit.audioDuration, cut: edit.plan }
  } finally {
    if (opusCoverFile) await rm(opusCoverFile, { force: true })
    await edit.cleanUp()
  }
}

/**
 * The audio's name. Plain: the video's own, already unique, so a re-extraction in the same
 * format overwrites it (as always). A music folder names by position and title, which two
 * entries may share: another entry's file is never overwritten.
 */
async function audioStem(run: JobRun, target: FileTarget, ext: string, current: string | null): Promise<string> {
  if (!isShowLayout(layoutOf(run.playlist)) || current === `${target.dir}/${target.stem}.${ext}`) return target.stem
  return freeName(join(mediaRoot(run.ctx.config), target.dir), target.stem, `.${ext}`)
}

/**
 * The chapter files are extras: the whole audio is there whatever happens to them, so a
 * failed split is a warning in the job log, not a failed item.
 */
async function splitInto(run: JobRun, video: Video, opts: ExtractArgsOptions, spans: ChapterSpan[], out: string): Promise<void> {
  try {
    const n = await splitChapters(run, video, opts, spans, out)
    if (n !== null) await addEvent(run.ctx.db, run.id, 'info', `split into ${n} chapter files: ${video.title}`)
  } catch (err) {
    await addEvent(run.ctx.db, run.id, 'warn', `chapters not split: ${video.title}: ${err instanceof Error ? err.message : err}`)
  }
}

/** The cover as an ffmetadata file for Opus (JPEG or PNG only); null when there is none to give. */
async function writeOpusCover(cover: string, path: string): Promise<string | null> {
  try {
    const image = new Uint8Array(await readFile(cover))
    const mime = imageMime(image)
    if (!mime) return null
    await writeFile(path, opusCoverMetadata(image, mime))
    return path
  } catch {
    return null // a cover is never worth failing the item for
  }
}

/** Runs ffmpeg with live progress and a stall watchdog; the temporary output becomes `final` on success, null when cancelled. */
async function encode(run: JobRun, video: Video, opts: ExtractArgsOptions, probed: ProbeResult, final: string): Promise<string | null> {
  const { config } = run.ctx
  const { input, output: tmp } = opts
  const args = buildExtractArgs(config.ffmpegPath, opts)
  const proc = spawnTool(args)
  run.procs.add(proc)
  let stalled = false
  const dog = watchdog(config.stallTimeoutSeconds * 1000, () => {
    stalled = true
    proc.kill('SIGKILL')
  })
  const stderr: string[] = []
  const readErr = (async () => {
    for await (const l of readLines(proc.stderr, { carriageReturnBreaks: false })) {
      stderr.push(l)
      if (stderr.length > 20) stderr.shift()
    }
  })()
  for await (const line of readLines(proc.stdout)) {
    dog.touch()
    const p = parseFfmpegProgress(line)
    if (p?.outSeconds !== undefined)
      run.setItem({ video_id: video.id, title: video.title, phase: 'extract', percent: percentOf(p.outSeconds, probed.duration ?? video.duration) })
  }
  const code = await proc.exited
  await readErr
  dog.stop()
  run.procs.delete(proc)
  if (stalled) throw new ItemFailure(`ffmpeg showed no progress for ${config.stallTimeoutSeconds} s and was stopped`)
  if (run.cancelled) {
    await rm(tmp, { force: true })
    return null
  }
  const size = await stat(tmp).then(
    (s) => s.size,
    () => 0,
  )
  if (code !== 0 || size === 0) throw new ItemFailure(`ffmpeg failed: ${lastLine(stderr.join('\n')).split(`${input}: `).join('') || `exit code ${code}`}`)
  await rename(tmp, final)
  return final
}

function tagsFor(run: JobRun, v: Video) {
  return {
    title: v.title,
    artist: v.uploader ?? run.playlist.uploader,
    album: run.playlist.title,
    album_artist: run.playlist.uploader ?? v.uploader,
    track: v.position,
    date: v.upload_date,
  }
}

const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).at(-1)?.trim().slice(0, 500) ?? ''
