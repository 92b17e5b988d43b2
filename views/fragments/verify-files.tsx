/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'
import type { VerifyReport } from '../../src/playlists/verify'
import { plural } from '../format'
import { PlaylistStats } from './playlist-stats'

export const verifyFilesId = (playlistId: number) => `playlist-${playlistId}-verify`

/** "Check files": compares the archive with the disk (verifyFiles); the answer lands beside it. */
export function VerifyFilesButton({ playlistId }: { playlistId: number }) {
  const id = verifyFilesId(playlistId)
  return (
    <div class="verify-files" id={id}>
      <button
        type="button"
        class="btn btn-small"
        data-action="verify-files"
        hx-post={`/playlists/${playlistId}/verify`}
        hx-target={`#${id}-message`}
        hx-swap="innerHTML"
        hx-disable="this"
        title="look for archived files that are no longer on disk, and mark them to be fetched again"
      >
        Check files
      </button>
      <div class="action-message" id={`${id}-message`} aria-live="polite"></div>
    </div>
  )
}

/** What the check found; the playlist's counts follow out-of-band. */
export function VerifyResult({ report, counts }: { report: VerifyReport; counts: PlaylistCounts }) {
  const lost = report.videos_missing + report.audio_missing + report.chapters_missing
  const kinds = [plural(report.videos_missing, 'video file'), plural(report.audio_missing, 'audio file')]
  if (report.chapters_missing > 0) kinds.push(plural(report.chapters_missing, 'chapter file'))
  return (
    <>
      {lost === 0 ? (
        <p class="notice" role="status" safe>
          {report.checked === 0
            ? 'Nothing is archived yet.'
            : report.checked === 1
              ? 'The archived file is in place.'
              : `All ${report.checked} archived files are in place.`}
        </p>
      ) : (
        <div class="notice verify-missing" role="status">
          <p safe>
            {`Missing on disk: ${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}. ` + 'They are marked to be fetched again: press Both to restore them.'}
          </p>
          <ul>
            {report.missing.map((m) => (
              <li>
                <span safe>{m.title}</span>
                <span class="muted" safe>{` (${m.file}: ${m.path})`}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <PlaylistStats playlistId={report.playlist_id} counts={counts} oob />
    </>
  )
}
