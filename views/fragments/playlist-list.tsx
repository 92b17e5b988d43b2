/** @jsxImportSource @kitajs/html */
import type { PlaylistWithCounts } from '../../src/db/playlists'
import { PlaylistActions } from './playlist-actions'
import { PlaylistStats } from './playlist-stats'

/** One playlist in the library: title, uploader, counts, job buttons. */
function PlaylistRow({ playlist, busy }: { playlist: PlaylistWithCounts; busy: boolean }) {
  return (
    <li class="playlist-row" id={`playlist-${playlist.id}`}>
      <div class="playlist-info">
        <a class="playlist-title" href={`/playlists/${playlist.id}`} safe>
          {playlist.title}
        </a>
        {playlist.uploader ? (
          <span class="muted playlist-uploader" safe>
            {playlist.uploader}
          </span>
        ) : (
          ''
        )}
      </div>
      <PlaylistStats playlistId={playlist.id} counts={playlist.counts} />
      <PlaylistActions playlistId={playlist.id} playlistTitle={playlist.title} busy={busy} failed={playlist.counts.failed} />
    </li>
  )
}

/** The library section; replaced out-of-band after a playlist is added. */
export function PlaylistList({ playlists, busyIds, oob }: { playlists: PlaylistWithCounts[]; busyIds: Set<number>; oob?: boolean }) {
  return (
    <section id="library" class="library" aria-labelledby="library-heading" hx-swap-oob={oob ? 'true' : undefined}>
      <h2 id="library-heading">Library</h2>
      {playlists.length === 0 ? (
        <p class="empty muted">No playlists yet. Add one above.</p>
      ) : (
        <ul class="playlists">
          {playlists.map((p) => (
            <PlaylistRow playlist={p} busy={busyIds.has(p.id)} />
          ))}
        </ul>
      )}
    </section>
  )
}
