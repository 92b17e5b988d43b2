import { listenForWork, type WorkListener } from '../db/work-signal'

/**
 * What wakes an idle node to look for work. On SQLite nothing can push, so a bounded poll is
 * the whole story; on PostgreSQL, ListenWake resolves `next` as soon as another node announces
 * work (LISTEN/NOTIFY) and keeps the poll as its safety net. The agent asks only this.
 */
export interface Wake {
  /**
   * Resolves at the next reason to look: a notification, or after `withinMs` at the latest
   * (default: the idle poll's interval).
   */
  next(withinMs?: number): Promise<void>
  /** Look again now (this node added work). */
  notify(): void
  /** Resolves a pending `next` and lets go of what it holds (the LISTEN connection). */
  stop(): Promise<void>
}

export class PollWake implements Wake {
  private timer: ReturnType<typeof setTimeout> | null = null
  private resolve: (() => void) | null = null
  /** A notify that came while nobody waited: the next `next` resolves at once. */
  private pending = false
  private stopped = false

  constructor(private readonly everyMs: number) {}

  next(withinMs = this.everyMs): Promise<void> {
    if (this.pending || this.stopped) {
      this.pending = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      this.resolve = resolve
      this.timer = setTimeout(() => this.fire(), withinMs)
    })
  }

  notify(): void {
    if (this.resolve) this.fire()
    else this.pending = true
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const r = this.resolve
    this.resolve = null
    r?.()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.fire()
  }
}

/**
 * PostgreSQL: a dedicated LISTEN connection (see listenForWork) wakes the node when another
 * node announces work, and after that connection comes back from a loss (what was announced
 * meanwhile went unheard). The poll stays, so a node never waits longer than it would without.
 */
export class ListenWake implements Wake {
  private readonly poll: PollWake
  private readonly listener: WorkListener

  constructor(url: string, everyMs: number, self: string, log: (message: string) => void) {
    this.poll = new PollWake(everyMs)
    this.listener = listenForWork(url, {
      // This node's own announcements: it already knows.
      onSignal: (s) => {
        if (s.from !== self) this.poll.notify()
      },
      onRestored: () => this.poll.notify(),
      log,
    })
  }

  get listening(): boolean {
    return this.listener.listening
  }

  next(withinMs?: number): Promise<void> {
    return this.poll.next(withinMs)
  }

  notify(): void {
    this.poll.notify()
  }

  async stop(): Promise<void> {
    await this.poll.stop()
    await this.listener.close()
  }
}
