import { freeBytes } from '../library/disk'
import { mediaRoot } from '../library/paths'
import { formatBytes } from '../library/units'
import type { AppContext } from '../context'

/** Free space is read at most this often while downloads start (statfs is cheap, not free). */
const DISK_CHECK_MS = 5_000
/** While space is short, downloads look again this often and carry on by themselves once it is back. */
export const DISK_RECHECK_MS = 30_000

/**
 * MIN_FREE_SPACE_MB: a full disk would fail every remaining item one by one (and can
 * corrupt what else lives there), so downloads wait instead, with a reason.
 */
export class DiskGuard {
  private checkedAt = -Infinity
  free: number | null = null
  low = false

  constructor(
    private readonly ctx: AppContext,
    private readonly onChange: () => void,
  ) {}

  /** Whether downloads may start; reads the disk when the last look is stale (or `fresh`). */
  ok(fresh = false): boolean {
    const min = this.ctx.config.minFreeSpaceMb * 1024 * 1024
    if (min === 0) return true
    const now = Date.now()
    if (!fresh && now - this.checkedAt < DISK_CHECK_MS) return !this.low
    this.checkedAt = now
    this.free = freeBytes(mediaRoot(this.ctx.config))
    const wasLow = this.low
    // Unknown free space (a filesystem without statfs) does not block anything.
    this.low = this.free !== null && this.free < min
    if (this.low !== wasLow) {
      this.ctx.log(this.low ? this.reason() : `free space is back (${formatBytes(this.free)}): downloads continue`)
      this.onChange()
    }
    return !this.low
  }

  reason(): string {
    return (
      `Downloads paused: only ${formatBytes(this.free)} free where the data directory is, below MIN_FREE_SPACE_MB ` +
      `(${this.ctx.config.minFreeSpaceMb} MB). Free some space: downloads carry on by themselves within ${DISK_RECHECK_MS / 1000} s.`
    )
  }
}
