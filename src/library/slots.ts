import { Unavailable } from '../errors'

/**
 * A counting semaphore with a short queue. Work a client waits for is refused once the
 * queue is full (503, try again later) instead of piling up processes; background work
 * (jobs, syncs) always queues, as its number is already bounded by the playlists.
 */
export class Slots {
  private busy = 0
  private readonly waiting: (() => void)[] = []

  constructor(
    private readonly what: string,
    readonly limit: number,
    readonly maxQueue: number,
    private readonly retryAfterSeconds: number,
  ) {}

  async run<T>(fn: () => Promise<T>, opts: { refuseWhenFull: boolean }): Promise<T> {
    if (this.busy < this.limit) this.busy++
    else {
      if (opts.refuseWhenFull && this.waiting.length >= this.maxQueue)
        throw new Unavailable(
          `too busy: ${this.busy} ${this.what} running and ${this.waiting.length} waiting; try again in ${this.retryAfterSeconds} s`,
          this.retryAfterSeconds,
        )
      // The slot is handed over by the finishing run: `busy` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.busy--
    }
  }

  state(): { running: number; waiting: number } {
    return { running: this.busy, waiting: this.waiting.length }
  }
}
