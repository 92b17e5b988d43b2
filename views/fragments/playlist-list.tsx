/** @jsxImportSource @kitajs/html */
import type { PlaylistWithCounts } from '../../src/db/playlists'
import { formatUtc, urlHost } from '../format'
import { PlaylistActions } from './playlist-actions'
import { PlaylistStats } from './playlist-stats'
import { thumbnailUrl } from './video-table'

/** Where it comes from and when it was read: two playlists with one title differ here. */
function PlaylistSource({ playlist }: { playlist: PlaylistWithCounts }) {
  const host = urlHost(playlist.url)
  return (
    <p class="muted playlist-source">
      {host ? (
        <span class="playlist-host" title={playlist.url} safe>
          {host}
        </span>
      ) : (
        ''
      )}
      <span class="playlist-synced">
        {playlist.indexed_at ? (
          <>
            {'last sync '}
            <time datetime={playlist.indexed_at} safe>
              {formatUtc(playlist.indexed_at)}
            </time>
          </>
        ) : (
          'never synced'
        )}
      </span>
      <span class="playlist-next-sync">
        {playlist.next_sync_at ? (
          <>
            {'next sync '}
            <time datetime={playlist.next_sync_at} safe>
              {formatUtc(playlist.next_sync_at)}
            </time>
          </>
        ) : (
          'no scheduled sync'
        )}
      </span>
    </p>
  )
}

/** One playlist in the library: thumbnail, title, uploader, source and syncs, counts, job buttons. */
function PlaylistRow({ playlist, busy }: { playlist: PlaylistWithCounts; busy: boolean }) {
  return (
    <li class="playlist-row" id={`playlist-${playlist.id}`}>
      <div class="playlist-info">
        {playlist.thumbnail_video_id !== null ? (
          // Decorative: the title beside it names the playlist. Only our own route, never a remote URL.
          <img class="playlist-thumb" src={thumbnailUrl(playlist.thumbnail_video_id)} alt="" loading="lazy" decoding="async" width="96" height="54" />
        ) : (
          <span class="playlist-thumb placeholder" aria-hidden="true"></span>
        )}
        <div class="playlist-text">
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
          <PlaylistSource playlist={playlist} />
        </div>
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
