import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config'

/**
 * Playlist folders still in DATA_DIR although MEDIA_DIR is set and has no folder of that name:
 * media archived before MEDIA_DIR was set, not moved. Stored paths are relative to the media
 * root, so these files are simply not where the archive now looks; nothing may treat them as
 * lost (verify would send every entry back to download).
 */
export function strandedFolders(config: Pick<Config, 'dataDir' | 'mediaDir'>, folders: string[]): string[] {
  const { mediaDir, dataDir } = config
  if (!mediaDir) return []
  return folders.filter((f) => !existsSync(join(mediaDir, f)) && existsSync(join(dataDir, f)))
}

/** What to do about stranded folders, in one sentence. */
export function strandedAdvice(config: Pick<Config, 'dataDir' | 'mediaDir'>, folders: string[]): string {
  const named = folders
    .slice(0, 5)
    .map((f) => `"${f}"`)
    .join(', ')
  const more = folders.length > 5 ? ` and ${folders.length - 5} more` : ''
  return (
    `playlist folder(s) ${named}${more} are still in DATA_DIR (${config.dataDir}), but MEDIA_DIR is ${config.mediaDir}: ` +
    `stop yt-serve and move them there (mv "${config.dataDir}/FOLDER" "${config.mediaDir}/"), or unset MEDIA_DIR`
  )
}
