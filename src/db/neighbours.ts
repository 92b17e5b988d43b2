import type { DB } from './open'

export interface Neighbour {
  id: number
  title: string
}

/**
 * The playable entries just before and after one in its playlist's order (position, then
 * id, as the table lists them), skipping those without a video file: the player's
 * Previous and Next.
 */
export async function playableNeighbours(
  db: DB,
  video: { id: number; playlist_id: number; position: number },
): Promise<{ previous: Neighbour | undefined; next: Neighbour | undefined }> {
  const playable = () =>
    db
      .selectFrom('videos')
      .select(['id', 'title'])
      .where('playlist_id', '=', video.playlist_id)
      .where('download_state', '=', 'downloaded')
      .where('video_path', 'is not', null)
      .where('video_deleted_at', 'is', null)
  const [previous, next] = await Promise.all([
    playable()
      .where((eb) => eb.or([eb('position', '<', video.position), eb.and([eb('position', '=', video.position), eb('id', '<', video.id)])]))
      .orderBy('position', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    playable()
      .where((eb) => eb.or([eb('position', '>', video.position), eb.and([eb('position', '=', video.position), eb('id', '>', video.id)])]))
      .orderBy('position')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst(),
  ])
  return { previous, next }
}
