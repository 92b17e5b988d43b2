import { listJobs } from '../db/jobs'
import { findPlaylist, playlistCounts, updatePlaylist } from '../db/playlists'
import type { Playlist, PlaylistUpdate, SyncInterval } from '../db/types'
import { listVideos, type VideoFilter } from '../db/videos'
import { NotFound } from '../errors'
import type { AppContext } from './context'
import { nextSyncAt } from './sync-times'

/** A playlist with its counts and one page of entries, as the API and the pages show it. */
export async function playlistDetail(ctx: AppContext, id: number, page: { offset?: number; limit?: number; filter?: VideoFilter; q?: string } = {}) {
  const playlist = await findPlaylist(ctx.db, id)
  if (!playlist) throw new NotFound(`playlist ${id}`)
  const offset = page.offset ?? 0
  const limit = page.limit ?? 100
  const [counts, { videos, total }, jobs] = await Promise.all([
    playlistCounts(ctx.db, id),
    listVideos(ctx.db, id, { offset, limit, filter: page.filter, q: page.q }),
    listJobs(ctx.db, { playlist_id: id, limit: 20 }),
  ])
  return { ...playlist, counts, videos, videos_total: total, offset, limit, filter: page.filter ?? 'all', q: page.q?.trim() ?? '', jobs: jobs.map(({ current: _c, ...j }) => j) }
}

export async function updatePlaylistSettings(
  ctx: AppContext,
  id: number,
  patch: { audio_format?: string | null; audio_quality?: number | null; sync_interval?: SyncInterval },
): Promise<Playlist> {
  const playlist = await findPlaylist(ctx.db, id)
  if (!playlist) throw new NotFound(`playlist ${id}`)
  const update: PlaylistUpdate = {}
  if (patch.audio_format !== undefined) update.audio_format = patch.audio_format
  if (patch.audio_quality !== undefined) update.audio_quality = patch.audio_quality
  if (patch.sync_interval !== undefined) {
    update.sync_interval = patch.sync_interval
    update.next_sync_at = nextSyncAt(patch.sync_interval, new Date())
  }
  await updatePlaylist(ctx.db, id, update)
  return (await findPlaylist(ctx.db, id))!
}
