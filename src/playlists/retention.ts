import { rm } from 'node:fs/promises'
import type { Config } from '../config'
import type { AppContext } from '../context'
import { addEvent } from '../db/events'
import { activeJobForPlaylist } from '../db/jobs'
import { markPruned, pruneCandidates, restorePruned } from '../db/retention'
import type { Job, Playlist } from '../db/types'
import type { JobManager } from '../jobs/manager'
import { findVideo, holdsAnyAudio } from '../db/videos'
import { Conflict, NotFound } from '../errors'
import { choosePrune, type PruneChoice, type RetentionRules, retentionIsOn } from '../library/retention'
import { resolveInside, mediaRoot } from '../library/paths'
import { requirePlaylist } from './require-playlist'

export type RetentionSettings = Pick<Playlist, 'keep_newest' | 'delete_videos_after_days' | 'keep_audio'>

/** A playlist's own retention settings over the server's defaults (KEEP_NEWEST, DELETE_VIDEOS_AFTER_DAYS, KEEP_AUDIO). */
export function rulesFor(config: Config, p: RetentionSettings): RetentionRules {
  return {
    keep_newest: p.keep_newest ?? config.keepNewest,
    delete_videos_after_days: p.delete_videos_after_days ?? config.deleteVideosAfterDays,
    keep_audio: p.keep_audio ?? config.keepAudio,
  }
}

export interface PrunePreview {
  playlist_id: number
  rules: RetentionRules
  /** Entries the next prune would take, newest first, with the files it would delete. */
  entries: PruneChoice[]
  videos: number
  audio: number
}

/**
 * The dry run: what a prune would take now, with the playlist's settings or the ones given
 * (the settings form previews before it saves). Reads only.
 */
export async function previewPrune(ctx: AppContext, playlistId: number, settings: Partial<RetentionSettings> = {}): Promise<PrunePreview> {
  const playlist = await requirePlaylist(ctx.db, playlistId)
  const rules = rulesFor(ctx.config, { ...playlist, ...settings })
  const entries = choosePrune(await pruneCandidates(ctx.db, playlistId), rules, Date.now())
  return {
    playlist_id: playlistId,
    rules,
    entries,
    videos: entries.filter((e) => e.video_path !== null).length,
    audio: entries.filter((e) => e.audio_path !== null).length,
  }
}

/**
 * Runs the playlist's retention: the entries it takes are marked pruned, then their files
 * deleted, each deletion a line in the job log of `jobId` (the job whose end or sync ran it).
 * `exceptJobId`: that job's own claims are over, its files no longer in use.
 */
export async function pruneFiles(ctx: AppContext, playlist: Playlist, opts: { jobId: number | null; exceptJobId?: number | null }): Promise<PruneChoice[]> {
  const rules = rulesFor(ctx.config, playlist)
  // Off (the default): not even the transaction, at the end of every job.
  if (!retentionIsOn(rules)) return []
  const taken = await markPruned(ctx.db, playlist.id, opts.exceptJobId ?? null, (c) => choosePrune(c, rules, Date.now()))
  for (const entry of taken) {
    for (const path of [entry.video_path, entry.audio_path]) {
      if (path === null) continue
      const file = resolveInside(mediaRoot(ctx.config), path)
      if (file) await rm(file, { force: true })
      const line = `pruned: deleted ${path} ("${entry.title}": ${entry.reason})`
      if (opts.jobId !== null) await addEvent(ctx.db, opts.jobId, 'info', line)
      else ctx.log(`playlist ${playlist.id}: ${line}`)
    }
  }
  return taken
}

/** Whether the restored entry still has its audio: then its job need only fetch the video. */
export interface Restored {
  video_id: number
  audio_kept: boolean
}

/** A pruned entry goes back to pending; retention never takes it again. NotFound for any other entry. */
export async function restoreEntry(ctx: AppContext, playlistId: number, videoId: number): Promise<Restored> {
  await requirePlaylist(ctx.db, playlistId)
  if (!(await restorePruned(ctx.db, playlistId, videoId))) {
    const video = await findVideo(ctx.db, videoId)
    if (!video || video.playlist_id !== playlistId) throw new NotFound(`entry ${videoId} of playlist ${playlistId}`)
    throw new Conflict(`entry ${videoId} is ${video.download_state}, not pruned: there is nothing to restore`)
  }
  const video = (await findVideo(ctx.db, videoId))!
  return { video_id: videoId, audio_kept: video.extract_state === 'extracted' && video.audio_path !== null }
}

/**
 * Restore, then fetch: a job starts at once, unless the playlist already has one (then the
 * entry waits, pending, for its next job, and `job` is null). A "both" job (Audio only when
 * the playlist is) when the audio went too and the playlist makes audio at all; otherwise a
 * download job, so restoring into a Video only playlist does not start extracting it.
 */
export async function restoreAndFetch(ctx: AppContext, manager: JobManager, playlistId: number, videoId: number): Promise<Restored & { job: Job | null }> {
  const restored = await restoreEntry(ctx, playlistId, videoId)
  if (await activeJobForPlaylist(ctx.db, playlistId)) return { ...restored, job: null }
  try {
    const playlist = await requirePlaylist(ctx.db, playlistId)
    const makesAudio = playlist.delete_videos || (await holdsAnyAudio(ctx.db, playlistId))
    return { ...restored, job: await manager.create(playlistId, !restored.audio_kept && makesAudio ? 'both' : 'download') }
  } catch (err) {
    // Another job started in between: it, or the next one, fetches the entry.
    if (err instanceof Conflict) return { ...restored, job: null }
    throw err
  }
}
