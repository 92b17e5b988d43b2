/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'

export const playlistStatsId = (playlistId: number) => `playlist-${playlistId}-stats`

/** Entry, downloaded, extracted and failed counts; swapped out-of-band when a job ends. */
export function PlaylistStats({ playlistId, counts, oob }: { playlistId: number; counts: PlaylistCounts; oob?: boolean }) {
  return (
    <dl class="stats" id={playlistStatsId(playlistId)} hx-swap-oob={oob ? 'true' : undefined}>
      <div class="stat stat-entries">
        <dt>entries</dt>
        <dd>{counts.entries}</dd>
      </div>
      <div class="stat stat-downloaded">
        <dt>downloaded</dt>
        <dd>{counts.downloaded}</dd>
      </div>
      <div class="stat stat-extracted">
        <dt>extracted</dt>
        <dd>{counts.extracted}</dd>
      </div>
      <div class={`stat stat-failed${counts.failed > 0 ? ' warn' : ''}`}>
        <dt>failed</dt>
        <dd>{counts.failed}</dd>
      </div>
      {counts.skipped > 0 ? (
        <div class="stat stat-skipped">
          <dt>skipped</dt>
          <dd>{counts.skipped}</dd>
        </div>
      ) : (
        ''
      )}
      {counts.missing > 0 ? (
        <div class="stat stat-missing">
          <dt>gone upstream</dt>
          <dd>{counts.missing}</dd>
        </div>
      ) : (
        ''
      )}
    </dl>
  )
}
