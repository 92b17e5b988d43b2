import type { Config } from '../config'
import { Unprocessable } from '../errors'
import { runTool, ToolMissingError } from '../tools/spawn'
import { buildIndexArgs, cleanYtdlpError, parseIndex, type IndexResult } from '../tools/ytdlp'
import type { AppContext } from './context'
import { Slots } from './slots'

export class IndexError extends Unprocessable {}

/** Index requests beyond INDEX_CONCURRENCY that may wait; more get a 503. */
export const INDEX_QUEUE = 8
const INDEX_RETRY_AFTER_SECONDS = 5

/**
 * One set of slots per server (per config: tests run several in one process). Each
 * index is a yt-dlp of ~30 MB that may wait minutes on a slow site: 100 parallel adds
 * once meant 99 of them.
 */
const slotsByConfig = new WeakMap<Config, Slots>()
export function indexSlots(config: Config): Slots {
  let slots = slotsByConfig.get(config)
  if (!slots) slotsByConfig.set(config, (slots = new Slots('playlist indexes', config.indexConcurrency, INDEX_QUEUE, INDEX_RETRY_AFTER_SECONDS)))
  return slots
}

/**
 * `yt-dlp --flat-playlist -J -- URL`: lists a playlist's entries without downloading anything.
 * `refuseWhenBusy`: a client waiting for the answer gets a 503 rather than a long queue.
 */
export async function indexPlaylist(ctx: AppContext, url: string, opts: { extractor?: string | null; refuseWhenBusy?: boolean } = {}): Promise<IndexResult> {
  return indexSlots(ctx.config).run(() => runIndex(ctx, url, opts.extractor ?? null), { refuseWhenFull: opts.refuseWhenBusy ?? false })
}

async function runIndex(ctx: AppContext, url: string, extractor: string | null): Promise<IndexResult> {
  const { config } = ctx
  const args = buildIndexArgs(config.ytdlpPath, url, { socketTimeout: config.socketTimeout, cookiesFile: config.cookiesFile, extractor })
  let res: Awaited<ReturnType<typeof runTool>>
  try {
    res = await runTool(args, { timeoutMs: 10 * 60_000 })
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
