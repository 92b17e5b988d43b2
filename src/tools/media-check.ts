/**
 * Whether a file someone else made (an imported archive) is whole media of the kind its name
 * says: ffprobe reads the container, then ffmpeg reads every packet without decoding. A file
 * cut short keeps a readable header in streamable containers (WebM, Matroska, MP3), so only
 * the read-through notices ("File ended prematurely").
 */

/** Containers yt-dlp writes. Anything else (an HLS or concat playlist named .mp4, say) is refused before ffmpeg reads further. */
const PLAIN_CONTAINERS = ['mov', 'mp4', 'm4a', 'matroska', 'webm', 'mp3', 'ogg', 'flac', 'wav', 'aac']

/** Local files only: a crafted playlist must not make ffprobe or ffmpeg open a URL. */
const LOCAL_ONLY = ['-protocol_whitelist', 'file']

/** The file is an absolute path, so it cannot be taken for an option. */
export function buildCheckProbeArgs(ffprobe: string, file: string): string[] {
  return [ffprobe, '-v', 'error', ...LOCAL_ONLY, '-print_format', 'json', '-show_format', '-show_streams', file]
}

/** Every packet read and thrown away (stream copy into the null muxer): as fast as the disk. */
export function buildReadThroughArgs(ffmpeg: string, file: string): string[] {
  return [ffmpeg, '-hide_banner', '-nostdin', '-v', 'error', ...LOCAL_ONLY, '-i', file, '-map', '0', '-c', 'copy', '-f', 'null', '-']
}

export interface ToolOutcome {
  code: number
  stdout: string
  stderr: string
}

interface ProbeJson {
  format?: { format_name?: string; duration?: string }
  streams?: { codec_type?: string; disposition?: { attached_pic?: number } }[]
}

/** ffprobe's and ffmpeg's lines name the file first; the reader wants the complaint. */
const complaint = (stderr: string, file: string) =>
  (
    stderr
      .trim()
      .split('\n')
      .filter(Boolean)
      .at(-1)
      ?.replace(/^\[[^\]]*\]\s*/, '')
      .split(`${file}: `)
      .join('')
      .trim() ?? ''
  ).slice(0, 200)

/** Why the file is not whole media of `kind`, or null when it is. */
export function judgeMedia(kind: 'video' | 'audio', file: string, probe: ToolOutcome, readThrough: ToolOutcome | null): string | null {
  if (probe.code !== 0) return `not readable media: ${complaint(probe.stderr, file) || `ffprobe exited with ${probe.code}`}`
  let data: ProbeJson
  try {
    data = JSON.parse(probe.stdout) as ProbeJson
  } catch {
    return 'not readable media: ffprobe gave no answer'
  }
  const formats = (data.format?.format_name ?? '').split(',')
  if (!formats.some((f) => PLAIN_CONTAINERS.includes(f))) return `not a plain media file (${data.format?.format_name || 'unknown format'})`
  const streams = data.streams ?? []
  if (kind === 'video' && !streams.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)) return 'no video stream in this video file'
  if (!streams.some((s) => s.codec_type === 'audio')) return 'no audio stream'
  const duration = Number(data.format?.duration)
  if (!Number.isFinite(duration) || duration <= 0) return 'no length: the file looks empty or cut short'
  if (readThrough === null) return null
  if (readThrough.code !== 0 || readThrough.stderr.trim() !== '')
    return `damaged or cut short: ${complaint(readThrough.stderr, file) || `ffmpeg exited with ${readThrough.code}`}`
  return null
}
