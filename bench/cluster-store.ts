// Single-node overhead of PostgreSQL: workload A of bench/pipeline.ts (a `both` job, mp3) run by
// one node on each store, through bench/run-job.ts joined to the cluster as `serve` is.
import type { MediaServer } from '../tests/fixtures/media-server'
import type { Cluster } from '../tests/helpers/postgres-cluster'
import { removeTracked, trackDir } from './cleanup'
import { median, mib, ratio, runJob, sec, table, tempDir, type JobRunResult } from './lib'
import { loadAverage } from './nodes'
import { A } from './pipeline'

type Store = 'sqlite' | 'postgres'

interface Sample {
  store: Store
  /** Whole child process (start, open, the job, stop). */
  wallMs: number
  /** Inside the job: created → done. */
  jobMs: number
  cpuMs: number
  rssKb: number
  writes: number
  loadStart: string
  loadEnd: string
}

async function once(pg: Cluster, feed: string, store: Store): Promise<Sample> {
  const loadStart = await loadAverage()
  const dataDir = trackDir(tempDir(`store-${store}`))
  try {
    const env: Record<string, string> = { AUDIO_FORMAT: 'mp3', ...(store === 'postgres' ? { DATABASE_URL: await pg.createDatabase() } : {}) }
    await runJob({ dataDir, feedUrl: feed, steps: ['add'], env, node: true })
    const r: JobRunResult = await runJob({ dataDir, feedUrl: feed, steps: ['both'], env, node: true })
    const step = r.results[0]
    return {
      store,
      wallMs: r.wallMs,
      jobMs: step.wallMs,
      cpuMs: r.cpuMs,
      rssKb: r.peakRssKb,
      writes: step.writes.total,
      loadStart,
      loadEnd: await loadAverage(),
    }
  } finally {
    removeTracked(dataDir)
  }
}

export async function storeOverhead(media: MediaServer, pg: Cluster, repeat: number, log: (m: string) => void) {
  const feed = await media.addFeed('storeA', { title: 'Store A', items: A.items })
  media.setThrottle(A.throttle)
  const samples: Sample[] = []
  try {
    for (let r = 0; r < repeat; r++) {
      const order: Store[] = r % 2 === 0 ? ['sqlite', 'postgres'] : ['postgres', 'sqlite']
      for (const store of order) {
        const s = await once(pg, feed, store)
        samples.push(s)
        log(`store ${r + 1}/${repeat}: ${store}: job ${sec(s.jobMs)} s, process ${sec(s.wallMs)} s, load ${s.loadStart} → ${s.loadEnd}`)
      }
    }
  } finally {
    media.setThrottle(null)
  }
  const of = (s: Store) => samples.filter((x) => x.store === s)
  const med = (s: Store, k: 'wallMs' | 'jobMs' | 'cpuMs' | 'rssKb' | 'writes') => median(of(s).map((x) => x[k]))
  const best = (s: Store, k: 'wallMs' | 'jobMs') => Math.min(...of(s).map((x) => x[k]))
  const row = (s: Store, label: string) => [
    label,
    of(s)
      .map((x) => sec(x.jobMs))
      .join(', '),
    sec(med(s, 'jobMs')),
    sec(best(s, 'jobMs')),
    sec(med(s, 'wallMs')),
    sec(med(s, 'cpuMs')),
    mib(med(s, 'rssKb')),
    med(s, 'writes'),
    of(s)
      .map((x) => `${x.loadStart.split(' ')[0]} → ${x.loadEnd.split(' ')[0]}`)
      .join('; '),
  ]
  const figures = {
    jobMedian: med('postgres', 'jobMs') / med('sqlite', 'jobMs'),
    jobBest: best('postgres', 'jobMs') / best('sqlite', 'jobMs'),
    process: med('postgres', 'wallMs') / med('sqlite', 'wallMs'),
    cpu: med('postgres', 'cpuMs') / med('sqlite', 'cpuMs'),
  }
  const markdown = [
    `Workload ${A.title}; one node (the job layer in its own process, joined to the cluster as \`serve\` is: heartbeat, item leases); ${repeat} repeats per store, interleaved (order swapped every other repeat).`,
    '',
    table(
      [
        'store',
        'job walls s (each repeat)',
        'median job s',
        'best job s',
        'median process s',
        'median CPU s',
        'peak RSS MiB',
        'write statements',
        'load avg 1 min, start → end',
      ],
      [row('sqlite', 'SQLite'), row('postgres', 'PostgreSQL')],
    ),
    '',
    `- PostgreSQL ÷ SQLite: job **${figures.jobMedian.toFixed(3)}** (median), ${figures.jobBest.toFixed(3)} (best); whole process ${ratio(med('postgres', 'wallMs'), med('sqlite', 'wallMs'))}; CPU of the node and its tools ${ratio(med('postgres', 'cpuMs'), med('sqlite', 'cpuMs'))} (PostgreSQL's own server processes not included).`,
  ].join('\n')
  return { markdown, figures }
}
