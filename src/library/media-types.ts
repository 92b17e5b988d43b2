import { extname } from 'node:path'

/** Content types by file extension, for serving and for podcast enclosures. */
const TYPES: Record<string, string> = {
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.opus': 'audio/ogg; codecs=opus',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.flac': 'audio/flac',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.mov': 'video/quicktime',
  '.jpg': 'image/jpeg',
  '.vtt': 'text/vtt; charset=utf-8',
}

export const mediaType = (path: string) => TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'

const VIDEO_EXTS = new Set(['.mp4', '.m4v', '.webm', '.mkv', '.mov'])
const AUDIO_EXTS = new Set(['.mp3', '.m4a', '.aac', '.opus', '.ogg', '.oga', '.flac', '.wav'])

/** Whether a file is a video or an audio file, by its extension alone; null for anything else. */
export function mediaKind(path: string): 'video' | 'audio' | null {
  const ext = extname(path).toLowerCase()
  return VIDEO_EXTS.has(ext) ? 'video' : AUDIO_EXTS.has(ext) ? 'audio' : null
}
