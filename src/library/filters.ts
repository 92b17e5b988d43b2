import { RE2JS } from 're2js'
import { formatDuration } from './units'

/** A playlist's download filters: duration bounds in seconds, case-insensitive title patterns, an oldest upload date. */
export interface DownloadFilters {
  min_duration: number | null
  max_duration: number | null
  title_include: string | null
  title_exclude: string | null
  /** YYYY-MM-DD */
  date_after: string | null
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

export const MAX_PATTERN_LENGTH = 200

/** What a title filter needs of a compiled pattern. */
export interface TitlePattern {
  test(title: string): boolean
}

/** Why RE2 refuses a construct JavaScript knows, in words; its own parser message follows. */
function unsupportedReason(source: string): string | null {
  if (/\\[1-9]|\\k</.test(source)) return 'back-references (\\1, \\k<name>) are not supported'
  if (/\(\?<?[=!]/.test(source)) return 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported'
  return null
}

/**
 * Compiles a stored pattern; throws with a message fit for the user. Patterns run on
 * RE2 (re2js, linear time): a backtracking engine lets one pattern like ^((.)+)+Z hold
 * the event loop for minutes on every index and sync.
 */
export function compilePattern(name: string, source: string): TitlePattern {
  if (source.length > MAX_PATTERN_LENGTH) throw new Error(`${name} is longer than ${MAX_PATTERN_LENGTH} characters`)
  try {
    return RE2JS.compile(source, RE2JS.CASE_INSENSITIVE)
  } catch (err) {
    const why = unsupportedReason(source)
    const detail = (err instanceof Error ? err.message : String(err)).replace(/^error parsing regexp: /, '')
    throw new Error(`${name} is not a valid regular expression: ${why ? `${why} (${detail})` : detail}`)
  }
}

/** Compiles the filters once; the result gives the reason to leave an entry out, or null to download it. Unknown durations and dates pass their bounds. */
export function skipFilter(f: DownloadFilters): (entry: { title: string; duration: number | null; upload_date?: string | null }) => string | null {
  const include = f.title_include ? compilePattern('title_include', f.title_include) : null
  const exclude = f.title_exclude ? compilePattern('title_exclude', f.title_exclude) : null
  return (entry) => {
    if (entry.duration !== null && f.min_duration !== null && entry.duration < f.min_duration) return `shorter than ${formatDuration(f.min_duration)}`
    if (entry.duration !== null && f.max_duration !== null && entry.duration > f.max_duration) return `longer than ${formatDuration(f.max_duration)}`
    if (include && !include.test(entry.title)) return `title does not match /${f.title_include}/`
    if (exclude?.test(entry.title)) return `title matches /${f.title_exclude}/`
    if (f.date_after && entry.upload_date && entry.upload_date < f.date_after) return `uploaded before ${f.date_after}`
    return null
  }
}

/** The length bounds alone: what is left to judge once a downloaded file's real length is known. */
export const lengthFilter = (f: Pick<DownloadFilters, 'min_duration' | 'max_duration'>) =>
  skipFilter({ min_duration: f.min_duration, max_duration: f.max_duration, title_include: null, title_exclude: null, date_after: null })
