/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'
import type { ImportRow } from '../../src/playlists/import-match'
import type { ImportReport } from '../../src/playlists/import'
import { plural } from '../format'
import { PlaylistStats } from './playlist-stats'

export const importFilesId = (playlistId: number) => `playlist-${playlistId}-import`

/** The table shows this many rows; the CLI and the API give them all. */
const SHOWN_ROWS = 500

const ACTION_WORDS: Record<ImportRow['action'], string> = {
  adopt: 'will be adopted',
  adopted: 'adopted',
  skip: 'skipped',
  refused: 'refused',
  unknown: 'left alone',
}

const MATCH_WORDS: Record<NonNullable<ImportRow['matched_by']>, string> = { id: 'id in the name', 'info.json': '.info.json', title: 'title' }

/**
 * "Import files": a folder on the server (inside IMPORT_DIRS) is matched against the
 * entries; the answer is the dry-run table, with an Apply button when there is something
 * to adopt. Without IMPORT_DIRS it only says how to turn it on.
 */
export function ImportFilesForm({ playlistId, enabled }: { playlistId: number; enabled: boolean }) {
  const id = importFilesId(playlistId)
  const onError = { 'hx-status:4xx': `target:#${id}-result swap:innerHTML`, 'hx-status:5xx': `target:#${id}-result swap:innerHTML` }
  return (
    <details class="import-files" id={id}>
      <summary>Import files</summary>
      {enabled ? (
        <form hx-post={`/playlists/${playlistId}/import`} hx-target={`#${id}-result`} hx-swap="innerHTML" hx-disable="find button" {...onError}>
          <p class="muted">
            Adopt video and audio files an earlier archive holds (yt-dlp names like “Title [id].mp4”, or .info.json beside them). You see what would happen
            first; nothing moves until you press Apply.
          </p>
          <label>
            Folder on the server <input type="text" name="dir" required placeholder="/srv/old-archive" autocomplete="off" spellcheck="false" />
          </label>
          <label>
            Match{' '}
            <select name="match">
              <option value="id">by id (names, .info.json)</option>
              <option value="title">by title too</option>
            </select>
          </label>
          <label>
            <input type="checkbox" name="link" /> Hard-link (keep the folder as it is)
          </label>
          <button type="submit" class="btn btn-small" data-action="import-preview">
            Show what would happen
          </button>
        </form>
      ) : (
        <p class="muted">Importing from the web is off: set IMPORT_DIRS to the folders it may read, or use “yt-serve import DIR --playlist {playlistId}”.</p>
      )}
      <div class="action-message" id={`${id}-result`} aria-live="polite"></div>
    </details>
  )
}

const entryLabel = (r: ImportRow): string => (r.entry ? `${r.entry.position}. ${r.entry.title}` : '–')

function ImportTable({ rows }: { rows: ImportRow[] }) {
  return (
    <table class="import-table">
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Entry</th>
          <th scope="col">Matched by</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, SHOWN_ROWS).map((r) => (
          <tr class={`import-${r.action}`}>
            <td safe>{r.file}</td>
            <td safe>{entryLabel(r)}</td>
            <td>{r.matched_by ? MATCH_WORDS[r.matched_by] : '–'}</td>
            <td>
              <strong safe>{ACTION_WORDS[r.action]}</strong> <span class="muted" safe>{`${r.detail}${r.destination ? ` → ${r.destination}` : ''}`}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The dry run (with Apply) or what the import did (with the playlist's counts out-of-band). */
export function ImportResult({ report, counts }: { report: ImportReport; counts: PlaylistCounts | null }) {
  const c = report.counts
  const id = importFilesId(report.playlist_id)
  const more = report.rows.length - SHOWN_ROWS
  const summary = report.applied
    ? `${plural(c.adopted, 'file')} adopted, ${c.skip} skipped, ${c.refused} refused, ${c.unknown} left alone.`
    : `${plural(c.adopt, 'file')} would be adopted, ${c.skip} skipped, ${c.refused} refused, ${c.unknown} left alone. Nothing has changed yet.`
  return (
    <>
      <p class="notice" role="status" safe>
        {summary}
      </p>
      <ImportTable rows={report.rows} />
      {more > 0 || report.not_scanned > 0 ? (
        <p
          class="muted"
          safe
        >{`${more > 0 ? `${plural(more, 'more file')} not shown (the API lists them all). ` : ''}${report.not_scanned > 0 ? `${plural(report.not_scanned, 'file')} past the scan's limit not looked at.` : ''}`}</p>
      ) : (
        ''
      )}
      {!report.applied && c.adopt > 0 ? (
        <form hx-post={`/playlists/${report.playlist_id}/import`} hx-target={`#${id}-result`} hx-swap="innerHTML" hx-disable="find button">
          <input type="hidden" name="dir" value={report.dir} />
          <input type="hidden" name="match" value={report.match} />
          <input type="hidden" name="apply" value="true" />
          {report.link ? <input type="hidden" name="link" value="on" /> : ''}
          <button type="submit" class="btn btn-primary btn-small" data-action="import-apply" safe>
            {`Apply: ${report.link ? 'hard-link' : 'move'} ${plural(c.adopt, 'file')} into the archive`}
          </button>
        </form>
      ) : (
        ''
      )}
      {counts ? <PlaylistStats playlistId={report.playlist_id} counts={counts} oob /> : ''}
    </>
  )
}
