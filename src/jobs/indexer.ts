import { Unprocessable } from '../errors'
import { checkUrlTarget } from '../library/urls'
import { runTool, ToolMissingError } from '../tools/spawn'
import { buildIndexArgs, parseIndex, VIDEOS_ONLY, type IndexResult, type TabChoice } from '../tools/ytdlp'
import { urlGuardOf, type AppContext } from './context'
import { ytdlpCommon } from './ytdlp-options'
import { explainYtdlpError } from './ytdlp-failure'

export class IndexError extends Unprocessable {
  /** yt-dlp's own line, for the job log; the message is our reading of it. */
  constructor(message: string, readonly raw: string | null = null) {
    super(message)
  }
}

/** A channel's /playlists tab can list hundreds: each is one more yt-dlp run. */
export const MAX_NESTED_LISTS = 100

/** One `yt-dlp --flat-playlist -J -- URL`: lists entries without downloading anything. */
async function indexOnce(ctx: AppContext, url: string, extractor: string | null, tabs: TabChoice): Promise<IndexResult> {
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
    return parseIndex(res.stdout, url, tabs)
  } catch (err) {
    throw new IndexError(`yt-dlp returned unreadable output: ${err instanceof Error ? err.message : err}`)
  }
}

/**
 * Reads the lists an index named by URL only (channel tabs, a channel's playlists) with
 * `read`, one level deep, and appends their entries in order. A list that cannot be read
 * fails the whole index: its entries would otherwise be marked gone upstream.
 */
export async function expandNested(top: IndexResult, read: (url: string) => Promise<IndexResult>): Promise<IndexResult> {
  if (top.nested.length === 0) return top
  const entries = [...top.entries]
  for (const url of top.nested.slice(0, MAX_NESTED_LISTS)) entries.push(...(await read(url)).entries)
  return { ...top, entries: entries.map((e, i) => ({ ...e, position: i + 1 })), nested: [] }
}

/** Lists a playlist, channel or feed; for a channel, the tabs in `tabs` (Videos always). */
export async function indexPlaylist(ctx: AppContext, url: string, extractor: string | null = null, tabs: TabChoice = VIDEOS_ONLY): Promise<IndexResult> {
  const top = await indexOnce(ctx, url, extractor, tabs)
  return expandNested(top, async (nested) => {
    // A URL from yt-dlp's output is remote text: it meets the same SSRF check as one typed in.
    await checkUrlTarget(nested, urlGuardOf(ctx))
    return indexOnce(ctx, nested, null, tabs)
  })
}
