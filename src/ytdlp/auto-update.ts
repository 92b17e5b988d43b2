import { readYtdlpState } from '../db/ytdlp'
import type { Config } from '../config'
import type { DB } from '../db/open'
import type { YtdlpUpdater } from './updater'

const DAY = 86_400_000
export const AUTO_UPDATE_EVERY: Record<Config['ytdlpAutoUpdate'], number | null> = { off: null, daily: DAY, weekly: 7 * DAY }

/**
 * YTDLP_AUTO_UPDATE: looks once an hour whether a check is due (a day or a week after the
 * last one, failed or not) and updates; the switch itself waits for the running chunk.
 * Offline it logs and keeps the yt-dlp it has: never fatal.
 */
export class YtdlpAutoUpdate {
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly ctx: { db: DB; config: Config; log: (m: string) => void },
    private readonly updater: YtdlpUpdater,
    private readonly clock: () => number = Date.now,
  ) {}

  start(everyMs = 3600_000, firstAfterMs = 30_000): void {
    if (AUTO_UPDATE_EVERY[this.ctx.config.ytdlpAutoUpdate] === null) return
    const first = setTimeout(() => void this.tick(), firstAfterMs)
    first.unref()
    this.timer = setInterval(() => void this.tick(), everyMs)
    this.timer.unref()
    this.stopFirst = () => clearTimeout(first)
  }

  private stopFirst = () => {}

  stop(): void {
    this.stopFirst()
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** One look: "off", "not due", "skipped" (YTDLP_PATH or use-system), or what the update did. */
  async tick(): Promise<string> {
    const { config, db, log } = this.ctx
    const every = AUTO_UPDATE_EVERY[config.ytdlpAutoUpdate]
    if (every === null) return 'off'
    // The user chose a yt-dlp: the managed one would not run anyway.
    if (config.ytdlpPath) return 'skipped'
    const state = await readYtdlpState(db)
    if (state.source === 'system') return 'skipped'
    const last = state.checked_at ? Date.parse(state.checked_at) : 0
    if (this.clock() - last < every) return 'not due'
    try {
      const r = await this.updater.update()
      if (r.outcome === 'up-to-date') log(`yt-dlp auto-update: ${r.version} is current`)
      return r.outcome
    } catch (err) {
      log(`yt-dlp auto-update failed, keeping the yt-dlp in use: ${err instanceof Error ? err.message : err}`)
      return 'failed'
    }
  }
}
