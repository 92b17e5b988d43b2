import type { AppContext } from '../context'
import { type LeasePhase, leaseItems, releaseLeases } from '../db/leases'

/**
 * This node's item leases. An item may be held twice at once (its download chunk has not ended
 * when its extraction starts here): the lease goes only when the last holder lets go. The
 * heartbeat (NodeAgent) renews every lease of the node, so nothing here runs on a timer.
 */
export class LeaseBook {
  private readonly holds = new Map<number, number>()

  constructor(private readonly ctx: AppContext) {}

  /** Of `ids`, those this node now holds; the others are another node's. */
  async take(phase: LeasePhase, ids: number[]): Promise<number[]> {
    const until = new Date(Date.now() + this.ctx.config.leaseSeconds * 1000).toISOString()
    const got = await leaseItems(this.ctx.db, this.ctx.config.nodeName, phase, ids, until)
    for (const id of got) this.holds.set(id, (this.holds.get(id) ?? 0) + 1)
    return got
  }

  async drop(ids: number[]): Promise<void> {
    const free: number[] = []
    for (const id of ids) {
      const n = (this.holds.get(id) ?? 0) - 1
      if (n > 0) this.holds.set(id, n)
      else if (this.holds.delete(id)) free.push(id)
    }
    if (free.length > 0) await releaseLeases(this.ctx.db, this.ctx.config.nodeName, free)
  }

  get count(): number {
    return this.holds.size
  }
}
