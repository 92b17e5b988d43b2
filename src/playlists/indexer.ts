import type { Config } from '../config'
import { Invalid } from '../errors'
import { checkUrlTarget } from '../library/urls'
import { runTool, ToolMissingError } from '../tools/spawn'
import { buildIndexArgs, parseIndex, VIDEOS_ONLY, type IndexResult, type TabChoice } from '../tools/ytdlp'
import { urlGuardOf, type AppContext } from '../context'
import { ytdlpCommon } from '../ytdlp/options'
import { explainYtdlpError } from '../ytdlp/failure'
import { Slots } from '../library/slots'
import { ytdlpInvocation } from '../ytdlp/which'

export class IndexError extends Invalid {
  /** yt-dlp's own line, for the job log; the message is our reading of it. */
  constructor(
    message: string,
    readonly raw: string | null = null,
  ) {
    super(message)
  }
}

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

/** A channel's /playlists tab can list hundreds: each is one more yt-dlp run. */
export const MAX_NESTED_LISTS = 100

/** One `yt-dlp --flat-playlist -J -- URL`: lists entries without downloading anything. */
async function indexOnce(ctx: AppContext, url: string, extractor: string | null, tabs: TabChoice): Promise<IndexResult> {
  const { config } = ctx
  const ytdlp = await ytdlpInvocation(ctx)
  const args = buildIndexArgs(ytdlp.path, url, { ...ytdlpCommon(config), extractor, runtimeArgs: ytdlp.args })
  let res: Awaited<ReturnType<typeof runTool>>
  try {
    res = await runTool(args, { timeoutMs: 10 * 60_000, env: ytdlp.env, label: 'yt-dlp' })
  } catch (err) {
    if (err instanceof ToolMissingError) throw err
    throw new IndexError(`yt-dlp could not be run: ${err instanceof Error ? err.message : err}`)
  }
  if (res.code !== 0 || !res.stdout.trim()) {
    const failure = await explainYtdlpError(ytdlp.path, res.stderr || res.stdout, url)
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
  return { ...top, entries: entries.map((e, i) => ({ ...e, position: i + 1 })), nested: [], single: false }
}

export interface IndexOptions {
  extractor?: string | null
  /** For a channel, the tabs besides Videos. */
  tabs?: TabChoice
  /** A client waiting for the answer gets a 503 rather than a long queue. */
  refuseWhenBusy?: boolean
}

/**
 * Lists a playlist, channel or feed. The whole listing, nested lists included, holds one
 * index slot: a channel's tabs are read one after another, never side by side.
 */
export async function indexPlaylist(ctx: AppContext, url: string, opts: IndexOptions = {}): Promise<IndexResult> {
  const tabs = opts.tabs ?? VIDEOS_ONLY
  const run = async () => {
    const top = await indexOnce(ctx, url, opts.extractor ?? null, tabs)
    return expandNested(top, async (nested) => {
      // A URL from yt-dlp's output is remote text: it meets the same SSRF check as one typed in.
      await checkUrlTarget(nested, urlGuardOf(ctx))
      return indexOnce(ctx, nested, null, tabs)
    })
  }
  return indexSlots(ctx.config).run(run, { refuseWhenFull: opts.refuseWhenBusy ?? false })
}
