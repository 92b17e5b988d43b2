/**
 * What wakes an idle node to look for work. On SQLite nothing can push, so a bounded poll is
 * the whole story; on PostgreSQL a LISTEN/NOTIFY implementation can resolve `next` early and
 * keep the poll as its safety net. The agent asks only this.
 */
export interface Wake {
  /** Resolves at the next reason to look (a notification, or the poll's interval at the latest). */
  next(): Promise<void>
  /** Look again now (this node added work). */
  notify(): void
  stop(): void
}

export class PollWake implements Wake {
  private timer: ReturnType<typeof setTimeout> | null = null
  private resolve: (() => void) | null = null

  constructor(private readonly everyMs: number) {}

  next(): Promise<void> {
    return new Promise((resolve) => {
      this.resolve = resolve
      this.timer = setTimeout(() => this.notify(), this.everyMs)
    })
  }

  notify(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const r = this.resolve
    this.resolve = null
    r?.()
  }

  stop(): void {
    this.notify()
  }
}
