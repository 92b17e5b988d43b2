/**
 * Reading the names of files someone else archived (an import): the id yt-dlp's default
 * template puts in them ("Title [id].ext"), the sidecar they share a stem with, and a
 * loose form of the title for the title fallback.
 */

const SIDECAR = '.info.json'

/** "Title [id].mp4" → "Title [id]"; "Title [id].info.json" → "Title [id]" with `sidecar`. */
export function splitName(name: string): { stem: string; sidecar: boolean } {
  if (name.toLowerCase().endsWith(SIDECAR)) return { stem: name.slice(0, -SIDECAR.length), sidecar: true }
  const dot = name.lastIndexOf('.')
  return { stem: dot > 0 ? name.slice(0, dot) : name, sidecar: false }
}

/** The id in yt-dlp's default name ("%(title)s [%(id)s]"), or null. */
export function idInName(stem: string): string | null {
  const m = /\[([^[\]\s/]{1,100})\]$/.exec(stem)
  return m ? m[1] : null
}

/** The title part of a stem: without the id yt-dlp appends or the "001 - " yt-serve puts first. */
export const titleInName = (stem: string) => stem.replace(/\s*\[[^[\]]*\]$/, '').replace(/^\d{1,6} - /, '')

/**
 * A title as the fallback compares it: letters and digits only, any case. NFKC turns
 * yt-dlp's full-width stand-ins for characters a name cannot hold (＂：？) back, and those
 * and ⧸ ⧹ are punctuation like the rest; so are the "_" our own names use.
 */
export function titleKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}
