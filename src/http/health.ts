import { Elysia } from 'elysia'
import { mediaRoot } from '../library/paths'
import { readYtdlpState } from '../db/ytdlp'
import type { AppContext } from '../context'
import { freeBytes } from '../library/disk'
import { toolVersion } from '../tools/versions'
import { isStale } from '../tools/ytdlp-release'
import { VERSION } from '../version'
import { chooseYtdlp } from '../ytdlp/which'

export async function healthReport(ctx: Pick<AppContext, 'db' | 'config'>) {
  const { config } = ctx
  const choice = chooseYtdlp(config, await readYtdlpState(ctx.db))
  const [ytdlp, ffmpeg, ffprobe] = await Promise.all([
    toolVersion(choice.path, '--version'),
    toolVersion(config.ffmpegPath, '-version'),
    toolVersion(config.ffprobePath, '-version'),
  ])
  const missing = [ytdlp.version ? null : 'yt-dlp', ffmpeg.version ? null : 'ffmpeg', ffprobe.version ? null : 'ffprobe'].filter(Boolean)
  return { ok: missing.length === 0, missing, ytdlp: { ...ytdlp, source: choice.source, why: choice.why }, ffmpeg, ffprobe }
}

/**
 * Tool versions are looked up once a minute at most: each probe starts a process.
 * `storageProblem` says why the database can no longer be used (see JobManager.watchStorage).
 */
export function healthController(ctx: Pick<AppContext, 'db' | 'config'>, storageProblem: () => string | null = () => null) {
  const { config } = ctx
  let cached: { at: number; report: Awaited<ReturnType<typeof healthReport>> } | null = null
  return new Elysia({ name: 'health' }).get('/api/health', async ({ set }) => {
    const lost = storageProblem()
    if (lost) {
      set.status = 503
      return { status: 'error', error: lost, version: VERSION }
    }
    // A switch of yt-dlp (update, rollback, use-system) shows at once, not a minute later.
    const ytdlpPath = chooseYtdlp(config, await readYtdlpState(ctx.db)).path
    if (!cached || Date.now() - cached.at > 60_000 || cached.report.ytdlp.path !== ytdlpPath) cached = { at: Date.now(), report: await healthReport(ctx) }
    const r = cached.report
    const tools = {
      ytdlp: { path: r.ytdlp.path, version: r.ytdlp.version, source: r.ytdlp.source, why: r.ytdlp.why },
      // Sites break old yt-dlp releases: monitoring can alert before the downloads fail.
      ytdlp_stale: isStale(r.ytdlp.version),
      ffmpeg: { path: r.ffmpeg.path, version: r.ffmpeg.version },
    }
    if (!r.ok) {
      set.status = 503
      cached = null
      return { status: 'error', error: `missing: ${r.missing.join(', ')} (Debian: apt-get install yt-dlp ffmpeg)`, version: VERSION, ...tools }
    }
    // Read on every call (one statfs): monitoring wants it current.
    return { status: 'ok', version: VERSION, ...tools, disk_free_bytes: freeBytes(mediaRoot(config)) }
  })
}
