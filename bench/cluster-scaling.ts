// Scaling: the same download job on 1, 2 and 3 worker nodes, each with its own source address,
// against a site that limits every address to the same rate (the fixture's per-client throttle).
// A UI-only `serve` (NODE_ROLES=none) plans the job on PostgreSQL; the workers do every download.
import type { FixtureItem, MediaServer } from '../tests/fixtures/media-server'
import type { Cluster } from '../tests/helpers/postgres-cluster'
import { removeTracked, trackDir } from './cleanup'
import { median, ratio, sec, table, tempDir } from './lib'
import { loadAverage, type Node, startServe, startWorker } from './nodes'

export interface ScalingOptions {
  /** Items in the job: a multiple of 12 fills whole rounds of 2-item chunks on 1, 2 and 3 nodes of 2 slots each. */
  items: number
  /** Each item: a 320x240 video of this many seconds with AAC audio. */
  seconds: number
  /** Bytes per second per client address; item bytes × items ÷ this = one node's ideal time. */
  perAddress: number
  /** DOWNLOAD_CONCURRENCY of each worker: 2 keeps the address busy while the next yt-dlp starts. */
  concurrency: number
  repeat: number
  nodeCounts: number[]
}

interface Run {
  nodes: number
  /** POST of the job → the job row says completed (what a user waits for). */
  jobMs: number
  /** POST of the job → the last media body sent to its end. */
  transferMs: number
  loadStart: string
  loadEnd: string
  byAddress: Record<string, number>
  anomaly?: string
  phases: Phases
}

/** Where the time of one run went (ms from the POST of the job). */
interface Phases {
  /**
   * The first media response to end (the fixture counts a response's bytes when it ends): in
   * practice the first item sent whole, so a yt-dlp start plus one item at its share of the rate.
   */
  firstByte: number
  /** Per address: its last body sent to the end. */
  lastByAddress: Record<string, number>
  /** Items per address. */
  itemsByAddress: Record<string, number>
  /** The last body sent → the job row says completed (the owner's recount, at its next poll). */
  endLag: number
}

function phases(media: MediaServer, names: string[], firstByte: Map<string, number>, sentAt: Map<string, number>, jobMs: number): Phases {
  const addressOf = new Map<string, string>()
  // The last GET of an item's media is its download (the first is yt-dlp's sniff).
  for (const r of media.requestLog()) {
    const m = /^\/media\/([^.]+)\./.exec(r.path)
    if (m && r.method === 'GET') addressOf.set(m[1], r.from)
  }
  const lastByAddress: Record<string, number> = {}
  const itemsByAddress: Record<string, number> = {}
  for (const x of names) {
    const a = addressOf.get(x) ?? '?'
    itemsByAddress[a] = (itemsByAddress[a] ?? 0) + 1
    lastByAddress[a] = Math.max(lastByAddress[a] ?? 0, sentAt.get(x) ?? jobMs)
  }
  const lastSent = Math.max(...names.map((x) => sentAt.get(x) ?? jobMs))
  return { firstByte: Math.min(...names.map((x) => firstByte.get(x) ?? jobMs)), lastByAddress, itemsByAddress, endLag: jobMs - lastSent }
}

const FINAL = ['completed', 'failed', 'cancelled', 'interrupted']

async function runOnce(media: MediaServer, pg: Cluster, feed: string, names: string[], n: number, o: ScalingOptions): Promise<Run> {
  const loadStart = await loadAverage()
  const dataDir = trackDir(tempDir(`scale${n}`))
  const common = { DATABASE_URL: await pg.createDatabase(), DATA_DIR: dataDir, SOCKET_TIMEOUT: '20', DOWNLOAD_CONCURRENCY: String(o.concurrency) }
  const started: Node[] = []
  const stagings: string[] = []
  try {
    const serve = await startServe({ ...common, NODE_NAME: 'front', NODE_ROLES: 'none' })
    started.push(serve)
    for (let i = 0; i < n; i++) {
      const staging = trackDir(tempDir(`stage-w${i + 2}`))
      stagings.push(staging)
      started.push(await startWorker({ ...common, NODE_NAME: `w${i + 2}`, SOURCE_ADDRESS: `127.0.0.${i + 2}`, STAGING_DIR: staging }))
    }
    const add = await serve.json('POST', '/api/playlists', { url: feed })
    if (add.status !== 201) throw new Error(`adding the feed: ${add.status} ${JSON.stringify(add.json)}`)
    media.resetCounts()
    const t0 = performance.now()
    const job = await serve.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
    if (job.status !== 202) throw new Error(`creating the job: ${job.status} ${JSON.stringify(job.json)}`)
    let transferMs = 0
    // Per item: when a response for it first ended and when it was sent to its end, sampled
    // with the job poll; which address fetched it comes from the request log.
    const firstByte = new Map<string, number>()
    const sentAt = new Map<string, number>()
    const sample = () => {
      const at = performance.now() - t0
      for (const x of names) {
        const t = media.transfers(x)
        if (t.bytes > 0 && !firstByte.has(x)) firstByte.set(x, at)
        if (t.complete >= 1 && !sentAt.has(x)) sentAt.set(x, at)
      }
    }
    // Polled 5 times a second (a job card polls once): the poll itself should not load the serve node.
    let done: any
    for (const deadline = t0 + 15 * 60_000; performance.now() < deadline; await Bun.sleep(200)) {
      sample()
      if (!transferMs && sentAt.size === names.length) transferMs = performance.now() - t0
      const j = (await serve.json('GET', `/api/jobs/${job.json.id}`)).json
      if (FINAL.includes(j.status)) {
        done = j
        break
      }
    }
    if (!done) throw new Error('the download job did not end within 15 min')
    const jobMs = performance.now() - t0
    // A job that ends short of its items, or an item sent twice, is an engine fault: kept out of the
    // medians, reported with the job row, and the node logs go to stderr for the investigation.
    const sent = names.map((x) => media.transfers(x).complete)
    let anomaly: string | undefined
    if (done.status !== 'completed' || done.download_completed !== names.length || sent.some((c) => c !== 1)) {
      const { status, download_total, download_completed, download_failed, error } = done
      anomaly = `job ${status}, ${JSON.stringify({ download_total, download_completed, download_failed, error })}, bodies sent per item ${JSON.stringify(sent)}`
      console.error(`ANOMALY (${n} nodes): ${anomaly}\n${started.map((x) => `--- ${x.name}\n${x.output().slice(-4000)}`).join('\n')}`)
    }
    const byAddress = media.mediaRequestsByClient()
    return {
      nodes: n,
      jobMs,
      transferMs: transferMs || jobMs,
      loadStart,
      loadEnd: await loadAverage(),
      byAddress,
      anomaly,
      phases: phases(media, names, firstByte, sentAt, jobMs),
    }
  } finally {
    for (const node of started.reverse()) await node[Symbol.asyncDispose]()
    for (const d of [dataDir, ...stagings]) removeTracked(d)
  }
}

export async function scaling(media: MediaServer, pg: Cluster, o: ScalingOptions, log: (m: string) => void) {
  const items: FixtureItem[] = Array.from({ length: o.items }, (_, i) => ({
    name: `sc${String(i).padStart(2, '0')}`,
    title: `Scale ${i}`,
    seconds: o.seconds,
    width: 320,
    height: 240,
    audioCodec: 'aac',
    audioBitrate: '128k',
  }))
  const feed = await media.addFeed('scaling', { title: 'Scaling', items })
  const names = items.map((i) => i.name)
  const itemBytes = Number((await fetch(media.mediaUrl(names[0]), { method: 'HEAD' })).headers.get('content-length'))
  const totalBytes = itemBytes * o.items
  media.setClientThrottle(o.perAddress)
  const runs: Run[] = []
  try {
    for (let r = 0; r < o.repeat; r++) {
      // Interleaved, the order reversed every other repeat, so a drift in the machine's load hits every row.
      const order = r % 2 === 0 ? o.nodeCounts : [...o.nodeCounts].reverse()
      for (const n of order) {
        const run = await runOnce(media, pg, feed, names, n, o)
        runs.push(run)
        log(
          `scaling ${r + 1}/${o.repeat}: ${n} node(s): ${run.anomaly ? `FAULT ${run.anomaly}; ` : ''}job ${sec(run.jobMs)} s, transfers ${sec(run.transferMs)} s, load ${run.loadStart} → ${run.loadEnd}`,
        )
      }
    }
  } finally {
    media.setClientThrottle(null)
  }
  const of = (n: number) => runs.filter((r) => r.nodes === n && !r.anomaly)
  const base = median(of(1).map((r) => r.jobMs))
  const baseTransfer = median(of(1).map((r) => r.transferMs))
  const ideal = (totalBytes / o.perAddress) * 1000
  const rows = o.nodeCounts.map((n) => {
    const rs = of(n)
    const job = median(rs.map((r) => r.jobMs))
    const transfer = median(rs.map((r) => r.transferMs))
    return [
      `${n} node${n > 1 ? 's' : ''}`,
      runs
        .filter((r) => r.nodes === n)
        .map((r) => (r.anomaly ? `(${sec(r.jobMs)}: ended short, left out)` : sec(r.jobMs)))
        .join(', '),
      sec(job),
      (((totalBytes / (job / 1000)) * 8) / 1e6).toFixed(2),
      ratio(base, job),
      ratio(baseTransfer, transfer),
      sec(ideal / n),
      rs.map((r) => `${r.loadStart.split(' ')[0]} → ${r.loadEnd.split(' ')[0]}`).join('; '),
    ]
  })
  const figures: Record<string, number> = {}
  for (const n of o.nodeCounts) figures[`speedup${n}`] = base / median(of(n).map((r) => r.jobMs))
  for (const n of o.nodeCounts) figures[`transferSpeedup${n}`] = baseTransfer / median(of(n).map((r) => r.transferMs))
  const markdown = [
    `Workload: a \`download\` job of ${o.items} items × ${o.seconds} s (320x240, AAC 128k; ${(itemBytes / 1e6).toFixed(2)} MB each, ${(totalBytes / 1e6).toFixed(1)} MB in all), ` +
      `every client address limited to ${(o.perAddress / 1e3).toFixed(0)} kB/s over all its connections, ${o.concurrency} downloads at a time per worker; ` +
      `PostgreSQL; ${o.repeat} repeats, interleaved (order reversed every other repeat), median shown.`,
    '',
    table(
      [
        'nodes',
        'job walls s (each repeat)',
        'median job s',
        'Mbit/s',
        '× one node (job)',
        '× one node (transfers)',
        'throttle alone s',
        'load avg 1 min, start → end (each repeat)',
      ],
      rows,
    ),
    '',
    `- job = the POST of the job → its row says completed; transfers = the POST → the last media body sent to its end. "throttle alone" = the bytes ÷ (nodes × the per-address rate), no overhead at all.`,
    '',
    'Where the time went (median over the repeats; ms from the POST of the job):',
    '',
    table(
      ['nodes', 'first response ended s', 'each address done s (items)', 'first → last address done s', 'last body → job completed s'],
      o.nodeCounts.map((n) => {
        const rs = of(n)
        const last = rs.at(-1)?.phases
        const spread = (p: Phases) => Math.max(...Object.values(p.lastByAddress)) - Math.min(...Object.values(p.lastByAddress))
        return [
          `${n}`,
          sec(median(rs.map((r) => r.phases.firstByte))),
          last
            ? Object.keys(last.lastByAddress)
                .sort()
                .map((a) => `${a.split('.').at(-1)}: ${sec(last.lastByAddress[a])} (${last.itemsByAddress[a]})`)
                .join(', ') + ' (last repeat)'
            : '',
          sec(median(rs.map((r) => spread(r.phases)))),
          sec(median(rs.map((r) => r.phases.endLag))),
        ]
      }),
    ),
    '',
    ...runs.filter((r) => r.anomaly).map((r) => `- **fault** on ${r.nodes} node(s): ${r.anomaly}`),
    `- media requests per address (last run of each): ${o.nodeCounts.map((n) => `${n}: ${JSON.stringify(of(n).at(-1)?.byAddress)}`).join('; ')}`,
  ].join('\n')
  return { markdown, figures, runs }
}
