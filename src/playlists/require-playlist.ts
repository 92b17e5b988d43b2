import type { DB } from '../db/open'
import { findPlaylist } from '../db/playlists'
import type { Playlist } from '../db/types'
import { NotFound } from '../errors'

/** The playlist, for work that needs it to exist; NotFound ("playlist 3 not found") otherwise. */
export async function requirePlaylist(db: DB, id: number, hint?: string): Promise<Playlist> {
  const playlist = await findPlaylist(db, id)
  if (!playlist) throw new NotFound(`playlist ${id}`, hint)
  return playlist
}
