import { realpathSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Config } from '../config'
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path'

/**
 * Resolves a stored relative path inside `root`, or null when it would leave it
 * (.., absolute paths, or a symlink pointing outside).
 */
export function resolveInside(root: string, rel: string): string | null {
  if (!rel || rel.includes('\0') || isAbsolute(rel)) return null
  const full = resolve(root, normalize(rel))
  const inside = (p: string, r: string) => p === r || p.startsWith(r.endsWith(sep) ? r : r + sep)
  if (!inside(full, resolve(root))) return null
  try {
    const real = realpathSync(full)
    if (!inside(real, realpathSync(root))) return null
    return real
  } catch {
    return null
  }
}

/**
 * A stored media path inside `root`, one folder down at least: media always sits in a
 * playlist folder, while the data dir's own files (the database, cookies.txt, the lock)
 * sit at its top and must never be served, whatever a row says.
 */
export function resolveMediaInside(root: string, rel: string): string | null {
  const full = resolveInside(root, rel)
  if (!full) return null
  return relative(realpathSync(root), full).includes(sep) ? full : null
}

/** Names the data dir uses for itself: a playlist titled "cookies.txt" must not get that folder. */
const RESERVED_NAMES = new Set(['cookies.txt', 'bin', 'yt-serve.db', 'yt-serve.db-wal', 'yt-serve.db-shm', 'yt-serve.pid'])
export const isReservedName = (name: string) => RESERVED_NAMES.has(name.toLowerCase()) || name.toLowerCase().startsWith('cookies.txt.')

export function relativeTo(root: string, full: string): string {
  return relative(root, full).split(sep).join('/')
}

/**
 * The folder every stored media path is relative to: MEDIA_DIR when set, else DATA_DIR.
 * Every media file (videos, audio, covers, NFOs, subtitles, chapter files) is found through it;
 * the data dir keeps the database, the lock, cookies, the managed yt-dlp and staging.
 */
export const mediaRoot = (config: Pick<Config, 'dataDir' | 'mediaDir'>): string => config.mediaDir ?? config.dataDir

export const playlistDir = (root: string, folder: string) => join(root, folder)
export const videosDir = (root: string, folder: string) => join(root, folder, 'videos')
export const audioDir = (root: string, folder: string) => join(root, folder, 'audio')
export const thumbnailsDir = (root: string, folder: string) => join(root, folder, 'thumbnails')
/**
 * Downloads in progress: the node's own STAGING_DIR when set (cluster mode); else beside the
 * playlist's files, or, with a MEDIA_DIR, in DATA_DIR/.staging (local, and no playlist folder
 * appears in the data dir).
 */
export function stagingDir(config: Pick<Config, 'dataDir' | 'mediaDir' | 'stagingDir'>, folder: string): string {
  if (config.stagingDir) return join(config.stagingDir, folder)
  return config.mediaDir ? join(config.dataDir, '.staging', folder) : join(config.dataDir, folder, '.staging')
}

/** Size of the regular file a stored relative path names inside `root`; 0 when it is missing, empty, not a file or outside. */
export async function storedFileSize(root: string, rel: string | null): Promise<number> {
  const full = rel ? resolveInside(root, rel) : null
  if (!full) return 0
  return stat(full).then(
    (s) => (s.isFile() ? s.size : 0),
    () => 0,
  )
}
