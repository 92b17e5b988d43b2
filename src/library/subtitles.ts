import { readdir } from 'node:fs/promises'
import { basename, dirname, extname } from 'node:path'

export interface SubtitleFile {
  /** The language tag from the file name (`en`, `pt-BR`, `en-orig`). */
  lang: string
  /** Relative to DATA_DIR, like the video's own path. */
  path: string
}

/** A language tag as a file name part: no dots, no slashes (see subtitlesBeside). */
export const SUBTITLE_LANG = /^[A-Za-z0-9_-]{1,35}$/

/**
 * WebVTT files yt-dlp leaves beside a video (`<stem>.<lang>.vtt`), sorted by language.
 * Only names of that shape count, so another entry whose title starts with this one's
 * ("Song" and "Song.live") cannot lend it its subtitles: the lang part allows no dot.
 */
export async function subtitlesBeside(root: string, videoPath: string): Promise<SubtitleFile[]> {
  const dir = dirname(videoPath)
  const stem = basename(videoPath, extname(videoPath))
  let names: string[]
  try {
    names = await readdir(`${root}/${dir}`)
  } catch {
    return []
  }
  return names
    .filter((n) => n.startsWith(`${stem}.`) && n.endsWith('.vtt'))
    .map((n) => ({ lang: n.slice(stem.length + 1, -'.vtt'.length), path: `${dir}/${n}` }))
    .filter((s) => SUBTITLE_LANG.test(s.lang))
    .sort((a, b) => a.lang.localeCompare(b.lang))
}

/** A human name for a language tag ("English", "Portuguese (Brazil)"); the tag itself when unknown. */
export function languageName(lang: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }).of(lang.replace(/_/g, '-'))
    return name && name !== lang ? name : lang
  } catch {
    return lang
  }
}
