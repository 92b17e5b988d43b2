import { activeJobForPlaylist } from '../db/jobs'
import { archivedVideos, forgetMissingFile } from '../db/videos'
import { Conflict } from '../errors'
import { storedFileSize } from '../library/paths'
import type { AppContext } from '../context'
import { requirePlaylist } from './require-playlist'

export interface MissingFile {
  video_id: number
  title: string
  file: 'video' | 'audio'
  path: string
}

export interface VerifyReport {
  playlist_id: number
  /** Files the database says are archived, all looked at. */
  checked: number
  videos_missing: number
  audio_missing: number
  /** The first 100 missing files, in playlist order. */
  missing: MissingFile[]
}

/**
 * Checks the archive against the disk: every file the database counts as downloaded or
 * extracted must be there. Missing ones (deleted by hand, a disk restored from an old
 * backup) go back to pending, so the next job restores them. Refused while a job of the
 * playlist runs, since its files are moving.
 */
export async function verifyFiles(ctx: AppContext, playlistId: number): Promise<VerifyReport> {
  await requirePlaylist(ctx.db, playlistId)
  const active = await activeJobForPlaylist(ctx.db, playlistId)
  if (active) throw new Conflict(`playlist has an active job (#${active.id}); check its files once the job has ended`, { job_id: active.id })
  const report: VerifyReport = { playlist_id: playlistId, checked: 0, videos_missing: 0, audio_missing: 0, missing: [] }
  for (const v of await archivedVideos(ctx.db, playlistId)) {
    for (const file of ['video', 'audio'] as const) {
      // A video deleted on purpose after extraction (Audio only) is not missing.
      const archived = file === 'video' ? v.download_state === 'downloaded' && v.video_deleted_at === null : v.extract_state === 'extracted'
      if (!archived) continue
      report.checked++
      const path = file === 'video' ? v.video_path : v.audio_path
      if ((await storedFileSize(ctx.config.dataDir, path)) > 0) continue
      if (!(await forgetMissingFile(ctx.db, v.id, file, path ?? ''))) continue
      if (file === 'video') report.videos_missing++
      else report.audio_missing++
      if (report.missing.length < 100) report.missing.push({ video_id: v.id, title: v.title, file, path: path ?? '' })
    }
  }
  if (report.videos_missing + report.audio_missing > 0)
    ctx.log(`playlist ${playlistId}: ${report.videos_missing} video and ${report.audio_missing} audio file(s) missing on disk; marked to be fetched again`)
  return report
}
