import { Unprocessable } from '../errors'
import { runTool, ToolMissingError } from '../tools/spawn'
import { buildIndexArgs, parseIndex, type IndexResult } from '../tools/ytdlp'
import type { AppContext } from './context'
import { ytdlpCommon } from './ytdlp-options'
import { explainYtdlpError } from './ytdlp-failure'

export class IndexError extends Unprocessable {
  /** yt-dlp's own line, for the job log; the message is our reading of it. */
  constructor(message: string, readonly raw: string | null = null) {
    super(message)
  }
}

/** `yt-dlp --flat-playlist -J -- URL`: lists a playlist's entries without downloading anything. */
export async function indexPlaylist(ctx: AppContext, url: string, extractor: string | null = null): Promise<IndexResult> {
  const { config } = ctx
  const args = buildIndexArgs(config.ytdlpPath, url, { ...ytdlpCommon(config), extractor })
  let res: Awaited<ReturnType<typeof runTool>>
  try {
    res = await runTool(args, { timeoutMs: 10 * 60_000 })
  } catch (err) {
    if (err instanceof ToolMissingError) throw err
    throw new IndexError(`yt-dlp could not be run: ${err instanceof Error ? err.message : err}`)
  }
  if (res.code !== 0 || !res.stdout.trim()) {
    const failure = await explainYtdlpError(config.ytdlpPath, res.stderr || res.stdout, url)
    throw new IndexError(`yt-dlp cannot read this URL: ${failure.human}`, failure.raw)
  }
  try {
    return parseIndex(res.stdout, url)
  } catch (err) {
    throw new IndexError(`yt-dlp returned unreadable output: ${err instanceof Error ? err.message : err}`)
  }
}
