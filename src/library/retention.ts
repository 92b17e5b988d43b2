/** The retention a playlist runs with: its own settings over the server's defaults; 0 and null both mean off. */
export interface RetentionRules {
  keep_newest: number | null
  delete_videos_after_days: number | null
  keep_audio: boolean
}

/** An entry that holds a file retention could delete, as the database knows it. */
export interface PruneCandidate {
  id: number
  title: string
  position: number
  /** YYYY-MM-DD, or null when the source did not say. */
  upload_date: string | null
  /** ISO time the download finished; null: unknown (never aged out). */
  downloaded_at: string | null
  /** The video file, relative to DATA_DIR; null when there is none (deleted by "Audio only", or pruned). */
  video_path: string | null
  /** The extracted audio, relative to DATA_DIR; null when there is none. */
  audio_path: string | null
  /** Claimed by a job that is still active: its files may be in use, so it waits for a later prune. */
  in_use: boolean
}

/** One entry a prune takes, with the files it deletes and why. */
export interface PruneChoice {
  id: number
  title: string
  reason: string
  video_path: string | null
  audio_path: string | null
}

export const retentionIsOn = (r: RetentionRules) => (r.keep_newest ?? 0) > 0 || (r.delete_videos_after_days ?? 0) > 0

const DAY_MS = 86_400_000

/**
 * Newest first: by upload date (latest first; entries without one after those with one),
 * then by position (the source's own order: channels and feeds list their newest first),
 * then by id, so the order is total and a prune is the same every time.
 */
export function newestFirst(a: PruneCandidate, b: PruneCandidate): number {
  if (a.upload_date !== b.upload_date) {
    if (a.upload_date === null) return 1
    if (b.upload_date === null) return -1
    return a.upload_date < b.upload_date ? 1 : -1
  }
  return a.position - b.position || a.id - b.id
}

/**
 * Which entries a prune takes. Ranked are the entries holding a file this prune could
 * delete (the video; the audio too when it is not kept); the newest `keep_newest` of them
 * stay, and so does every one downloaded less than `delete_videos_after_days` ago. Entries
 * in use by an active job still count in the ranking but are never taken: a later prune
 * takes them. Pure, so the dry run and the prune cannot disagree.
 */
export function choosePrune(candidates: PruneCandidate[], rules: RetentionRules, nowMs: number): PruneChoice[] {
  if (!retentionIsOn(rules)) return []
  const holders = candidates.filter((c) => c.video_path !== null || (!rules.keep_audio && c.audio_path !== null)).sort(newestFirst)
  const keep = rules.keep_newest ?? 0
  const days = rules.delete_videos_after_days ?? 0
  const out: PruneChoice[] = []
  holders.forEach((c, rank) => {
    const reasons: string[] = []
    if (keep > 0 && rank >= keep) reasons.push(`not among the newest ${keep}`)
    if (days > 0 && c.downloaded_at !== null && nowMs - Date.parse(c.downloaded_at) > days * DAY_MS)
      reasons.push(`downloaded more than ${days} day${days === 1 ? '' : 's'} ago`)
    if (reasons.length === 0 || c.in_use) return
    out.push({
      id: c.id,
      title: c.title,
      reason: reasons.join('; '),
      video_path: c.video_path,
      audio_path: rules.keep_audio ? null : c.audio_path,
    })
  })
  return out
}
