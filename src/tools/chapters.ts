import type { AudioFormat } from '../config'

/**
 * Chapters in extracted audio: which ffmpeg arguments carry them into each format, and how
 * one file per chapter is cut. Pure; the extraction worker runs what these build.
 */

/** A chapter as ffprobe's `-show_chapters` gives it, in the file's own order. */
export interface ChapterSpan {
  /** Seconds from the start. */
  start: number
  /** Seconds from the start; after `start`. */
  end: number
  /** As the file has it (remote text: sanitize before using it in a name or a tag). */
  title: string
}

/**
 * ffprobe's `-show_chapters` JSON as spans, in the file's order (output chapter i is input
 * chapter i, so `-metadata:c:i` must line up with it: nothing is re-sorted or dropped here).
 * A chapter without a usable start or end makes the whole list unusable: none is returned.
 */
export function parseChapterSpans(json: string): ChapterSpan[] {
  const data = JSON.parse(json) as { chapters?: { start_time?: string; end_time?: string; tags?: { title?: string } }[] }
  const spans = (data.chapters ?? []).map((c, i) => ({
    start: Number(c.start_time),
    end: Number(c.end_time),
    title: c.tags?.title?.trim() || `Chapter ${i + 1}`,
  }))
  return spans.every((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.start >= 0 && s.end > s.start) ? spans : []
}

/** Control characters would break a tag (or an ffmetadata line): each becomes a space. */
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ')

/** 83.5 → "00:01:23.500", the Vorbis chapter time format (Hour:Min:DecimalSeconds). */
export function vorbisTime(seconds: number): string {
  const ms = Math.round(seconds * 1000)
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = (ms % 60_000) / 1000
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`
}

/**
 * The output arguments that carry `chapters` (read from input 0) into a file of `format`;
 * an empty list writes none, so a file never keeps chapters it was not asked to.
 *
 * - mp3 (ID3v2 CHAP + CTOC frames) and m4a (a QuickTime chapter track plus Nero `chpl`):
 *   ffmpeg's muxers write them from the mapped chapters. `-map_metadata -1` (the source's
 *   tags never leak through) also drops the chapters' titles, so each is set again.
 * - opus and flac: the Xiph convention, `CHAPTERxxx=HH:MM:SS.sss` and `CHAPTERxxxNAME`
 *   comments, written by us: ffmpeg 5.1's flac muxer writes no chapters at all, and its Ogg
 *   muxer writes wrong start times (a chapter at 1.5 s came out at 2.5 s) and no names.
 */
export function chapterArgs(format: AudioFormat, chapters: ChapterSpan[]): string[] {
  if (chapters.length === 0) return ['-map_chapters', '-1']
  if (format === 'mp3' || format === 'm4a') return ['-map_chapters', '0', ...chapters.flatMap((c, i) => [`-metadata:c:${i}`, `title=${clean(c.title)}`])]
  return [
    '-map_chapters',
    '-1',
    ...chapters.flatMap((c, i) => {
      const key = `CHAPTER${String(i + 1).padStart(3, '0')}`
      return ['-metadata', `${key}=${vorbisTime(c.start)}`, '-metadata', `${key}NAME=${clean(c.title)}`]
    }),
  ]
}

/** A part of the input to extract alone (one chapter), in seconds. */
export interface TimeRange {
  start: number
  end: number
}

const secs = (n: number) => n.toFixed(3)

/**
 * Before the input: seeking there first is fast (no decoding of what comes before) and, for
 * a re-encode, exact (ffmpeg drops the decoded samples before `start`).
 */
export const seekArgs = (range: TimeRange | null | undefined): string[] => (range ? ['-ss', secs(range.start)] : [])

/** On the output: how much to write from the seek point. */
export const lengthArgs = (range: TimeRange | null | undefined): string[] => (range ? ['-t', secs(range.end - range.start)] : [])

/** How wide the track numbers of an album of `total` chapters are ("07" of 12, "007" of 120). */
export const trackWidth = (total: number) => Math.max(2, String(total).length)

/** "03 - Chapter title" (already sanitized for a file name) for track `n` of `total`. */
export const chapterFileBase = (n: number, total: number, safeTitle: string) => `${String(n).padStart(trackWidth(total), '0')} - ${safeTitle}`
