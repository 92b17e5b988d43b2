// Cluster benchmark, scale part: an archive of 100,000 entries over 200 playlists, on SQLite and
// on PostgreSQL, side by side.
//
//   bun run bench:cluster-scale      # SCALE_ENTRIES=100000 SCALE_PLAYLISTS=200 SCALE_BIG=5000
//                                    # SCALE_STORES=sqlite,postgres SCALE_DOWNLOAD=1
//                                    # SCALE_EXPLAIN=1: also the plans of the home page's queries
//
// Per store:
//  1. 199 playlists of ~477 entries are stored through the indexing code's own repository calls
//     (insertPlaylist + applyIndex, what findOrAddPlaylist does after yt-dlp), from the entries
//     of ONE real yt-dlp index of a fixture feed, renamed per playlist. 199 real yt-dlp runs would
//     add minutes per store and measure nothing: the measured index is the 200th.
//  2. The real server (bench/serve-child.ts) starts on that archive; the 200th playlist, a
//     5,000-entry fixture feed, is added through POST /api/playlists: real yt-dlp, real path.
//     Its wall time minus yt-dlp's own enumeration of the same feed (median of 3) is the
//     index time beyond enumeration.
//  3. A download job of all 5,000 entries runs on the server (memory under work; SCALE_DOWNLOAD=0
//     skips it), then 1,000 finished jobs over the 200 playlists, reaching back 30 days, are
//     seeded through the repository, and the pages are timed: 40 sequential GETs after 5 warm-ups.
//  4. Peak RSS is the server child's VmHWM.
// The PostgreSQL store is a throwaway cluster (tests/helpers/postgres-cluster.ts) on 127.0.0.1,
// started by this process and removed when it exits.
import { CompiledQuery, type KyselyPlugin, type PluginTransformQueryArgs, type RootOperationNode } from 'kysely'
import { parseConfig } from '../src/config'
import { isPostgres } from '../src/db/dialect'
import { insertPlaylist, listPlaylists } from '../src/db/playlists'
import { applyIndex } from '../src/db/videos'
import { now } from '../src/db/time'
import { indexPlaylist } from '../src/playlists/indexer'
import { uniqueFolder } from '../src/playlists/service'
import { openContext } from '../src/server'
import pg from 'pg'
import { startMediaServer } from '../tests/fixtures/media-server'
import { cluster, postgresMissing } from '../tests/helpers/postgres-cluster'
import {
  api,
  jobMs,
  machine,
  measure,
  median,
  procStatus,
  removeDir,
  type RouteTime,
  type ServerChild,
  sec,
  seedFinishedJobs,
  startServerChild,
  table,
  tempDir,
  timeRoute,
  waitJob,
} from './lib'

const ENTRIES = Number(process.env.SCALE_ENTRIES ?? 100_000)
const PLAYLISTS = Number(process.env.SCALE_PLAYLISTS ?? 200)
const BIG = Number(process.env.SCALE_BIG ?? 5000)
const DOWNLOAD = process.env.SCALE_DOWNLOAD !== '0'
const STORES = (process.env.SCALE_STORES ?? 'sqlite,postgres').split(',') as Store[]
const SEEDED_JOBS = 1000
const JOB_HISTORY_MS = 30 * 24 * 3600 * 1000
const ROUTE_SAMPLES = 40
const MB200 = 200 * 1024

type Store = 'sqlite' | 'postgres'
type Media = Awaited<ReturnType<typeof startMediaServer>>

/** One figure of one store: the cell's text and, for a row with a target, whether it is met. */
interface Cell {
  text: string
  ok?: boolean
}
type Results = Record<string, Cell>

interface Feeds {
  template: string
  big: string
  enumerateMs: number[]
}

const kb = (k: number) => `${(k / 1024).toFixed(0)} MiB`

async function prepareFeeds(media: Media, seededPer: number): Promise<Feeds> {
  const items = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, title: `${prefix} entry ${i}`, seconds: 1 }))
  const template = await media.addFeed('template', { title: 'Template', items: items('t', seededPer + 1) })
  const big = await media.addFeed('big', { title: 'Big playlist', items: items('b', BIG) })
  return { template, big, enumerateMs: [] }
}

/** yt-dlp's own enumeration of the big feed, as the indexer runs it minus yt-serve's work. */
async function enumerate(feed: string): Promise<number> {
  const m = await measure(['yt-dlp', '--ignore-config', '--no-colors', '--flat-playlist', '--dump-single-json', '--no-warnings', '--', feed])
  if (m.code !== 0) throw new Error(`yt-dlp enumeration failed: ${m.stderr}`)
  return m.wallMs
}

/**
 * The first PLAYLISTS − 1 playlists, through the repository calls an add makes after yt-dlp
 * has read the list. Entry counts are spread so the archive holds ENTRIES − BIG in all.
 */
async function seedArchive(env: Record<string, string>, feeds: Feeds): Promise<{ ms: number; playlistIds: number[] }> {
  const t0 = performance.now()
  const ctx = await openContext(parseConfig(env), () => {})
  try {
    const index = await indexPlaylist(ctx, feeds.template)
    const seeded = PLAYLISTS - 1
    const total = ENTRIES - BIG
    const ids: number[] = []
    for (let p = 0; p < seeded; p++) {
      const n = Math.floor(((p + 1) * total) / seeded) - Math.floor((p * total) / seeded)
      const title = `Seeded playlist ${p + 1}`
      const playlist = await insertPlaylist(ctx.db, {
        url: `${feeds.template}?copy=${p + 1}`,
        title,
        uploader: index.uploader,
        extractor: index.extractor,
        folder: await uniqueFolder(ctx, title),
        library_layout: ctx.config.libraryLayout,
        name_template: ctx.config.nameTemplate,
        indexed_at: now(),
      })
      // Distinct upstream ids and URLs per copy, as distinct playlists have.
      const entries = index.entries.slice(0, n).map((e) => ({
        ...e,
        source_id: `${e.source_id}#${p + 1}`,
        source_url: e.source_url ? `${e.source_url}?copy=${p + 1}` : e.source_url,
        title: `${e.title} (${p + 1})`,
      }))
      const diff = await applyIndex(ctx.db, playlist.id, entries)
      if (diff.added !== n) throw new Error(`seeded playlist ${p + 1}: ${diff.added} entries stored, ${n} expected`)
      ids.push(playlist.id)
    }
    return { ms: performance.now() - t0, playlistIds: ids }
  } finally {
    await ctx.db.destroy()
  }
}

/** Finished jobs over the playlists, round-robin; the ids of the last playlist's ones. */
async function seedJobs(env: Record<string, string>, playlistIds: number[]): Promise<number[]> {
  const ctx = await openContext(parseConfig(env), () => {})
  try {
    const ids = await seedFinishedJobs(ctx.db, playlistIds, SEEDED_JOBS, JOB_HISTORY_MS)
    return ids.filter((_id, i) => i % playlistIds.length === playlistIds.length - 1)
  } finally {
    await ctx.db.destroy()
  }
}

/** Records every SELECT a repository call compiles, to EXPLAIN it afterwards. */
class SelectRecorder implements KyselyPlugin {
  nodes: PluginTransformQueryArgs[] = []
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'SelectQueryNode') this.nodes.push(args)
    return args.node
  }
  async transformResult(args: { result: any }) {
    return args.result
  }
}

/** The plans of listPlaylists' queries (the home page's, /api/playlists'): EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite. */
async function explainListPlaylists(env: Record<string, string>): Promise<string> {
  const ctx = await openContext(parseConfig(env), () => {})
  try {
    const recorder = new SelectRecorder()
    await listPlaylists(ctx.db.withPlugin(recorder))
    const pg = isPostgres(ctx.db)
    const out: string[] = []
    for (const args of recorder.nodes) {
      const q = ctx.db.getExecutor().compileQuery(args.node, args.queryId)
      const { rows } = await ctx.db.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(`${pg ? 'explain (analyze, buffers)' : 'explain query plan'} ${q.sql}`, [...q.parameters]),
      )
      out.push(q.sql, ...rows.map((r) => `    ${String(r['QUERY PLAN'] ?? r.detail)}`), '')
    }
    return out.join('\n')
  } finally {
    await ctx.db.destroy()
  }
}

/** The PostgreSQL backends serving the server's pool (application_name yt-serve): their CPU counts too. */
async function backendPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query("select pid from pg_stat_activity where datname = current_database() and application_name = 'yt-serve'")
    return rows.map((r) => Number(r.pid))
  } finally {
    await client.end()
  }
}

async function runStore(store: Store, feeds: Feeds, dirs: string[]): Promise<Results> {
  const r: Results = {}
  const dataDir = tempDir(`scale100k-${store}`)
  dirs.push(dataDir)
  const env: Record<string, string> = { DATA_DIR: dataDir, ALLOW_PRIVATE_URLS: 'true', BATCH_SIZE: String(BIG), AUDIO_FORMAT: 'mp3' }
  if (store === 'postgres') env.DATABASE_URL = await (await cluster()).createDatabase()

  const seeded = await seedArchive(env, feeds)
  r.seed = { text: `${sec(seeded.ms)} s` }
  console.error(`${store}: ${ENTRIES - BIG} entries over ${PLAYLISTS - 1} playlists stored in ${sec(seeded.ms)} s`)

  let server: ServerChild | null = null
  try {
    server = await startServerChild(env)
    const base = server.url
    const pid = server.pid
    let rssMax = 0
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, procStatus(pid).rssKb)), 100)
    const hwmStart = procStatus(pid).hwmKb

    const enumMs: number[] = []
    for (let i = 0; i < 3; i++) enumMs.push(await enumerate(feeds.big))
    const enumMedian = median(enumMs)
    const t0 = performance.now()
    const big = await api(base, 'POST', '/api/playlists', { url: feeds.big })
    const addMs = performance.now() - t0
    if (big.added !== BIG) throw new Error(`${store}: the big playlist got ${big.added} entries, ${BIG} expected`)
    const beyond = addMs - enumMedian
    r.index = { text: `${sec(addMs)} − ${sec(enumMedian)} = ${sec(beyond)} s`, ok: beyond <= (2000 * BIG) / 5000 }
    const hwmIndexed = procStatus(pid).hwmKb
    console.error(`${store}: indexed ${big.added} in ${sec(addMs)} s (enumeration ${sec(enumMedian)} s), VmHWM ${kb(hwmIndexed)}`)

    let cardJob = 0
    let hwmDownloaded = hwmIndexed
    if (DOWNLOAD) {
      const dl = await api(base, 'POST', `/api/playlists/${big.id}/jobs`, { type: 'download' })
      const done = await waitJob(base, dl.id)
      hwmDownloaded = procStatus(pid).hwmKb
      r.download = { text: `${done.status}, ${done.download_completed}/${done.download_total} in ${sec(jobMs(done))} s` }
      console.error(
        `${store}: download job ${done.status} ${done.download_completed}/${done.download_total} in ${sec(jobMs(done))} s, VmHWM ${kb(hwmDownloaded)}`,
      )
      cardJob = dl.id
    } else r.download = { text: 'skipped' }
    clearInterval(sampler)

    const bigJobs = await seedJobs(env, [...seeded.playlistIds, big.id])
    if (!DOWNLOAD) cardJob = bigJobs.at(-1)!

    const routes: [string, string, boolean][] = [
      ['home', '/', true],
      ['playlist', `/playlists/${big.id}`, true],
      ['card', `/jobs/${cardJob}/card`, true],
      ['playlistLast', `/playlists/${big.id}?offset=${BIG - 100}`, false],
      ['seededPlaylist', `/playlists/${seeded.playlistIds[0]}`, false],
      ['activity', '/activity', false],
      ['apiPlaylist', `/api/playlists/${big.id}`, false],
      ['apiPlaylists', '/api/playlists', false],
    ]
    for (const [key, path, target] of routes) {
      await (await fetch(base + path)).arrayBuffer() // the pool's connection is open now
      const pids = [pid, ...(env.DATABASE_URL ? await backendPids(env.DATABASE_URL) : [])]
      const t: RouteTime = await timeRoute(base, path, ROUTE_SAMPLES, pids)
      const ok = t.status === 200 && (!target || t.median <= 50)
      r[key] = {
        text: `${t.median.toFixed(1)} / ${t.p95.toFixed(1)} ms, CPU ${t.cpuMs.toFixed(1)} ms${t.status === 200 ? '' : ` (HTTP ${t.status})`}`,
        ok: target ? ok : t.status === 200 ? undefined : false,
      }
      r[`${key}Bytes`] = { text: `${(t.bytes / 1024).toFixed(0)} KiB` }
      console.error(
        `${store}: GET ${path}: ${t.median.toFixed(1)} ms median, ${t.p95.toFixed(1)} ms p95, CPU ${t.cpuMs.toFixed(1)} ms/request (HTTP ${t.status})`,
      )
    }
    if (process.env.SCALE_EXPLAIN === '1') r.explain = { text: await explainListPlaylists(env) }
    const hwmEnd = procStatus(pid).hwmKb
    r.rss = { text: `${kb(hwmStart)} / ${kb(hwmIndexed)} / ${kb(hwmDownloaded)} / ${kb(hwmEnd)}`, ok: hwmEnd <= MB200 }
    r.rssSampled = { text: kb(rssMax) }
  } finally {
    await server?.stop()
  }
  return r
}

async function main() {
  const started = Date.now()
  const load0 = require('node:os').loadavg() as number[]
  const media = await startMediaServer()
  const dirs: string[] = []
  const results: Partial<Record<Store, Results>> = {}
  const notes: string[] = []
  try {
    const feeds = await prepareFeeds(media, Math.ceil((ENTRIES - BIG) / (PLAYLISTS - 1)))
    for (const store of STORES) {
      if (store === 'postgres' && postgresMissing()) {
        notes.push(`PostgreSQL skipped: ${postgresMissing()}`)
        continue
      }
      results[store] = await runStore(store, feeds, dirs)
    }
  } finally {
    await media.stop()
    for (const d of dirs) removeDir(d)
  }
  const load1 = require('node:os').loadavg() as number[]
  const cell = (s: Store, k: string) => results[s]?.[k]?.text ?? '—'
  const verdict = (k: string) => {
    const oks = STORES.map((s) => results[s]?.[k]?.ok)
    if (oks.every((o) => o === undefined)) return ''
    if (oks.every((o) => o === true)) return 'met'
    return `missed (${STORES.filter((_s, i) => oks[i] !== true).join(', ')})`
  }
  const row = (label: string, k: string, target = '') => [label, cell('sqlite', k), cell('postgres', k), target, verdict(k)]
  for (const s of STORES) {
    const r = results[s]
    if (r) r.sizes = { text: `${r.homeBytes?.text} · ${r.playlistBytes?.text} · ${r.cardBytes?.text}` }
  }
  const rows = [
    row(`store ${ENTRIES - BIG} entries over ${PLAYLISTS - 1} playlists (1 real yt-dlp index + repository inserts)`, 'seed'),
    row(
      `index the ${PLAYLISTS}th playlist, ${BIG} entries (POST /api/playlists, real yt-dlp) − yt-dlp's enumeration (median of 3)`,
      'index',
      `≤ ${sec((2000 * BIG) / 5000)} s beyond`,
    ),
    row(`download job of all ${BIG} entries of that playlist`, 'download'),
    row(`GET / (${PLAYLISTS} playlists, ${SEEDED_JOBS} finished jobs): median / p95 of ${ROUTE_SAMPLES}, server CPU per request`, 'home', '≤ 50 ms median'),
    row(`GET /playlists/:id (${BIG} entries, first page of 100): median / p95`, 'playlist', '≤ 50 ms median'),
    row('GET /jobs/:id/card (the finished download job): median / p95', 'card', '≤ 50 ms median'),
    row(`GET /playlists/:id?offset=${BIG - 100} (last page): median / p95`, 'playlistLast', '(for reference)'),
    row(`GET /playlists/:id (a seeded playlist of ~${Math.round((ENTRIES - BIG) / (PLAYLISTS - 1))}): median / p95`, 'seededPlaylist', '(for reference)'),
    row('GET /activity (job history, first page): median / p95', 'activity', '(for reference)'),
    row(`GET /api/playlists/:id (${BIG} entries, first 100): median / p95`, 'apiPlaylist', '(for reference)'),
    row(`GET /api/playlists (all ${PLAYLISTS} with counts): median / p95`, 'apiPlaylists', '(for reference)'),
    row('response sizes: / · /playlists/:id · card', 'sizes'),
    row('server peak RSS (VmHWM): at start / after the index / after the download job / at the end', 'rss', '≤ 200 MiB'),
    row('server VmRSS, sampled max during index + download', 'rssSampled'),
  ]
  const out = [
    `Machine: ${machine()}`,
    `Date: ${new Date().toISOString()}; load average (1/5/15 min) at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')}`,
    ...notes,
    '',
    table(['measurement', 'SQLite', 'PostgreSQL', 'target', ''], rows),
    '',
    `Total bench time: ${sec(Date.now() - started)} s`,
    ...STORES.flatMap((s) => (results[s]?.explain ? ['', `listPlaylists on ${s}:`, '', results[s]!.explain!.text] : [])),
  ]
  console.log(out.join('\n'))
}

if (import.meta.main) await main()
