import type { Dirent } from 'node:fs'
import { lstat, readdir, readFile, realpath } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { splitName } from '../library/archive-names'
import { mediaKind } from '../library/media-types'

/** What a file in the folder is, by its name: media by extension, yt-dlp's metadata sidecar, or anything else. */
export type FoundKind = 'video' | 'audio' | 'sidecar' | 'other'

export interface FoundFile {
  /** Relative to the folder, "/"-separated: what the report shows. */
  rel: string
  full: string
  kind: FoundKind
  /** The name without its extension (or .info.json), with its folder: media and sidecar pair on it. */
  stem: string
  size: number
  mtimeMs: number
  /** Why it is refused before anything is read (a symbolic link); null for a regular file. */
  refused: string | null
}

export interface FolderScan {
  files: FoundFile[]
  /** The id each sidecar gives, by stem. */
  sidecarIds: Map<string, string>
  /** Files beyond the limit, not looked at. */
  notScanned: number
}

/** An archive of a few thousand entries holds a few files each; past this the scan stops and says so. */
const MAX_FILES = 20_000
const MAX_DEPTH = 8
/** yt-dlp's .info.json runs to a few hundred KB with every format listed. */
const MAX_SIDECAR_BYTES = 16 * 1024 * 1024

const inside = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)

async function linkRefusal(full: string, root: string): Promise<string> {
  const target = await realpath(full).catch(() => null)
  if (target === null) return 'a symbolic link to nothing: refused'
  return inside(target, root) ? 'a symbolic link: refused (import the file it points to instead)' : 'a symbolic link pointing outside the folder: refused'
}

/**
 * Lists the folder (`root`, already resolved) and its subfolders without following any
 * symbolic link, and reads the ids of the .info.json sidecars. Names and contents are the
 * folder owner's: nothing here trusts them beyond reading.
 */
export async function scanFolder(root: string): Promise<FolderScan> {
  const files: FoundFile[] = []
  const sidecarIds = new Map<string, string>()
  let notScanned = 0
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true }).catch(() => [])
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const d of entries) {
      const full = join(dir, d.name)
      if (d.isDirectory()) {
        // Read only if it is still a folder of its own, not a link put in its place since the listing.
        if (depth < MAX_DEPTH && (await realpath(full).catch(() => null)) === full) await walk(full, depth + 1)
        continue
      }
      if (files.length >= MAX_FILES) {
        notScanned++
        continue
      }
      const rel = relative(root, full).split(sep).join('/')
      const { stem, sidecar } = splitName(rel)
      const kind: FoundKind = sidecar ? 'sidecar' : (mediaKind(d.name) ?? 'other')
      const st = await lstat(full).catch(() => null)
      const base = { rel, full, kind, stem, size: st?.size ?? 0, mtimeMs: st?.mtimeMs ?? 0 }
      if (!st) files.push({ ...base, refused: 'cannot be read under this name' })
      else if (st.isSymbolicLink()) files.push({ ...base, refused: await linkRefusal(full, root) })
      else if (!st.isFile()) files.push({ ...base, refused: 'not a regular file' })
      else {
        files.push({ ...base, refused: null })
        if (sidecar && st.size <= MAX_SIDECAR_BYTES) {
          const id = await sidecarId(full)
          if (id) sidecarIds.set(stem, id)
        }
      }
    }
  }
  await walk(root, 0)
  return { files, sidecarIds, notScanned }
}

/** The `id` of a yt-dlp .info.json, or null when it has none that could be one. */
async function sidecarId(file: string): Promise<string | null> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { id?: unknown }
    return typeof data.id === 'string' && data.id.length > 0 && data.id.length <= 200 ? data.id : null
  } catch {
    return null
  }
}
