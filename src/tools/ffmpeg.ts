import type { AudioFormat } from '../config'
import { type ChapterSpan, chapterArgs, lengthArgs, seekArgs, type TimeRange } from './chapters'
import { cutFilterGraph, type Range } from './sponsorblock-cut'

export function buildProbeArgs(ffprobe: string, file: string): string[] {
  return [ffprobe, '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]
}

export interface ProbeResult {
  duration: number | null
  audioCodec: string | null
  hasVideo: boolean
}

export function parseProbe(json: string): ProbeResult {
  const data = JSON.parse(json) as {
    format?: { duration?: string }
    streams?: { codec_type?: string; codec_name?: string; duration?: string; disposition?: { attached_pic?: number } }[]
  }
  const streams = data.streams ?? []
  const audio = streams.find((s) => s.codec_type === 'audio')
  const d = Number(data.format?.duration ?? audio?.duration)
  return {
    duration: Number.isFinite(d) && d > 0 ? d : null,
    audioCodec: audio?.codec_name ?? null,
    hasVideo: streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic),
  }
}

/** The chapters yt-dlp (or the uploader) wrote into a file, for the player page's chapter list. */
export function buildChaptersArgs(ffprobe: string, file: string): string[] {
  return [ffprobe, '-v', 'error', '-print_format', 'json', '-show_chapters', file]
}

export interface Chapter {
  /** Seconds from the start. */
  start: number
  title: string
}

/** ffprobe's `-show_chapters` JSON as start times and titles, in order; untitled ones get a number. */
export function parseChapters(json: string): Chapter[] {
  const data = JSON.parse(json) as { chapters?: { start_time?: string; tags?: { title?: string } }[] }
  return (data.chapters ?? [])
    .map((c, i) => ({ start: Number(c.start_time), title: c.tags?.title?.trim() || `Chapter ${i + 1}` }))
    .filter((c) => Number.isFinite(c.start) && c.start >= 0)
    .sort((a, b) => a.start - b.start)
}

/** Source codecs a target container can hold as-is: copying is lossless and ~100× faster. */
const COPYABLE: Record<AudioFormat, string[]> = { mp3: ['mp3'], m4a: ['aac', 'alac'], opus: ['opus'], flac: ['flac'] }

export function canStreamCopy(format: AudioFormat, sourceCodec: string | null): boolean {
  return sourceCodec !== null && COPYABLE[format].includes(sourceCodec)
}

export const MUXER: Record<AudioFormat, string> = { mp3: 'mp3', m4a: 'ipod', opus: 'opus', flac: 'flac' }

export interface AudioTags {
  title: string
  artist: string | null
  album: string
  album_artist: string | null
  /** The position in the playlist, or "n/total" for one chapter's file. */
  track: number | string
  date: string | null
}

export interface ExtractArgsOptions {
  input: string
  output: string
  format: AudioFormat
  /** 0 (best) … 9, LAME's VBR scale; mapped to bitrates for lossy re-encodes. */
  quality: number
  copy: boolean
  tags: AudioTags
  /** An image to embed as front cover (mp3, m4a, flac: an attached picture). */
  cover: string | null
  /**
   * Ogg/Opus has no attached pictures in ffmpeg's muxer: its cover travels as a
   * METADATA_BLOCK_PICTURE comment, read from this ffmetadata file (opusCoverMetadata).
   */
  opusCoverFile?: string | null
  /** Chapters of the input to write into the output (see chapterArgs); none when absent or empty. */
  chapters?: ChapterSpan[]
  /** Only this part of the input (one chapter of a split); the whole input when absent. */
  range?: TimeRange | null
  /**
   * Time ranges of the input to keep, the rest cut out (SponsorBlock). Re-encoding trims them
   * in the filter graph; a stream copy reads them through the concat demuxer from
   * `concatFile` (concatList), which must then be given.
   */
  cut?: { kept: Range[]; concatFile: string | null } | null
  /** An ffmetadata file whose chapters the output gets (chaptersMetadata); none: a cut output gets none. */
  chaptersFile?: string | null
}

/** A FLAC picture block (type 3, front cover), the payload of METADATA_BLOCK_PICTURE. */
export function flacPictureBlock(image: Uint8Array, mime: string): Uint8Array {
  const mimeBytes = new TextEncoder().encode(mime)
  const out = new Uint8Array(32 + mimeBytes.length + image.length)
  const view = new DataView(out.buffer)
  let at = 0
  const u32 = (n: number) => {
    view.setUint32(at, n)
    at += 4
  }
  u32(3)
  u32(mimeBytes.length)
  out.set(mimeBytes, at)
  at += mimeBytes.length
  u32(0) // description length
  for (let i = 0; i < 4; i++) u32(0) // width, height, depth, colours: unknown, which readers accept
  u32(image.length)
  out.set(image, at)
  return out
}

/** An ffmetadata file holding the cover as a Vorbis comment; `=;#\` and newlines are escaped as the format asks. */
export function opusCoverMetadata(image: Uint8Array, mime: string): string {
  const b64 = Buffer.from(flacPictureBlock(image, mime)).toString('base64')
  return `;FFMETADATA1\nMETADATA_BLOCK_PICTURE=${b64.replace(/[=;#\\\n]/g, (c) => `\\${c}`)}\n`
}

/** The MIME type of a JPEG or PNG by its first bytes; null for anything else. */
export function imageMime(b: Uint8Array): string | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png'
  return null
}

const bitrate = (quality: number) => `${Math.max(64, 256 - quality * 20)}k`

function codecArgs(o: ExtractArgsOptions): string[] {
  if (o.copy) return ['-c:a', 'copy']
  switch (o.format) {
    case 'mp3':
      return ['-c:a', 'libmp3lame', '-q:a', String(o.quality)]
    case 'm4a':
      return ['-c:a', 'aac', '-b:a', bitrate(o.quality)]
    case 'opus':
      return ['-c:a', 'libopus', '-b:a', bitrate(o.quality + 2)]
    case 'flac':
      return ['-c:a', 'flac']
  }
}

function tagArgs(t: AudioTags): string[] {
  const pairs: [string, string | null][] = [
    ['title', t.title],
    ['artist', t.artist],
    ['album', t.album],
    ['album_artist', t.album_artist],
    ['track', String(t.track)],
    ['date', t.date],
  ]
  // Each "key=value" is its own argv element: remote text can't break out of it.
  return pairs.filter(([, v]) => v !== null && v !== '').flatMap(([k, v]) => ['-metadata', `${k}=${v!.replace(/[\u0000-\u001f]/g, ' ')}`])
}

/** Paths are absolute and made by us, so none can start with "-". */
export function buildExtractArgs(ffmpeg: string, o: ExtractArgsOptions): string[] {
  const cover = o.cover && o.format !== 'opus' ? o.cover : null
  const opusCover = o.format === 'opus' ? (o.opusCoverFile ?? null) : null
  const concat = o.cut && o.copy ? o.cut.concatFile : null
  if (o.cut && o.copy && !concat) throw new Error('a stream copy with cuts needs its concat list')
  // -safe 0: the list names an absolute path, which the demuxer refuses by default.
  const input = concat ? ['-f', 'concat', '-safe', '0', '-i', concat] : [...seekArgs(o.range), '-i', o.input]
  const args = [ffmpeg, '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y', ...input]
  if (cover) args.push('-i', cover)
  if (opusCover) args.push('-f', 'ffmetadata', '-i', opusCover)
  const chaptersInput = o.chaptersFile ? 1 + (cover ? 1 : 0) + (opusCover ? 1 : 0) : -1
  if (o.chaptersFile) args.push('-f', 'ffmetadata', '-i', o.chaptersFile)
  if (o.cut && !o.copy) args.push('-filter_complex', cutFilterGraph(o.cut.kept), '-map', '[cut]')
  else args.push('-map', '0:a:0')
  // JPEG covers are copied as they are; anything else (webp, png) becomes JPEG.
  if (cover)
    args.push('-map', '1:v:0', '-c:v', cover.endsWith('.jpg') ? 'copy' : 'mjpeg', '-disposition:v:0', 'attached_pic', '-metadata:s:v', 'comment=Cover (front)')
  // The source's own tags never leak through; only ours (and the Opus cover comment) are written.
  const globalFrom = opusCover ? '1' : '-1'
  args.push(...codecArgs(o), ...lengthArgs(o.range))
  // A bare -map_metadata also drops the titles of the chapters mapped below; global and stream
  // metadata alone, then.
  if (o.chaptersFile) args.push('-map_metadata:g', globalFrom, '-map_metadata:s', '-1', '-map_chapters', String(chaptersInput))
  else args.push('-map_metadata', globalFrom)
  args.push(...tagArgs(o.tags))
  // Without a chapters file (SponsorBlock's, shifted past its cuts), the playlist's chapter
  // choice; a cut output gets none, since the source's would point past the cuts.
  if (!o.chaptersFile) args.push(...chapterArgs(o.format, o.cut ? [] : (o.chapters ?? [])))
  if (o.format === 'mp3') args.push('-id3v2_version', '3')
  args.push('-progress', 'pipe:1', '-f', MUXER[o.format], o.output)
  return args
}

/** Reads ffmpeg's `-progress` key=value stream; returns seconds of output written so far. */
export function parseFfmpegProgress(line: string): { outSeconds?: number; end?: boolean } | null {
  const eq = line.indexOf('=')
  if (eq < 0) return null
  const key = line.slice(0, eq)
  const value = line.slice(eq + 1).trim()
  if (key === 'out_time_us' || key === 'out_time_ms') {
    // ffmpeg names both in microseconds (out_time_ms is a historical misnomer).
    const us = Number(value)
    return Number.isFinite(us) && us >= 0 ? { outSeconds: us / 1e6 } : null
  }
  if (key === 'progress') return { end: value === 'end' }
  return null
}

export function percentOf(outSeconds: number, duration: number | null): number | null {
  if (!duration || duration <= 0) return null
  return Math.max(0, Math.min(100, Math.round((outSeconds / duration) * 1000) / 10))
}
