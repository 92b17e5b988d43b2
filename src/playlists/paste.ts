import type { AudioFormat } from '../config'
import { findPlaylist, updatePlaylist } from '../db/playlists'
import type { Job, JobType, PlaylistUpdate } from '../db/types'
import type { JobManager } from '../jobs/manager'
import type { AppContext } from '../context'
import { findOrAddPlaylist, type AddOutcome } from './service'
import { isSingles } from './singles'

/** The home form's choice: Video + audio, Audio only (videos deleted after extraction), Video only. */
export const START_CHOICES = ['both', 'audio', 'video'] as const
export type StartChoice = (typeof START_CHOICES)[number]

const JOB_TYPE: Record<StartChoice, JobType> = { both: 'both', audio: 'both', video: 'download' }

export interface PasteRequest {
  url: unknown
  start: StartChoice
  /** Empty or absent: the playlist keeps its format (the server default unless set). */
  audio_format?: AudioFormat | ''
}

/**
 * Paste and go: the URL is found or added (see findOrAddPlaylist) and its job starts at once.
 *
 * A playlist added by this paste takes the choice as its setting: Audio only sets its
 * delete_videos, so scheduled syncs keep it audio only. A playlist already there, and
 * Singles (which mixes choices), get the choice for this job only. A chosen audio format
 * becomes the playlist's: audio extracted from now on uses it; audio already extracted stays.
 */
export async function pasteAndGo(ctx: AppContext, manager: JobManager, req: PasteRequest): Promise<AddOutcome & { job: Job }> {
  const outcome = await findOrAddPlaylist(ctx, req.url)
  const patch: PlaylistUpdate = {}
  if (req.audio_format && req.start !== 'video') patch.audio_format = req.audio_format
  if (!outcome.existing && !isSingles(outcome.playlist)) patch.delete_videos = req.start === 'audio' ? 1 : 0
  let playlist = outcome.playlist
  if (Object.keys(patch).length > 0) {
    await updatePlaylist(ctx.db, playlist.id, patch)
    playlist = (await findPlaylist(ctx.db, playlist.id)) ?? playlist
  }
  const job = await manager.create(playlist.id, JOB_TYPE[req.start], { deleteVideos: req.start === 'audio' })
  return { ...outcome, playlist, job }
}
