// Claim throughput: separate processes (bench/claim-child.ts) claim a seeded backlog of one
// running job through the real lease code, on PostgreSQL and, for reference, on one SQLite file.
import { join } from 'node:path'
import { migrateToLatest } from '../src/db/migrate'
import { insertJob, updateJob } from '../src/db/jobs'
import { openDatabase, type DB } from '../src/db/open'
import { insertPlaylist } from '../src/db/playlists'
import { openPostgres } from '../src/db/postgres'
import { applyIndex, claimDownloads } from '../src/db/videos'
import type { Cluster } from '../tests/helpers/postgres-cluster'
import { removeTracked, stopProcess, trackDir, trackProcess } from './cleanup'
import { median, ROOT, table, tempDir } from './lib'
import { loadAverage } from './nodes'

type Store = 'postgres' | 'sqlite'

interface ChildResult {
  node: string
  claimed: number
  chunks: number
  lost: number
  reads: number
  startedAt: number
  endedAt: number
}

interface ClaimRun {
  store: Store
  processes: number
  backlog: number
  perSecond: number
  wallMs: number
  lost: number
  chunks: number
  perProcess: number[]
  loadStart: string
  loadEnd: string
}

/** A playlist of `backlog` entries, all claimed by one running download job, as a serve node leaves them. */
async function seed(db: DB, backlog: number): Promise<number> {
  await migrateToLatest(db)
  const p = await insertPlaylist(db, { url: 'http://127.0.0.1:9/claims.xml', title: 'Claims', folder: 'Claims', uploader: null, indexed_at: null })
  const entries = Array.from({ length: backlog }, (_, i) => ({
    source_id: `c${i}`,
    position: i + 1,
    title: `C${i}`,
    uploader: null,
    duration: 1,
    source_url: `http://127.0.0.1:9/${i}.mp4`,
    thumbnail_url: null,
    upload_date: null,
    extractor: null,
  }))
  await applyIndex(db, p.id, entries)
  const job = await insertJob(db, p.id, 'download')
  await updateJob(db, job.id, { status: 'running', download_status: 'running', node: 'front' })
  const claimed = await claimDownloads(db, p.id, job.id, backlog)
  if (claimed.length !== backlog) throw new Error(`seeded ${claimed.length} of ${backlog}`)
  return job.id
}

async function readLine(reader: ReadableStreamDefaultReader<Uint8Array>, state: { buf: string }): Promise<string | null> {
  const dec = new TextDecoder()
  for (;;) {
    const nl = state.buf.indexOf('\n')
    if (nl >= 0) {
      const line = state.buf.slice(0, nl)
      state.buf = state.buf.slice(nl + 1)
      return line
    }
    const { value, done } = await reader.read()
    if (done) return null
    state.buf += dec.decode(value)
  }
}

async function runOnce(pg: Cluster, store: Store, processes: number, backlog: number): Promise<ClaimRun> {
  const loadStart = await loadAverage()
  const dir = trackDir(tempDir(`claims-${store}`))
  try {
    const target = store === 'postgres' ? { databaseUrl: await pg.createDatabase() } : { sqlitePath: join(dir, 'yt-serve.db') }
    const db = target.databaseUrl ? openPostgres(target.databaseUrl) : openDatabase(target.sqlitePath!)
    const jobId = await seed(db, backlog).finally(() => db.destroy())
    const children = Array.from({ length: processes }, (_, i) => {
      const proc = Bun.spawn([process.execPath, join(ROOT, 'bench/claim-child.ts'), JSON.stringify({ node: `c${i + 1}`, jobId, ...target })], {
        cwd: ROOT,
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: 'inherit',
      })
      return { proc, tracked: trackProcess(proc), reader: proc.stdout.getReader(), state: { buf: '' } }
    })
    try {
      for (const c of children) if ((await readLine(c.reader, c.state)) !== 'ready') throw new Error('a claimer did not start')
      for (const c of children) {
        c.proc.stdin.write('go\n')
        c.proc.stdin.flush()
      }
      const results: ChildResult[] = []
      for (const c of children) {
        const line = await readLine(c.reader, c.state)
        if (!line || (await c.proc.exited) !== 0) throw new Error(`a claimer failed (exit ${c.proc.exitCode})`)
        results.push(JSON.parse(line))
      }
      const claimed = results.reduce((s, r) => s + r.claimed, 0)
      if (claimed !== backlog) throw new Error(`claimed ${claimed} items of ${backlog}: an item was taken twice or not at all`)
      const wallMs = Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))
      return {
        store,
        processes,
        backlog,
        perSecond: claimed / (wallMs / 1000),
        wallMs,
        lost: results.reduce((s, r) => s + r.lost, 0),
        chunks: results.reduce((s, r) => s + r.chunks, 0),
        perProcess: results.map((r) => r.claimed),
        loadStart,
        loadEnd: await loadAverage(),
      }
    } finally {
      for (const c of children) await stopProcess(c.tracked)
    }
  } finally {
    removeTracked(dir)
  }
}

export async function claims(pg: Cluster, o: { backlog: number; repeat: number }, log: (m: string) => void) {
  const configs: [Store, number][] = [
    ['postgres', 3],
    ['postgres', 1],
    ['sqlite', 3],
    ['sqlite', 1],
  ]
  const runs: ClaimRun[] = []
  for (let r = 0; r < o.repeat; r++)
    for (const [store, n] of r % 2 === 0 ? configs : [...configs].reverse()) {
      const run = await runOnce(pg, store, n, o.backlog)
      runs.push(run)
      log(`claims ${r + 1}/${o.repeat}: ${store} × ${n}: ${run.perSecond.toFixed(0)} items/s (${run.lost} lost races), load ${run.loadStart} → ${run.loadEnd}`)
    }
  const rows = configs.map(([store, n]) => {
    const rs = runs.filter((x) => x.store === store && x.processes === n)
    return [
      `${store === 'postgres' ? 'PostgreSQL' : 'SQLite (one file, WAL)'}, ${n} process${n > 1 ? 'es' : ''}`,
      rs.map((x) => x.perSecond.toFixed(0)).join(', '),
      median(rs.map((x) => x.perSecond)).toFixed(0),
      median(rs.map((x) => x.lost)),
      rs.at(-1)!.perProcess.join(' / '),
      rs.map((x) => `${x.loadStart.split(' ')[0]} → ${x.loadEnd.split(' ')[0]}`).join('; '),
    ]
  })
  const figures: Record<string, number> = {}
  for (const [store, n] of configs) figures[`${store}${n}`] = median(runs.filter((x) => x.store === store && x.processes === n).map((x) => x.perSecond))
  const markdown = [
    `A backlog of ${o.backlog} items claimed by one running \`download\` job; each process reads the free items (\`sharedWork\`), leases them ${2} at a time (\`leaseItems\`), writes each one's result and releases the lease (\`releaseLeases\`): 4 statements per chunk of 2. ${o.repeat} repeats, interleaved.`,
    '',
    table(['claimers', 'items/s (each repeat)', 'median items/s', 'lost races (median)', 'items per process (last run)', 'load avg 1 min, start → end'], rows),
  ].join('\n')
  return { markdown, figures }
}
