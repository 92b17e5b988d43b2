import type { AppContext } from '../context'
import { writeLiveProgress } from '../db/leases'
import type { ItemProgress } from '../db/types'

/** At most this often per item does a node write an item's live progress (2 writes a second). */
export const LIVE_WRITE_MS = 500

/**
 * Writes the live progress of items this node runs for other nodes' job cards: the latest
 * value wins, the first write of an item goes at once and later ones at most every
 * LIVE_WRITE_MS, with a trailing write so the last value is not lost.
 */
export class LiveProgressWriter {
  private readonly items = new Map<number, { last: number; next: ItemProgress | null; timer: ReturnType<typeof setTimeout> | null }>()
  writes = 0

  constructor(private readonly ctx: AppContext) {}

  push(p: ItemProgress): void {
    const s = this.items.get(p.video_id) ?? { last: 0, next: null, timer: null }
    this.items.set(p.video_id, s)
    s.next = p
    if (s.timer) return
    const wait = Math.max(0, s.last + LIVE_WRITE_MS - Date.now())
    s.timer = setTimeout(() => {
      s.timer = null
      const value = s.next
      s.next = null
      if (!value) return
      s.last = Date.now()
      this.writes++
      void writeLiveProgress(this.ctx.db, this.ctx.config.nodeName, value).catch(() => {})
    }, wait)
  }

  stop(): void {
    for (const s of this.items.values()) if (s.timer) clearTimeout(s.timer)
    this.items.clear()
  }
}
