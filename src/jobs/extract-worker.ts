import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AUDIO_FORMATS, type AudioFormat } from '../config'
import { findVideo, updateVideo } from '../db/videos'
import type { Video } from '../db/types'
import { audioDir, resolveInside } from '../library/paths'
import { buildExtractArgs, buildProbeArgs, canStreamCopy, parseFfmpegProgress, parseProbe, percentOf } from '../tools/ffmpeg'
import { readLines } from '../tools/lines'
import { runTool, spawnTool } from '../tools/spawn'
import { audioBaseName, recordExtracted, recordExtractFailed } from './item-results'
import type { JobRun } from './job-run'
import { fetchCover } from './cover'

export const AUDIO_EXT: Record<AudioFormat, string> = { mp3: 'mp3', m4a: 'm4a', opus: 'opus', flac: 'flac' }

export function formatFor(run: JobRun): AudioFormat {
  const f = run.playlist.audio_format
  return f && (AUDIO_FORMATS as readonly string[]).includes(f) ? (f as AudioFormat) : run.ctx.config.audioFormat
}

/** Temporary outputs are dot-files ending in .part: never listed, never taken for done, swept at start. */
export const tempAudioName = (base: string, ext: string) => `.${base}.${ext}.part`

/**
 * Extracts one video's audio with ffmpeg into a temporary file, renamed on success.
 * Returns false when the job was cancelled mid-way (the item goes back to pending).
 */
export async function extractOne(run: JobRun, videoId: number): Promise<boolean> {
  const { config, db } = run.ctx
  const video = await findVideo(db, videoId)
  if (!video) return true
  const fail = (msg: string) => recordExtractFailed(run, video, msg).then(() => true)
  const input = video.video_path ? resolveInside(config.dataDir, video.video_path) : null
  if (!input) return fail('the downloaded video file is missing')
  await updateVideo(db, video.id, { extract_state: 'extracting' })
  run.setItem({ video_id: video.id, title: video.title, phase: 'extract', percent: 0 })

  const probe = await runTool(buildProbeArgs(config.ffprobePath, input), { timeoutMs: 60_000 })
  let probed: ReturnType<typeof parseProbe>
  try {
    if (probe.code !== 0) throw new Error(lastLine(probe.stderr) || `ffprobe exited with ${probe.code}`)
    probed = parseProbe(probe.stdout)
    if (!probed.audioCodec) throw new Error('the video has no audio stream')
  } catch (err) {
    return fail(`cannot read the video: ${err instanceof Error ? err.message : err}`)
  }

  const format = formatFor(run)
  const ext = AUDIO_EXT[format]
  const dir = audioDir(config.dataDir, run.playlist.folder)
  await mkdir(dir, { recursive: true })
  const base = audioBaseName(video.video_path!)
  const tmp = join(dir, tempAudioName(base, ext))
  const final = join(dir, `${base}.${ext}`)
  const cover = await fetchCover(run, video)
  const args = buildExtractArgs(config.ffmpegPath, {
    input,
    output: tmp,
    format,
    quality: run.playlist.audio_quality ?? config.audioQuality,
    copy: canStreamCopy(format, probed.audioCodec),
    tags: tagsFor(run, video),
    cover,
  })
  const proc = spawnTool(args)
  run.procs.add(proc)
  const stderr: string[] = []
  const readErr = (async () => {
    for await (const l of readLines(proc.stderr)) {
      stderr.push(l)
      if (stderr.length > 20) stderr.shift()
    }
  })()
  for await (const line of readLines(proc.stdout)) {
    const p = parseFfmpegProgress(line)
    if (p?.outSeconds !== undefined)
      run.setItem({ video_id: video.id, title: video.title, phase: 'extract', percent: percentOf(p.outSeconds, probed.duration ?? video.duration) })
  }
  const code = await proc.exited
  await readErr
  run.procs.delete(proc)
  if (run.cancelled) {
    await rm(tmp, { force: true })
    await updateVideo(db, video.id, { extract_state: 'pending' })
    run.clearItem(video.id, 'extract')
    return false
  }
  const size = await stat(tmp).then((s) => s.size, () => 0)
  if (code !== 0 || size === 0) {
    await rm(tmp, { force: true })
    return fail(`ffmpeg failed: ${lastLine(stderr.join('\n')) || `exit code ${code}`}`)
  }
  try {
    await rename(tmp, final)
  } catch (err) {
    await rm(tmp, { force: true })
    return fail(`could not store the audio file: ${err instanceof Error ? err.message : err}`)
  }
  await recordExtracted(run, video, final)
  return true
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
