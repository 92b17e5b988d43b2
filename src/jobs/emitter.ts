/** A small typed event emitter: the engine's parts report outcomes and their owner subscribes. */
export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly handlers: { [K in keyof Events]?: Set<(...args: Events[K]) => void> } = {}

  /** Returns the unsubscribe function. */
  on<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): () => void {
    const set = this.handlers[event] ?? new Set()
    this.handlers[event] = set
    set.add(fn)
    return () => set.delete(fn)
  }

  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    for (const fn of this.handlers[event] ?? []) fn(...args)
  }
}
