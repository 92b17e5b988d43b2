import { createHash } from 'node:crypto'
import type { Segment } from '../tools/sponsorblock-cut'

/**
 * SponsorBlock's API, the pure parts: the privacy-preserving request (a hash prefix of the
 * id, never the id) and a strict reading of the answer, which is remote and untrusted.
 */

/** The categories whose segments are skipped (actionType "skip"); POI, chapter and full-video labels are not cuts. */
export const SPONSORBLOCK_CATEGORIES = ['sponsor', 'selfpromo', 'interaction', 'intro', 'outro', 'preview', 'music_offtopic', 'filler'] as const
export type SponsorblockCategory = (typeof SPONSORBLOCK_CATEGORIES)[number]

/** Hex characters of the id's SHA-256 sent: 65,536 buckets, each shared by many videos. */
export const HASH_PREFIX_LENGTH = 4
/** The biggest answer read; a bucket with every category is tens of KB. */
export const MAX_ANSWER_BYTES = 1024 * 1024
/** Videos in one answer and segments of one video, at most: more is not an answer, it is an attack. */
export const MAX_VIDEOS = 2000
export const MAX_SEGMENTS = 100
/** Nothing on YouTube is longer than this (seconds); a time past it is garbage. */
const MAX_SECONDS = 7 * 24 * 3600

/** "sponsor, selfpromo" → ["sponsor", "selfpromo"]: known names only, each once, at least one. */
export function parseCategories(raw: string): SponsorblockCategory[] {
  const names = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  const unknown = names.filter((n) => !(SPONSORBLOCK_CATEGORIES as readonly string[]).includes(n))
  if (unknown.length > 0) throw new Error(`has unknown categories (${unknown.join(', ')}); known: ${SPONSORBLOCK_CATEGORIES.join(', ')}`)
  if (names.length === 0) throw new Error(`must name at least one of ${SPONSORBLOCK_CATEGORIES.join(', ')}`)
  return [...new Set(names)] as SponsorblockCategory[]
}

export const hashPrefix = (videoId: string) => createHash('sha256').update(videoId).digest('hex').slice(0, HASH_PREFIX_LENGTH)

/**
 * GET <base>/api/skipSegments/<prefix>: every skip segment of every category, so a later
 * change of the playlist's categories needs no new request. The server learns a bucket of
 * ~videos/65,536, never which video.
 */
export function skipSegmentsUrl(base: string, videoId: string): string {
  const q = new URLSearchParams({ categories: JSON.stringify(SPONSORBLOCK_CATEGORIES), actionTypes: JSON.stringify(['skip']) })
  return `${base}/api/skipSegments/${hashPrefix(videoId)}?${q}`
}

/** A YouTube video id: 11 characters of [A-Za-z0-9_-]. SponsorBlock is asked about nothing else. */
export const isYoutubeId = (id: string) => /^[A-Za-z0-9_-]{11}$/.test(id)

export class SponsorblockAnswerError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The skip segments of `videoId` in a hash-prefix answer (a JSON array of
 * {videoID, segments: [{segment: [start, end], category, actionType}]}), the others'
 * ignored. Segments with times that are not finite numbers in [0, a week], an unknown
 * category or another action are dropped one by one; an answer that is not that shape at
 * all throws SponsorblockAnswerError.
 */
export function parseSkipSegments(body: string, videoId: string): Segment[] {
  let data: unknown
  try {
    data = JSON.parse(body)
  } catch {
    throw new SponsorblockAnswerError('the answer is not JSON')
  }
  if (!Array.isArray(data)) throw new SponsorblockAnswerError('the answer is not a list of videos')
  if (data.length > MAX_VIDEOS) throw new SponsorblockAnswerError(`the answer lists more than ${MAX_VIDEOS} videos`)
  const mine = data.find((v) => isObject(v) && v.videoID === videoId)
  if (!isObject(mine)) return []
  if (!Array.isArray(mine.segments)) throw new SponsorblockAnswerError('the video has no list of segments')
  const out: Segment[] = []
  for (const s of mine.segments.slice(0, MAX_SEGMENTS)) {
    if (!isObject(s) || !Array.isArray(s.segment) || s.segment.length !== 2) continue
    const [start, end] = s.segment
    if (typeof start !== 'number' || typeof end !== 'number') continue
    if (!(start >= 0 && end > start && end <= MAX_SECONDS)) continue
    if (typeof s.category !== 'string' || !(SPONSORBLOCK_CATEGORIES as readonly string[]).includes(s.category)) continue
    if (s.actionType !== undefined && s.actionType !== 'skip') continue
    out.push({ start, end, category: s.category })
  }
  return out
}

/** Segments as the cache holds them (JSON we wrote, still checked: a hand-edited row must not break an extraction). */
export function readCachedSegments(json: string): Segment[] {
  try {
    return parseSkipSegments(JSON.stringify([{ videoID: 'cached', segments: JSON.parse(json) }]), 'cached')
  } catch {
    return []
  }
}

export const cacheSegments = (segments: readonly Segment[]) =>
  JSON.stringify(segments.map((s) => ({ segment: [s.start, s.end], category: s.category, actionType: 'skip' })))
