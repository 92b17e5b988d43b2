import { applySkipReasons } from '../db/videos'
import type { Playlist } from '../db/types'
import { skipFilter } from '../library/filters'
import type { AppContext } from '../context'

/**
 * Marks which waiting entries the playlist's download filters leave out (skip_reason),
 * after every index and every change of the filters. Returns how many are skipped.
 */
export async function applyDownloadFilters(ctx: AppContext, playlist: Playlist): Promise<number> {
  let reasonFor: ReturnType<typeof skipFilter>
  try {
    reasonFor = skipFilter(playlist)
  } catch (err) {
    // Patterns are checked when saved; one that no longer compiles must not stop indexing.
    ctx.log(`playlist ${playlist.id}: download filters ignored: ${err instanceof Error ? err.message : err}`)
    reasonFor = () => null
  }
  return applySkipReasons(ctx.db, playlist.id, reasonFor)
}
