/** Failures beyond the free ones block the client for base · 2^(n−1) seconds, capped. */
export interface ThrottleOptions {
  free: number
  baseSeconds: number
  maxSeconds: number
  /** Clients remembered at most; the least recently failing one is forgotten first. */
  capacity: number
  /** A client with no failure for this long starts afresh. */
  forgetSeconds: number
  now: () => number
}

interface Entry {
  failures: number
  blockedUntil: number
  last: number
}

const DEFAULTS: ThrottleOptions = { free: 5, baseSeconds: 1, maxSeconds: 15 * 60, capacity: 10_000, forgetSeconds: 60 * 60, now: () => Date.now() }

/**
 * Back-off for wrong tokens, per client address. Only failures are remembered, so a flood of
 * them from many addresses costs at most `capacity` small entries; a client that never fails
 * (the owner with the right token) is never in the map and never waits.
 */
export class FailureThrottle {
  private readonly opts: ThrottleOptions
  private readonly entries = new Map<string, Entry>()

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts }
  }

  /** Whole seconds this client must wait before its next attempt counts; 0: go ahead. */
  retryAfter(client: string): number {
    const e = this.current(client)
    if (!e) return 0
    const ms = e.blockedUntil - this.opts.now()
    return ms > 0 ? Math.ceil(ms / 1000) : 0
  }

  fail(client: string): void {
    const now = this.opts.now()
    const e = this.current(client) ?? { failures: 0, blockedUntil: 0, last: now }
    e.failures += 1
    e.last = now
    const over = e.failures - this.opts.free
    if (over > 0) e.blockedUntil = now + Math.min(this.opts.baseSeconds * 2 ** (over - 1), this.opts.maxSeconds) * 1000
    // Re-inserting moves the client to the young end of the Map's insertion order.
    this.entries.delete(client)
    this.entries.set(client, e)
    while (this.entries.size > this.opts.capacity) this.entries.delete(this.entries.keys().next().value!)
  }

  succeed(client: string): void {
    this.entries.delete(client)
  }

  get size(): number {
    return this.entries.size
  }

  private current(client: string): Entry | undefined {
    const e = this.entries.get(client)
    if (e && this.opts.now() - e.last > this.opts.forgetSeconds * 1000) {
      this.entries.delete(client)
      return undefined
    }
    return e
  }
}
