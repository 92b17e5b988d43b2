// Cluster benchmark, the node part (issue 15): scaling over 1-3 worker nodes under a per-address
// throttle, PostgreSQL's single-node overhead against SQLite, and claim throughput.
//
//   bun bench/cluster.ts                 # all three parts, ~15 min on a loaded 2-core machine (`bun run bench:cluster` also runs bench/cluster-scale.ts)
//   CLUSTER_PARTS=scaling,store,claims CLUSTER_REPEAT=2 bun bench/cluster.ts
//
// Starts its own throwaway PostgreSQL (tests/helpers/postgres-cluster.ts: 127.0.0.1, stopped when
// this process ends however it ends) and the fixture media server; every node process and temp
// dir is registered with bench/cleanup.ts and undone on exit, error or Ctrl-C. All traffic is
// loopback: the nodes fetch from 127.0.0.1 out of 127.0.0.2, .3 and .4.
import { spawnSync } from 'node:child_process'
import { startMediaServer } from '../tests/fixtures/media-server'
import { cluster, postgresMissing } from '../tests/helpers/postgres-cluster'
import { cleanupAll } from './cleanup'
import { claims } from './cluster-claims'
import { scaling } from './cluster-scaling'
import { storeOverhead } from './cluster-store'
import { machine, sec, table } from './lib'
import { loadAverage } from './nodes'

const parts = (process.env.CLUSTER_PARTS ?? 'scaling,store,claims').split(',')
const repeat = Number(process.env.CLUSTER_REPEAT ?? 2)

async function main() {
  const missing = postgresMissing()
  if (missing) throw new Error(`the cluster benchmark needs PostgreSQL: ${missing}`)
  const started = Date.now()
  const log = (m: string) => console.error(`[${sec(Date.now() - started)} s] ${m}`)
  const out: string[] = [
    `Machine: ${machine()}; yt-dlp ${spawnSync('yt-dlp', ['--version']).stdout.toString().trim()}, PostgreSQL ${spawnSync('pg_config', ['--version']).stdout.toString().trim()}`,
    `Date: ${new Date().toISOString()}; load average at the start: ${await loadAverage()}`,
    '',
  ]
  const pg = await cluster()
  const media = await startMediaServer()
  const targets: (string | number)[][] = []
  try {
    if (parts.includes('scaling')) {
      const r = await scaling(
        media,
        pg,
        {
          items: Number(process.env.CLUSTER_ITEMS ?? 24),
          seconds: 60,
          perAddress: Number(process.env.CLUSTER_PER_ADDRESS ?? 400_000),
          concurrency: 2,
          repeat,
          nodeCounts: [1, 2, 3],
        },
        log,
      )
      out.push('#### Scaling: download throughput on 1, 2 and 3 nodes', '', r.markdown, '')
      targets.push(['3 nodes ≥ 2.7 × one node (job wall)', r.figures.speedup3.toFixed(2), r.figures.speedup3 >= 2.7 ? 'met' : 'not met'])
    }
    if (parts.includes('store')) {
      const r = await storeOverhead(media, pg, repeat, log)
      out.push('#### Single-node overhead: PostgreSQL ÷ SQLite', '', r.markdown, '')
      targets.push([
        'PostgreSQL single node ÷ SQLite single node ≤ 1.05 (job, median)',
        r.figures.jobMedian.toFixed(3),
        r.figures.jobMedian <= 1.05 ? 'met' : 'not met',
      ])
    }
    if (parts.includes('claims')) {
      const r = await claims(pg, { backlog: Number(process.env.CLUSTER_BACKLOG ?? 2000), repeat }, log)
      out.push('#### Claim throughput', '', r.markdown, '')
      targets.push(['claims per second, 3 processes on PostgreSQL', r.figures.postgres3.toFixed(0), '(reported)'])
    }
  } finally {
    await media.stop()
    await cleanupAll()
  }
  out.push(table(['target', 'result', ''], targets), '', `Load average at the end: ${await loadAverage()}; total ${sec(Date.now() - started)} s`)
  console.log(out.join('\n'))
}

await main()
