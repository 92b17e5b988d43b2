import { activeJobForPlaylist } from '../db/jobs'
import { type ArchivedVideo, archivedVideos, forgetMissingFile } from '../db/videos'
import { chapterFilesOfPlaylist } from '../db/chapter-files'
import { Conflict } from '../errors'
import { storedFileSize, mediaRoot } from '../library/paths'
import type { AppContext } from '../context'
import { requirePlaylist } from './require-playlist'
import { strandedAdvice, strandedFolders } from '../library/media-dir'

export interface MissingFile {
  video_id: number
  title: string
  /** `chapter`: one of the files a chapter split wrote (chapter_files). */
  file: 'video' | 'audio' | 'chapter'
  path: string
}

export interface VerifyReport {
  playlist_id: number
  /** Files the database says are archived, all looked at. */
  checked: number
  videos_missing: number
  audio_missing: number
  /** Chapter files missing; their entry's audio goes back to pending (while its video is there) so the next job splits it again. */
  chapters_missing: number
  /** The first 100 missing files, in playlist order. */
  missing: MissingFile[]
}

/**
 * Checks the archive against the disk: every file the database counts as downloaded or
 * extracted must be there. Missing ones (deleted by hand, a disk restored from an old
 * backup) go back to pending, so the next job restores them. Refused while a job of the
 * playlist runs, since its files are moving, and while its folder is still in DATA_DIR
 * though MEDIA_DIR is set (strandedFolders).
 */
export async function verifyFiles(ctx: AppContext, playlistId: number): Promise<VerifyReport> {
  const playlist = await requirePlaylist(ctx.db, playlistId)
  // Files left in DATA_DIR when MEDIA_DIR was set are not missing: marking them so would fetch everything again.
  if (strandedFolders(ctx.config, [playlist.folder]).length > 0) throw new Conflict(strandedAdvice(ctx.config, [playlist.folder]))
  const active = await activeJobForPlaylist(ctx.db, playlistId)
  if (active) throw new Conflict(`playlist has an active job (#${active.id}); check its files once the job has ended`, { job_id: active.id })
  const report: VerifyReport = { playlist_id: playlistId, checked: 0, videos_missing: 0, audio_missing: 0, chapters_missing: 0, missing: [] }
  const archived = await archivedVideos(ctx.db, playlistId)
  for (const v of archived) {
    for (const file of ['video', 'audio'] as const) {
      // A video deleted on purpose after extraction (Audio only) is not missing.
      const archived = file === 'video' ? v.download_state === 'downloaded' && v.video_deleted_at === null : v.extract_state === 'extracted'
      if (!archived) continue
      report.checked++
      const path = file === 'video' ? v.video_path : v.audio_path
      if ((await storedFileSize(mediaRoot(ctx.config), path)) > 0) continue
      if (!(await forgetMissingFile(ctx.db, v.id, file, path ?? ''))) continue
      if (file === 'video') report.videos_missing++
      else report.audio_missing++
      if (report.missing.length < 100) report.missing.push({ video_id: v.id, title: v.title, file, path: path ?? '' })
    }
  }
  await verifyChapterFiles(ctx, playlistId, archived, report)
  if (report.videos_missing + report.audio_missing + report.chapters_missing > 0)
    ctx.log(
      `playlist ${playlistId}: ${report.videos_missing} video, ${report.audio_missing} audio and ${report.chapters_missing} chapter file(s) missing on disk; marked to be made again`,
    )
  return report
}

/**
 * A chapter file is made from the video along with the audio, so a missing one sends its
 * entry's audio back to pending: the next job extracts and splits it again (the split
 * replaces the record). Without the video (Audio only) it can only be reported.
 */
async function verifyChapterFiles(ctx: AppContext, playlistId: number, archived: ArchivedVideo[], report: VerifyReport): Promise<void> {
  const byId = new Map(archived.map((v) => [v.id, v]))
  const redo = new Set<number>()
  for (const f of await chapterFilesOfPlaylist(ctx.db, playlistId)) {
    const v = byId.get(f.video_id)
    if (v?.extract_state !== 'extracted') continue
    report.checked++
    if ((await storedFileSize(mediaRoot(ctx.config), f.path)) > 0) continue
    report.chapters_missing++
    if (report.missing.length < 100) report.missing.push({ video_id: v.id, title: v.title, file: 'chapter', path: f.path })
    if (v.video_deleted_at === null && v.video_path !== null) redo.add(v.id)
  }
  for (const id of redo) {
    const v = byId.get(id)!
    await forgetMissingFile(ctx.db, id, 'audio', v.audio_path ?? '')
  }
}
