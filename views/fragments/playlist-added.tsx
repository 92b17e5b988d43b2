/** @jsxImportSource @kitajs/html */
import type { PlaylistWithCounts } from '../../src/db/playlists'
import { plural } from '../format'
import { PlaylistUrlInput } from './add-playlist-form'
import { PlaylistList } from './playlist-list'

/** The answer to a successful add: a note by the form, the refreshed library, a cleared input. */
export function PlaylistAdded({ title, added, playlists, busyIds }: { title: string; added: number; playlists: PlaylistWithCounts[]; busyIds: Set<number> }) {
  return (
    <>
      <p class="notice" role="status">
        {'Added '}
        <strong safe>{title}</strong>
        <span safe>{` (${plural(added, 'entry', 'entries')}).`}</span>
      </p>
      <PlaylistList playlists={playlists} busyIds={busyIds} oob />
      <PlaylistUrlInput oob />
    </>
  )
}
