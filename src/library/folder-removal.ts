import { lstat, readdir, readlink, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { resolveInside } from './paths'

/** What deleting a playlist's folder actually did: the API reports this, not the request. */
export interface FolderRemoval {
  files_deleted: boolean
  folder: string
  /** Files and links removed (directories not counted), and the bytes of those files. */
  files_removed: number
  bytes_removed: number
  /** Why the folder is still there, when it is. */
  reason?: string
}

/** Regular files, links and other non-directories under `dir`, links not followed. */
async function tally(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0
  let bytes = 0
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      const sub = await tally(path)
      files += sub.files
      bytes += sub.bytes
    } else {
      files++
      if (entry.isFile())
        bytes += await lstat(path).then(
          (s) => s.size,
          () => 0,
        )
    }
  }
  return { files, bytes }
}

/**
 * Deletes `folder` (one level below `root`) with everything in it. A folder that is itself
 * a symbolic link is left alone, wherever it points: inside DATA_DIR it may be another
 * playlist's folder, outside it is not ours to delete. Links inside the folder are removed
 * as links; rm does not follow them.
 */
export async function removePlaylistFolder(root: string, folder: string): Promise<FolderRemoval> {
  const none = { files_deleted: false, folder, files_removed: 0, bytes_removed: 0 }
  const path = join(root, folder)
  const info = await lstat(path).catch(() => null)
  if (!info) return { ...none, reason: 'the folder does not exist' }
  if (info.isSymbolicLink()) {
    const target = await readlink(path).catch(() => '?')
    return { ...none, reason: `the folder is a symbolic link (to ${target}); yt-serve deletes nothing through a link` }
  }
  const real = resolveInside(root, folder)
  if (!real || real === resolveInside(root, '.')) return { ...none, reason: 'the folder is not inside DATA_DIR' }
  if (!info.isDirectory()) return { ...none, reason: 'the folder is not a directory' }
  const before = await tally(real)
  try {
    await rm(real, { recursive: true })
    return { files_deleted: true, folder, files_removed: before.files, bytes_removed: before.bytes }
  } catch (err) {
    // Part of it may be gone: count what is left to say how much.
    const after = await tally(real)
    return {
      files_deleted: false,
      folder,
      files_removed: before.files - after.files,
      bytes_removed: before.bytes - after.bytes,
      reason: `could not delete everything: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    }
  }
}
