import { formatDuration } from './units'

/** A playlist's download filters: duration bounds in seconds, case-insensitive title patterns. */
export interface DownloadFilters {
  min_duration: number | null
  max_duration: number | null
  title_include: string | null
  title_exclude: string | null
}

export const MAX_PATTERN_LENGTH = 200

/** Compiles a stored pattern; throws with a message fit for the user. */
export function compilePattern(name: string, source: string): RegExp {
  if (source.length > MAX_PATTERN_LENGTH) throw new Error(`${name} is longer than ${MAX_PATTERN_LENGTH} characters`)
  try {
    return new RegExp(source, 'iu')
  } catch (err) {
    throw new Error(`${name} is not a valid regular expression: ${err instanceof Error ? err.message : err}`)
  }
}

/** Compiles the filters once; the result gives the reason to leave an entry out, or null to download it. Unknown durations pass duration bounds. */
export function skipFilter(f: DownloadFilters): (entry: { title: string; duration: number | null }) => string | null {
  const include = f.title_include ? compilePattern('title_include', f.title_include) : null
  const exclude = f.title_exclude ? compilePattern('title_exclude', f.title_exclude) : null
  return (entry) => {
    if (entry.duration !== null && f.min_duration !== null && entry.duration < f.min_duration) return `shorter than ${formatDuration(f.min_duration)}`
    if (entry.duration !== null && f.max_duration !== null && entry.duration > f.max_duration) return `longer than ${formatDuration(f.max_duration)}`
    if (include && !include.test(entry.title)) return `title does not match /${f.title_include}/`
    if (exclude && exclude.test(entry.title)) return `title matches /${f.title_exclude}/`
    return null
  }
}
