import { readdir } from 'node:fs/promises'
import { moveIntoPlace } from '../library/move'
import { basename, dirname, extname, join } from 'node:path'
import { SUBTITLE_LANG } from '../library/subtitles'

/** What yt-dlp may leave for a subtitle, after --convert-subs vtt (srt: one it could not convert). */
const SUBTITLE_EXTS = new Set(['.vtt', '.srt'])

/**
 * yt-dlp writes subtitles beside the staged video as `<id>.<lang>.<ext>`; they follow the
 * video to its final name, `<stem>.<lang>.<ext>`, where the player page finds them. The
 * language is the site's word (a page's srclang or label): only a plain tag is taken, so
 * none can lend a path its dots or slashes; others stay in .staging.
 */
export async function moveSubtitles(stagedVideo: string, finalVideo: string): Promise<string[]> {
  const stagedStem = basename(stagedVideo, extname(stagedVideo))
  const finalStem = join(dirname(finalVideo), basename(finalVideo, extname(finalVideo)))
  const names = await readdir(dirname(stagedVideo)).catch(() => [] as string[])
  const moved: string[] = []
  for (const name of names) {
    const ext = extname(name)
    if (!name.startsWith(`${stagedStem}.`) || !SUBTITLE_EXTS.has(ext)) continue
    const lang = name.slice(stagedStem.length + 1, -ext.length)
    if (!SUBTITLE_LANG.test(lang)) continue
    const target = `${finalStem}.${lang}${ext}`
    await moveIntoPlace(join(dirname(stagedVideo), name), target)
    moved.push(target)
  }
  return moved
}
