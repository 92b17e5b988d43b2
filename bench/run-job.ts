// Runs yt-serve's job layer in its own process, so the parent can read this process's
// rusage after exit (wait4: it includes every yt-dlp/ffmpeg child this process waited for).
//
//   bun bench/run-job.ts '<json spec>'
//
// spec: { dataDir, feedUrl, steps: ("add" | "download" | "extract" | "both" | "reindex")[], env?: {...}, node?: true }
// env.DATABASE_URL runs it on that PostgreSQL database; node: true joins the cluster as `serve` does
// (heartbeat, item leases), for the single-node comparison of the two stores (bench/cluster-store.ts).
// Prints one JSON line: per-step wall times, SQLite write counts, per-item extraction times,
// and this process's own peak RSS (VmHWM).
import { readFileSync } from 'node:fs'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import { parseConfig } from '../src/config'
import { openStore } from '../src/cli/db-state'
import { migrateToLatest } from '../src/db/migrate'
import { findPlaylistByUrl } from '../src/db/playlists'
import type { AppContext } from '../src/context'
import { JobManager } from '../src/jobs/manager'
import { addPlaylist, reindexPlaylist } from '../src/playlists/service'

export interface RunSpec {
  dataDir: string
  feedUrl: string
  steps: ('add' | 'download' | 'extract' | 'both' | 'reindex')[]
  env?: Record<string, string>
  node?: boolean
}

export interface StepResult {
  step: string
  wallMs: number
  writes: WriteCounts
  /** Per-item extraction wall times (ms), from the item showing up as extracting to its result. */
  extractItemMs: number[]
  /** Highest number of SQLite write statements seen in any one-second window of this step. */
  maxWritesPerSec: number
  /** Job-row (progress) writes per second at most, over one-second windows. */
  maxJobWritesPerSec: number
  job?: Record<string, unknown>
  diff?: Record<string, unknown>
}

export interface WriteCounts {
  total: number
  byTable: Record<string, number>
  byKind: Record<string, number>
}

/** Counts every INSERT/UPDATE/DELETE Kysely compiles (transactions inherit plugins). */
class WriteCounter implements KyselyPlugin {
  log: { at: number; table: string; kind: string }[] = []
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const n = args.node as any
    const kind = n.kind as string
    if (kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode') {
      const tableNode = kind === 'InsertQueryNode' ? n.into : kind === 'UpdateQueryNode' ? n.table : n.from?.froms?.[0]
      const name = tableNode?.table?.identifier?.name ?? tableNode?.identifier?.name ?? 'unknown'
      this.log.push({ at: performance.now(), table: name, kind: kind.replace('QueryNode', '').toLowerCase() })
    }
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
  since(t0: number, t1: number) {
    const slice = this.log.filter((w) => w.at >= t0 && w.at <= t1)
    const counts: WriteCounts = { total: slice.length, byTable: {}, byKind: {} }
    for (const w of slice) {
      counts.byTable[w.table] = (counts.byTable[w.table] ?? 0) + 1
      counts.byKind[w.kind] = (counts.byKind[w.kind] ?? 0) + 1
    }
    const maxPerSec = (rows: typeof slice) => {
      let best = 0
      for (let i = 0, j = 0; j < rows.length; j++) {
        while (rows[j].at - rows[i].at >= 1000) i++
        best = Math.max(best, j - i + 1)
      }
      return best
    }
    return { counts, maxWritesPerSec: maxPerSec(slice), maxJobWritesPerSec: maxPerSec(slice.filter((w) => w.table === 'jobs')) }
  }
}

export function peakRssKb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Number(m[1]) : 0
}

async function main() {
  const t0 = performance.now()
  const spec = JSON.parse(process.argv[2]) as RunSpec
  const config = parseConfig({ DATA_DIR: spec.dataDir, ALLOW_PRIVATE_URLS: 'true', ...(spec.env ?? {}) })
  const counter = new WriteCounter()
  const raw = await openStore(config)
  await migrateToLatest(raw)
  const db = raw.withPlugin(counter)
  const ctx: AppContext = { db, config, log: () => {} }
  const manager = new JobManager(ctx)
  await manager.recover()
  if (spec.node) await manager.joinCluster('serve')
  const results: StepResult[] = []

  for (const step of spec.steps) {
    const s0 = performance.now()
    const extractStart = new Map<number, number>()
    const extractItemMs: number[] = []
    const unsub = manager.subscribe(({ type, job, item }) => {
      const at = performance.now()
      for (const c of job.current) if (c.phase === 'extract' && !extractStart.has(c.video_id)) extractStart.set(c.video_id, at)
      if (type === 'item' && item?.phase === 'extract' && extractStart.has(item.video_id)) extractItemMs.push(at - extractStart.get(item.video_id)!)
    })
    let job: Record<string, unknown> | undefined
    let diff: Record<string, unknown> | undefined
    if (step === 'add') {
      const existing = await findPlaylistByUrl(db, spec.feedUrl)
      if (!existing) diff = { added: (await addPlaylist(ctx, spec.feedUrl)).added }
    } else if (step === 'reindex') {
      const p = (await findPlaylistByUrl(db, spec.feedUrl))!
      diff = { ...(await reindexPlaylist(ctx, p)) }
    } else {
      const p = (await findPlaylistByUrl(db, spec.feedUrl))!
      const created = await manager.create(p.id, step)
      const done = await manager.waitFor(created.id)
      job = {
        status: done.status,
        error: done.error,
        download_completed: done.download_completed,
        download_failed: done.download_failed,
        extract_completed: done.extract_completed,
        extract_failed: done.extract_failed,
      }
    }
    unsub()
    const s1 = performance.now()
    const w = counter.since(s0, s1)
    results.push({
      step,
      wallMs: s1 - s0,
      writes: w.counts,
      extractItemMs,
      maxWritesPerSec: w.maxWritesPerSec,
      maxJobWritesPerSec: w.maxJobWritesPerSec,
      job,
      diff,
    })
  }
  await manager.shutdown()
  await raw.destroy()
  console.log(JSON.stringify({ results, procWallMs: performance.now() - t0, peakRssKb: peakRssKb() }))
}

if (import.meta.main) await main()
