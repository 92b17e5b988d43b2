import { Elysia } from 'elysia'
import type { Config } from '../config'
import { freeBytes } from '../library/disk'
import { toolVersion } from '../tools/versions'
import { VERSION } from '../version'

export async function healthReport(config: Config) {
  const [ytdlp, ffmpeg, ffprobe] = await Promise.all([
    toolVersion(config.ytdlpPath, '--version'),
    toolVersion(config.ffmpegPath, '-version'),
    toolVersion(config.ffprobePath, '-version'),
  ])
  const missing = [ytdlp.version ? null : 'yt-dlp', ffmpeg.version ? null : 'ffmpeg', ffprobe.version ? null : 'ffprobe'].filter(Boolean)
  return { ok: missing.length === 0, missing, ytdlp, ffmpeg, ffprobe }
}

/**
 * Tool versions are looked up once a minute at most: each probe starts a process.
 * `storageProblem` says why the database can no longer be used (see JobManager.watchStorage).
 */
export function healthController(config: Config, storageProblem: () => string | null = () => null) {
  let cached: { at: number; report: Awaited<ReturnType<typeof healthReport>> } | null = null
  return new Elysia({ name: 'health' }).get('/api/health', async ({ set }) => {
    const lost = storageProblem()
    if (lost) {
      set.status = 503
      return { status: 'error', error: lost, version: VERSION }
    }
    if (!cached || Date.now() - cached.at > 60_000) cached = { at: Date.now(), report: await healthReport(config) }
    const r = cached.report
    const tools = { ytdlp: { path: r.ytdlp.path, version: r.ytdlp.version }, ffmpeg: { path: r.ffmpeg.path, version: r.ffmpeg.version } }
    if (!r.ok) {
      set.status = 503
      cached = null
      return { status: 'error', error: `missing: ${r.missing.join(', ')} (Debian: apt-get install yt-dlp ffmpeg)`, version: VERSION, ...tools }
    }
    // Read on every call (one statfs): monitoring wants it current.
    return { status: 'ok', version: VERSION, ...tools, disk_free_bytes: freeBytes(config.dataDir) }
  })
}
