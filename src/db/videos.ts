import { sql } from 'kysely'
import type { DB } from './open'
import { readCachedSegments } from '../library/sponsorblock'
import type { ListedVideo, Video, VideoFilter, VideoUpdate } from './types'
import { now } from './time'
import { isPostgres } from './dialect'

export interface IndexDiff {
  added: number
  updated: number
  missing: number
  restored: number
}

/** The columns an index rewrites when upstream changed them. */
const TRACKED = [
  'position',
  'title',
  'uploader',
  'duration',
  'source_url',
  'thumbnail_url',
  'upload_date',
  'extractor',
  'smuggled_data',
  'description',
] as const satisfies (keyof Video)[]

/** One entry as the indexer found it upstream: the columns an index writes; smuggled_data and description may be left out (none). */
export type IndexedEntry = Pick<Video, Exclude<(typeof TRACKED)[number], 'smuggled_data' | 'description'> | 'source_id'> &
  Partial<Pick<Video, 'smuggled_data' | 'description'>>

/**
 * Brings the stored entries in line with a fresh index in one transaction. Rows are
 * never deleted: entries gone upstream get missing_since, so their files stay audited.
 * An unchanged playlist writes nothing.
 */
export async function applyIndex(db: DB, playlistId: number, entries: IndexedEntry[]): Promise<IndexDiff> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('videos')
      .select(['id', 'source_id', 'missing_since', ...TRACKED])
      .where('playlist_id', '=', playlistId)
      .execute()
    const bySource = new Map(existing.map((v) => [v.source_id, v]))
    const seen = new Set<string>()
    const t = now()
    const diff: IndexDiff = { added: 0, updated: 0, missing: 0, restored: 0 }
    const fresh: typeof entries = []
    for (const given of entries) {
      const e = { ...given, smuggled_data: given.smuggled_data ?? null, description: given.description ?? null }
      if (seen.has(e.source_id)) continue // a playlist may list one video twice; we keep one copy
      seen.add(e.source_id)
      const old = bySource.get(e.source_id)
      if (!old) {
        fresh.push(e)
        continue
      }
      const patch: VideoUpdate = {}
      for (const k of TRACKED) if (old[k] !== e[k] && e[k] !== null) (patch as Record<string, unknown>)[k] = e[k]
      if (old.missing_since !== null) {
        patch.missing_since = null
        diff.restored++
      }
      if (Object.keys(patch).length > 0) {
        await trx
          .updateTable('videos')
          .set({ ...patch, updated_at: t })
          .where('id', '=', old.id)
          .execute()
        diff.updated++
      }
    }
    // SQLite caps bound parameters per statement; 300 rows × 12 columns stays well under it.
    for (let i = 0; i < fresh.length; i += 300) {
      const rows = fresh.slice(i, i + 300).map((e) => ({ ...e, playlist_id: playlistId, created_at: t, updated_at: t }))
      await trx.insertInto('videos').values(rows).execute()
    }
    diff.added = fresh.length
    const gone = existing.filter((v) => !seen.has(v.source_id) && v.missing_since === null).map((v) => v.id)
    for (let i = 0; i < gone.length; i += 500) {
      await trx
        .updateTable('videos')
        .set({ missing_since: t, updated_at: t })
        .where('id', 'in', gone.slice(i, i + 500))
        .execute()
    }
    diff.missing = gone.length
    return diff
  })
}

export async function findVideo(db: DB, id: number): Promise<Video | undefined> {
  return db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findVideos(db: DB, ids: number[]): Promise<Video[]> {
  if (ids.length === 0) return []
  const out: Video[] = []
  for (let i = 0; i < ids.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('videos')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    )
  return out
}

export async function listVideos(
  db: DB,
  playlistId: number,
  opts: { offset?: number; limit?: number; filter?: VideoFilter; q?: string } = {},
): Promise<{ videos: ListedVideo[]; total: number }> {
  let q = db.selectFrom('videos').where('playlist_id', '=', playlistId)
  const words = opts.q?.trim()
  if (words) {
    // A literal substring of the title or uploader, whatever the case (SQLite's LIKE ignores ASCII case,
    // PostgreSQL's ILIKE does it); % and _ match themselves.
    const pattern = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const like = sql.raw(isPostgres(db) ? 'ilike' : 'like')
    q = q.where(sql<boolean>`(title ${like} ${pattern} escape '\\' or uploader ${like} ${pattern} escape '\\')`)
  }
  switch (opts.filter ?? 'all') {
    case 'failed':
      q = q.where((eb) => eb.or([eb.and([eb('download_state', '=', 'failed'), eb('skip_reason', 'is', null)]), eb('extract_state', '=', 'failed')]))
      break
    case 'skipped':
      q = q.where('skip_reason', 'is not', null).where('missing_since', 'is', null)
      break
    case 'missing':
      q = q.where('missing_since', 'is not', null)
      break
    case 'pending':
      q = q.where('download_state', 'not in', ['downloaded', 'pruned']).where('missing_since', 'is', null).where('skip_reason', 'is', null)
      break
    case 'extracted':
      q = q.where('extract_state', '=', 'extracted')
      break
    case 'pruned':
      q = q.where('download_state', '=', 'pruned')
      break
  }
  const [videos, total] = await Promise.all([
    q
      .selectAll()
      .orderBy('position')
      .orderBy('id')
      .offset(opts.offset ?? 0)
      .limit(opts.limit ?? 100)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    videos: videos.map(({ smuggled_data: _, sponsorblock_segments: segments, ...v }) => ({
      ...v,
      sponsorblock_segments: segments === null ? null : readCachedSegments(segments),
    })),
    total: total.n,
  }
}

export async function updateVideo(db: DB, id: number, patch: VideoUpdate): Promise<void> {
  await db
    .updateTable('videos')
    .set({ ...patch, updated_at: now() })
    .where('id', '=', id)
    .execute()
}

/** Counts over the whole playlist, for the seed's "25/100 total (75 remaining)". */
export async function downloadTotals(db: DB, playlistId: number): Promise<{ total: number; downloaded: number }> {
  const row = await db
    .selectFrom('videos')
    .select([sql<number>`count(*)`.as('total'), sql<number>`count(*) filter (where download_state = 'downloaded')`.as('downloaded')])
    .where('playlist_id', '=', playlistId)
    .where('missing_since', 'is', null)
    // Entries the filters leave out are not part of what there is to download.
    .where('skip_reason', 'is', null)
    // Nor are the ones retention pruned: none is fetched again unless restored.
    .where('download_state', '!=', 'pruned')
    .executeTakeFirstOrThrow()
  return row
}

/** Entries a download job may take: pending, still listed upstream, not left out by the filters. */
const waitingForDownload = (db: DB, playlistId: number) =>
  db
    .selectFrom('videos')
    .select('id')
    .where('playlist_id', '=', playlistId)
    .where('download_state', '=', 'pending')
    .where('missing_since', 'is', null)
    .where('skip_reason', 'is', null)

/** Records `jobId` as the download job of `ids` (in slices: SQLite caps bound parameters). */
async function assignDownloads(db: DB, ids: number[], jobId: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('videos')
      .set({ download_job_id: jobId })
      .where('id', 'in', ids.slice(i, i + 500))
      .execute()
}

/**
 * Claims up to `limit` videos that still need downloading for `jobId`, in playlist order.
 * Videos this job already claimed (a resumed job) come first.
 */
export async function claimDownloads(db: DB, playlistId: number, jobId: number, limit: number): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const mine = await trx
      .selectFrom('videos')
      .select('id')
      .where('playlist_id', '=', playlistId)
      .where('download_job_id', '=', jobId)
      .where('download_state', 'in', ['pending', 'downloading'])
      .orderBy('position')
      .execute()
    if (mine.length > 0) return mine.map((r) => r.id)
    const ids = (await waitingForDownload(trx, playlistId).orderBy('position').limit(limit).execute()).map((r) => r.id)
    await assignDownloads(trx, ids, jobId)
    return ids
  })
}

/**
 * Claims up to `limit` more pending videos for `jobId`, in playlist order, skipping the ones
 * it already holds: after a re-index, for a job that started on the stored index.
 */
export async function claimMoreDownloads(db: DB, playlistId: number, jobId: number, limit: number): Promise<number[]> {
  if (limit <= 0) return []
  return db.transaction().execute(async (trx) => {
    const rows = await waitingForDownload(trx, playlistId)
      .where((eb) => eb.or([eb('download_job_id', 'is', null), eb('download_job_id', '!=', jobId)]))
      .orderBy('position')
      .limit(limit)
      .execute()
    const ids = rows.map((r) => r.id)
    await assignDownloads(trx, ids, jobId)
    return ids
  })
}

/** Of `ids`, the ones the last index marked as gone upstream. */
export async function missingAmong(db: DB, ids: number[]): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('videos')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .where('missing_since', 'is not', null)
      .execute()
    out.push(...rows.map((r) => r.id))
  }
  return out
}

/** Downloaded videos without audio yet, and those this job already owns (a resumed job). */
export async function claimExtractions(db: DB, playlistId: number, jobId: number): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('videos')
      .select('id')
      .where('playlist_id', '=', playlistId)
      .where('download_state', '=', 'downloaded')
      // Left out by the length filter once its length was known (see learnDuration).
      .where('skip_reason', 'is', null)
      .where((eb) =>
        eb.or([eb('extract_state', '=', 'pending'), eb.and([eb('extract_job_id', '=', jobId), eb('extract_state', 'in', ['pending', 'extracting'])])]),
      )
      .orderBy('position')
      .execute()
    const ids = rows.map((r) => r.id)
    for (let i = 0; i < ids.length; i += 500)
      await trx
        .updateTable('videos')
        .set({ extract_job_id: jobId, extract_state: 'pending' })
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()
    return ids
  })
}

/** Whether the archive holds any file of the playlist: a downloaded video or an extracted audio. */
export async function holdsAnyFile(db: DB, playlistId: number): Promise<boolean> {
  const row = await db
    .selectFrom('videos')
    .select('id')
    .where('playlist_id', '=', playlistId)
    .where((eb) => eb.or([eb('download_state', '=', 'downloaded'), eb('extract_state', '=', 'extracted')]))
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** Whether any entry of the playlist has extracted audio: its jobs make audio, not just videos. */
export async function holdsAnyAudio(db: DB, playlistId: number): Promise<boolean> {
  const row = await db
    .selectFrom('videos')
    .select('id')
    .where('playlist_id', '=', playlistId)
    .where('extract_state', '=', 'extracted')
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** A job that ends abnormally hands its items in flight back, so a later job can take them. */
export async function releaseInFlight(db: DB, jobId: number): Promise<void> {
  await db.updateTable('videos').set({ download_state: 'pending' }).where('download_job_id', '=', jobId).where('download_state', '=', 'downloading').execute()
  await db.updateTable('videos').set({ extract_state: 'pending' }).where('extract_job_id', '=', jobId).where('extract_state', '=', 'extracting').execute()
}

/** After a crash: items caught mid-flight go back to pending so a resume redoes them (yt-dlp reuses .part). */
export async function resetInFlight(db: DB, node: string): Promise<void> {
  // Only this node's items (or unleased ones): in a cluster the others are running elsewhere.
  const mine = (eb: any) => eb.or([eb('lease_node', 'is', null), eb('lease_node', '=', node), eb('lease_until', '<', now())])
  await db.updateTable('videos').set({ download_state: 'pending' }).where('download_state', '=', 'downloading').where(mine).execute()
  await db.updateTable('videos').set({ extract_state: 'pending' }).where('extract_state', '=', 'extracting').where(mine).execute()
}

export async function failedVideoIds(db: DB, playlistId: number): Promise<{ download: number[]; extract: number[] }> {
  const rows = await db
    .selectFrom('videos')
    .select(['id', 'download_state', 'extract_state', 'skip_reason'])
    .where('playlist_id', '=', playlistId)
    .where('missing_since', 'is', null)
    .where((eb) => eb.or([eb('download_state', '=', 'failed'), eb('extract_state', '=', 'failed')]))
    .orderBy('position')
    .execute()
  return {
    // A failed download the filters now leave out is not retried.
    download: rows.filter((r) => r.download_state === 'failed' && r.skip_reason === null).map((r) => r.id),
    extract: rows.filter((r) => r.extract_state === 'failed').map((r) => r.id),
  }
}

export async function extractedVideos(db: DB, playlistId: number): Promise<Video[]> {
  return db.selectFrom('videos').selectAll().where('playlist_id', '=', playlistId).where('extract_state', '=', 'extracted').orderBy('position').execute()
}

export type ArchivedVideo = Pick<Video, 'id' | 'title' | 'download_state' | 'extract_state' | 'video_path' | 'audio_path' | 'video_deleted_at'>

/** Rows whose files the archive claims to hold: what a file check looks at. */
export async function archivedVideos(db: DB, playlistId: number): Promise<ArchivedVideo[]> {
  return db
    .selectFrom('videos')
    .select(['id', 'title', 'download_state', 'extract_state', 'video_path', 'audio_path', 'video_deleted_at'])
    .where('playlist_id', '=', playlistId)
    .where((eb) => eb.or([eb('download_state', '=', 'downloaded'), eb('extract_state', '=', 'extracted')]))
    .orderBy('position')
    .execute()
}

/**
 * The file a row points to is gone: its phase goes back to pending so the next job
 * fetches or extracts it again. Conditional, so a row that moved on meanwhile is left alone.
 */
export async function forgetMissingFile(db: DB, id: number, file: 'video' | 'audio', path: string): Promise<boolean> {
  const r =
    file === 'video'
      ? await db
          .updateTable('videos')
          .set({ download_state: 'pending', video_path: null })
          .where('id', '=', id)
          .where('download_state', '=', 'downloaded')
          .where('video_path', '=', path)
          .executeTakeFirst()
      : await db
          .updateTable('videos')
          .set({ extract_state: 'pending', audio_path: null })
          .where('id', '=', id)
          .where('extract_state', '=', 'extracted')
          .where('audio_path', '=', path)
          .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/**
 * Re-applies a playlist's download filters to the entries that still wait for a download
 * (pending or failed, not gone upstream), and to downloaded ones the length filter kept from
 * extraction: newly excluded ones get a skip_reason, ones the filters now let through lose
 * theirs (and so can be extracted). Returns how many are skipped afterwards.
 */
export async function applySkipReasons(
  db: DB,
  playlistId: number,
  reasonFor: (v: { title: string; duration: number | null; upload_date: string | null }) => string | null,
): Promise<number> {
  const rows = await db
    .selectFrom('videos')
    .select(['id', 'title', 'duration', 'upload_date', 'skip_reason'])
    .where('playlist_id', '=', playlistId)
    .where((eb) =>
      eb.or([
        eb('download_state', 'in', ['pending', 'failed']),
        eb.and([eb('download_state', '=', 'downloaded'), eb('extract_state', '=', 'pending'), eb('skip_reason', 'is not', null)]),
      ]),
    )
    .execute()
  let skipped = 0
  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      const reason = reasonFor(r)
      if (reason) skipped++
      if (reason !== r.skip_reason) await trx.updateTable('videos').set({ skip_reason: reason }).where('id', '=', r.id).execute()
    }
  })
  return skipped
}

/**
 * Extracted entries whose audio file is not a `.${ext}` one: the playlist's audio format
 * changed since. `files` can be made again from their videos; `videoGone` cannot (the video
 * was deleted on purpose by "Audio only", or its path is not recorded), they keep their file.
 */
const inOtherFormat = (db: DB, playlistId: number, ext: string) =>
  db
    .selectFrom('videos')
    .where('playlist_id', '=', playlistId)
    .where('extract_state', '=', 'extracted')
    .where('audio_path', 'is not', null)
    // Whatever the case (SQLite's LIKE ignores ASCII case, PostgreSQL needs ILIKE): the extension is all a name says about the format.
    .where('audio_path', isPostgres(db) ? 'not ilike' : 'not like', `%.${ext}`)

export async function reextractCounts(db: DB, playlistId: number, ext: string): Promise<{ files: number; videoGone: number }> {
  const row = await inOtherFormat(db, playlistId, ext)
    .select([
      sql<number>`count(*) filter (where video_path is not null and video_deleted_at is null and download_state = 'downloaded')`.as('files'),
      sql<number>`count(*) filter (where video_path is null or video_deleted_at is not null or download_state != 'downloaded')`.as('videoGone'),
    ])
    .executeTakeFirstOrThrow()
  return { files: row.files ?? 0, videoGone: row.videoGone ?? 0 }
}

/**
 * Claims the entries `reextractCounts` calls `files` for `jobId`: they go back to pending
 * extraction, keeping audio_path (the old file stays on disk and is replaced only once the
 * new one is valid, see extractOne). Pending, they are ordinary claimed work: a resume, a
 * cancel and a crash treat them like any other extraction. Returns them in playlist order.
 */
export async function claimReextractions(db: DB, playlistId: number, jobId: number, ext: string): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await inOtherFormat(trx, playlistId, ext)
      .select('id')
      .where('download_state', '=', 'downloaded')
      .where('video_path', 'is not', null)
      .where('video_deleted_at', 'is', null)
      .orderBy('position')
      .execute()
    const ids = rows.map((r) => r.id)
    for (let i = 0; i < ids.length; i += 500)
      await trx
        .updateTable('videos')
        .set({ extract_job_id: jobId, extract_state: 'pending', error: null })
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()
    return ids
  })
}

/** The playlist's first entry (by position) with a thumbnail: the show's poster and the music folder's cover. */
export async function firstThumbnail(db: DB, playlistId: number): Promise<string | null> {
  const row = await db
    .selectFrom('videos')
    .select('thumbnail_path')
    .where('playlist_id', '=', playlistId)
    .where('thumbnail_path', 'is not', null)
    .orderBy('position')
    .executeTakeFirst()
  return row?.thumbnail_path ?? null
}

/** Entries that name at least one file (a video, an audio or a thumbnail): what a relayout moves. */
export async function videosWithFiles(db: DB, playlistId: number): Promise<Video[]> {
  return db
    .selectFrom('videos')
    .selectAll()
    .where('playlist_id', '=', playlistId)
    .where((eb) => eb.or([eb('video_path', 'is not', null), eb('audio_path', 'is not', null), eb('thumbnail_path', 'is not', null)]))
    .orderBy('position')
    .orderBy('id')
    .execute()
}
