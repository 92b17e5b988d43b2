import type { AudioFormat } from '../config'
import type { AppContext } from '../context'
import type { Playlist } from '../db/types'
import { reextractCounts } from '../db/videos'
import { AUDIO_EXT, audioFormatOf } from './extract-worker'

/**
 * What "Re-extract" would do for a playlist now: `files` extracted entries are in another
 * format than the playlist's and can be made again from their videos; `video_gone` are too,
 * but their videos were deleted ("Audio only"), so they keep the file they have.
 */
export interface ReextractOffer {
  format: AudioFormat
  files: number
  video_gone: number
}

export async function reextractOffer(ctx: AppContext, playlist: Pick<Playlist, 'id' | 'audio_format'>): Promise<ReextractOffer> {
  const format = audioFormatOf(playlist, ctx.config.audioFormat)
  const { files, videoGone } = await reextractCounts(ctx.db, playlist.id, AUDIO_EXT[format])
  return { format, files, video_gone: videoGone }
}
