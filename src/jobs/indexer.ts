import { Unprocessable } from '../errors'
import { runTool, ToolMissingError } from '../tools/spawn'
import { buildIndexArgs, cleanYtdlpError, parseIndex, type IndexResult } from '../tools/ytdlp'
import type { AppContext } from './context'
import { ytdlpInvocation } from '../ytdlp/which'

export class IndexError extends Unprocessable {}

/** `yt-dlp --flat-playlist -J -- URL`: lists a playlist's entries without downloading anything. */
export async function indexPlaylist(ctx: AppContext, url: string, extractor: string | null = null): Promise<IndexResult> {
  const { config } = ctx
  const ytdlp = await ytdlpInvocation(ctx)
  const args = buildIndexArgs(ytdlp.path, url, { socketTimeout: config.socketTimeout, cookiesFile: config.cookiesFile, extractor, runtimeArgs: ytdlp.args })
  let res: Awaited<ReturnType<typeof runTool>>
  try {
    res = await runTool(args, { timeoutMs: 10 * 60_000, env: ytdlp.env, label: 'yt-dlp' })
  } catch (err) {
    if (err instanceof ToolMissingError) throw err
    throw new IndexError(`yt-dlp could not be run: ${err instanceof Error ? err.message : err}`)
  }
  if (res.code !== 0 || !res.stdout.trim()) throw new IndexError(`yt-dlp cannot read this URL: ${cleanYtdlpError(res.stderr || res.stdout)}`)
  try {
    return parseIndex(res.stdout, url)
  } catch (err) {
    throw new IndexError(`yt-dlp returned unreadable output: ${err instanceof Error ? err.message : err}`)
  }
}
