/**
 * Cutting SponsorBlock segments out of the audio, as pure functions: which time ranges go,
 * which stay, where chapters land afterwards, and the ffmpeg pieces that do it inside the
 * one extraction ffmpeg (no second pass over the file).
 */

/** A part of the video its viewers marked, in seconds from the start. */
export interface Segment {
  start: number
  end: number
  category: string
}

/** A half-open time range [start, end) in seconds. */
export interface Range {
  start: number
  end: number
}

export interface Chapter {
  start: number
  title: string
}

/** Shorter than this, a cut or a kept piece is noise (a few audio frames): it is dropped. */
export const MIN_RANGE_SECONDS = 0.05

const round = (n: number) => Math.round(n * 1000) / 1000

/**
 * The ranges to remove: each segment clamped to [0, duration], the empty and the invalid
 * (NaN, end before start) dropped, overlapping or touching ones merged, in order. A segment
 * that reaches past the end is cut at it; one that starts after it is gone.
 */
export function mergeSegments(segments: readonly Range[], duration: number): Range[] {
  if (!(duration > 0)) return []
  const clamped = segments
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end))
    .map((s) => ({ start: Math.max(0, s.start), end: Math.min(duration, s.end) }))
    .filter((s) => s.end - s.start >= MIN_RANGE_SECONDS)
    .sort((a, b) => a.start - b.start)
  const out: Range[] = []
  for (const s of clamped) {
    const last = out.at(-1)
    if (last && s.start <= last.end + MIN_RANGE_SECONDS) last.end = Math.max(last.end, s.end)
    else out.push({ ...s })
  }
  return out.map((r) => ({ start: round(r.start), end: round(r.end) }))
}

/** What stays once `cuts` (merged, in order) are removed from [0, duration]; slivers between cuts go too. */
export function keptRanges(cuts: readonly Range[], duration: number): Range[] {
  const out: Range[] = []
  let at = 0
  for (const c of cuts) {
    if (c.start - at >= MIN_RANGE_SECONDS) out.push({ start: at, end: c.start })
    at = Math.max(at, c.end)
  }
  if (duration - at >= MIN_RANGE_SECONDS) out.push({ start: at, end: duration })
  return out.map((r) => ({ start: round(r.start), end: round(r.end) }))
}

export const totalLength = (ranges: readonly Range[]) => round(ranges.reduce((sum, r) => sum + (r.end - r.start), 0))

/** Where a time of the source lands in the cut audio: a time inside a cut moves to where the cut was. */
export function shiftTime(t: number, kept: readonly Range[]): number {
  let out = 0
  for (const k of kept) {
    if (t <= k.start) break
    out += Math.min(t, k.end) - k.start
  }
  return round(out)
}

/**
 * The source's chapters in the cut audio: times shifted, a chapter that lay wholly inside
 * a cut gone (a later one starting at the same time wins), and a first chapter at 0 kept.
 */
export function shiftChapters(chapters: readonly Chapter[], kept: readonly Range[]): Chapter[] {
  const length = totalLength(kept)
  const byStart = new Map<number, Chapter>()
  for (const c of [...chapters].sort((a, b) => a.start - b.start)) {
    const start = shiftTime(c.start, kept)
    if (start >= length) continue
    byStart.set(start, { start, title: c.title })
  }
  return [...byStart.values()]
}

/** SponsorBlock's category names, as its own extension shows them: the chapter titles of `mark`. */
export const CATEGORY_TITLES: Record<string, string> = {
  sponsor: 'Sponsor',
  selfpromo: 'Unpaid/Self Promotion',
  interaction: 'Interaction Reminder',
  intro: 'Intermission/Intro Animation',
  outro: 'Endcards/Credits',
  preview: 'Preview/Recap',
  music_offtopic: 'Non-Music Section',
  filler: 'Filler Tangent',
}

export const categoryTitle = (category: string) => CATEGORY_TITLES[category] ?? category

/**
 * `mark`: each segment becomes a chapter named by its category; the stretches between them
 * are chapters named `title` (the entry's), so a player's list reads as the whole file.
 * Overlaps go to the segment that starts first.
 */
export function markChapters(segments: readonly Segment[], duration: number, title: string): Chapter[] {
  const parts = segments
    .map((s) => ({ ...s, ...(mergeSegments([s], duration)[0] ?? { start: Number.NaN, end: Number.NaN }) }))
    .filter((s) => Number.isFinite(s.start))
    .sort((a, b) => a.start - b.start)
  const out: Chapter[] = []
  let at = 0
  for (const s of parts) {
    if (s.end <= at) continue
    const start = Math.max(s.start, at)
    if (start - at >= MIN_RANGE_SECONDS) out.push({ start: round(at), title })
    out.push({ start: round(start), title: categoryTitle(s.category) })
    at = s.end
  }
  if (duration - at >= MIN_RANGE_SECONDS) out.push({ start: round(at), title })
  return out.length > 1 ? out : []
}

/** ffmetadata's special characters in values: `=;#\` and newlines, escaped with a backslash. */
const escapeMeta = (s: string) => s.replace(/[\u0000-\u0009\u000b-\u001f]/g, ' ').replace(/[=;#\\\n]/g, (c) => `\\${c}`)

/** An ffmetadata file holding `chapters` (millisecond timebase); each ends where the next starts, the last at `duration`. */
export function chaptersMetadata(chapters: readonly Chapter[], duration: number): string {
  const ms = (s: number) => Math.round(s * 1000)
  const lines = [';FFMETADATA1']
  chapters.forEach((c, i) => {
    const end = i + 1 < chapters.length ? chapters[i + 1].start : duration
    if (end <= c.start) return
    lines.push('[CHAPTER]', 'TIMEBASE=1/1000', `START=${ms(c.start)}`, `END=${ms(end)}`, `title=${escapeMeta(c.title)}`)
  })
  return `${lines.join('\n')}\n`
}

/**
 * Re-encoding: the kept ranges of the first audio stream, trimmed sample-exactly and joined,
 * as one -filter_complex graph whose output is [cut]. Numbers only: nothing remote reaches it.
 */
export function cutFilterGraph(kept: readonly Range[]): string {
  const trim = (r: Range) => `atrim=start=${r.start}:end=${r.end},asetpts=PTS-STARTPTS`
  if (kept.length === 1) return `[0:a:0]${trim(kept[0])}[cut]`
  const split = `[0:a:0]asplit=${kept.length}${kept.map((_, i) => `[s${i}]`).join('')}`
  const parts = kept.map((r, i) => `[s${i}]${trim(r)}[k${i}]`)
  const join = `${kept.map((_, i) => `[k${i}]`).join('')}concat=n=${kept.length}:v=0:a=1[cut]`
  return [split, ...parts, join].join(';')
}

/**
 * Stream copy: the concat demuxer reads the kept ranges of the one input file in turn
 * (inpoint/outpoint), so packets are copied, never decoded. Audio packets are all key
 * frames, so the cut lands within one packet (~20 ms) of the asked time. The path is
 * quoted as the format asks ('\'' for a quote); a line break would end the directive, so
 * such a path is refused.
 */
export function concatList(input: string, kept: readonly Range[], duration: number): string {
  if (/[\r\n]/.test(input)) throw new Error('a path with a line break cannot go into a concat list')
  const file = `file '${input.replace(/'/g, "'\\''")}'`
  const lines = ['ffconcat version 1.0']
  for (const r of kept) {
    lines.push(file, `inpoint ${r.start}`)
    // A piece that runs to the end reads to the end: the probed length can fall a packet short.
    if (r.end < duration - MIN_RANGE_SECONDS) lines.push(`outpoint ${r.end}`)
  }
  return `${lines.join('\n')}\n`
}

/** What the extraction does with SponsorBlock's answer: the ranges to keep, and how long the audio will be. */
export interface CutPlan {
  cuts: Range[]
  kept: Range[]
  /** Seconds of the source. */
  source: number
  /** Seconds of audio once cut. */
  duration: number
}

/** A plan for `segments` over a source of `duration`; null when nothing is left to cut (or nothing would be left). */
export function planCut(segments: readonly Range[], duration: number): CutPlan | null {
  const cuts = mergeSegments(segments, duration)
  if (cuts.length === 0) return null
  const kept = keptRanges(cuts, duration)
  if (kept.length === 0) return null
  return { cuts, kept, source: duration, duration: totalLength(kept) }
}

/** Video containers a cut video is written back in, by extension. */
export const VIDEO_MUXERS: Record<string, string> = { '.mp4': 'mp4', '.m4v': 'mp4', '.mov': 'mov', '.webm': 'webm', '.mkv': 'matroska' }

/**
 * sponsorblock_video, in one ffmpeg: the picture copied through the concat demuxer (no video
 * encode; it restarts at the key frame before each cut, the extra frames kept as pre-roll the
 * container hides, as yt-dlp's --sponsorblock-remove does without --force-keyframes-at-cuts),
 * and the audio cut sample-exactly by the same filter graph as the audio file's, re-encoded
 * (the demuxer's pre-roll would overlap in a copied audio track). Other streams and the
 * source's chapters, which would point past the cuts, are left out.
 */
export function buildVideoCutArgs(ffmpeg: string, o: { concatFile: string; input: string; kept: Range[]; output: string; muxer: string }): string[] {
  const audio = o.muxer === 'webm' ? ['-c:a', 'libopus', '-b:a', '160k'] : ['-c:a', 'aac', '-b:a', '192k']
  return [
    ffmpeg,
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    o.concatFile,
    '-i',
    o.input,
    '-filter_complex',
    cutFilterGraph(o.kept).replace('[0:a:0]', '[1:a:0]'),
    '-map',
    '0:v:0',
    '-map',
    '[cut]',
    '-c:v',
    'copy',
    ...audio,
    '-map_chapters',
    '-1',
    '-avoid_negative_ts',
    'make_zero',
    '-f',
    o.muxer,
    o.output,
  ]
}
