// Scale benchmark (issue #6): a 5,000-entry playlist, server time, polling load, memory, writes.
//
//   bun run bench:scale                 # SCALE_ENTRIES=5000 by default
//
// The server under test is the real one (startServer) in a child process (bench/serve-child.ts);
// its peak RSS is the kernel's VmHWM read from /proc/<pid>/status.
import { join } from 'node:path'
import { openDatabase } from '../src/db/open'
import { startMediaServer } from '../tests/fixtures/media-server'
import {
  api,
  jobMs,
  machine,
  measure,
  median,
  procStatus,
  removeDir,
  ROOT,
  runJob,
  type ServerChild,
  sec,
  seedFinishedJobs,
  startServerChild,
  table,
  tempDir,
  timeRoute,
  waitJob,
} from './lib'

const N = Number(process.env.SCALE_ENTRIES ?? 5000)
const SEEDED_JOBS = 200
const ROUTE_SAMPLES = 40
const POLL_CLIENTS = 200

async function autocannon(url: string, seconds: number): Promise<any> {
  const bin = join(ROOT, 'node_modules/autocannon/autocannon.js')
  const m = await measure(['node', bin, '-c', String(POLL_CLIENTS), '-r', '1', '-d', String(seconds), '-j', url], { timeoutMs: (seconds + 60) * 1000 })
  if (m.code !== 0) throw new Error(`autocannon failed: ${m.stderr.slice(-1000)}`)
  return { ...JSON.parse(m.stdout), loadCpuMs: m.cpuMs }
}

/** Browser-like pollers in their own process (bench/poller.ts). */
async function poll(url: string, seconds: number): Promise<any> {
  const m = await measure(['bun', join(ROOT, 'bench/poller.ts'), url, String(POLL_CLIENTS), String(seconds)], { timeoutMs: (seconds + 60) * 1000 })
  if (m.code !== 0) throw new Error(`poller failed: ${m.stderr.slice(-1000)}`)
  return JSON.parse(m.stdout)
}

async function readPort(proc: { stdout: ReadableStream<Uint8Array> | number | undefined }): Promise<number> {
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader()
  const { value } = await reader.read()
  return Number(new TextDecoder().decode(value).trim())
}

async function main() {
  const started = Date.now()
  const media = await startMediaServer()
  const dirs: string[] = []
  let server: ServerChild | null = null
  const out: string[] = [`Machine: ${machine()}`, `Date: ${new Date().toISOString()}`, '']
  const rows: (string | number)[][] = []
  try {
    const feed = await media.addFeed('scale', {
      title: 'Scale',
      items: Array.from({ length: N }, (_, i) => ({ name: `s${i}`, title: `Entry ${i}`, seconds: 1 })),
    })
    console.error(`feed of ${N} entries ready`)

    // 1. Indexing against yt-dlp's own enumeration, side by side.
    const enumMs: number[] = []
    for (let i = 0; i < 3; i++) {
      const m = await measure(['yt-dlp', '--ignore-config', '--no-colors', '--flat-playlist', '--dump-single-json', '--no-warnings', '--', feed])
      if (m.code !== 0) throw new Error(`yt-dlp enumeration failed: ${m.stderr}`)
      enumMs.push(m.wallMs)
    }
    const idxDir = tempDir('scale-index')
    dirs.push(idxDir)
    const idx = await runJob({ dataDir: idxDir, feedUrl: feed, steps: ['add', 'reindex', 'reindex'] })
    const [add, re1, re2] = idx.results
    const enumerate = median(enumMs)
    const videoWrites = (r: typeof add) => r.writes.byTable.videos ?? 0
    console.error(`index: enumeration ${sec(enumerate)} s, add ${sec(add.wallMs)} s, reindex ${sec(re1.wallMs)} s`)
    rows.push([
      `index a ${N}-entry playlist (in-process add, incl. yt-dlp) − yt-dlp enumeration (median of 3: ${sec(enumerate)} s)`,
      `${sec(add.wallMs - enumerate)} s`,
      '≤ 2 s',
      add.wallMs - enumerate <= 2000 ? 'met' : 'missed',
    ])
    rows.push([
      're-index unchanged playlist: writes (video rows / all statements)',
      `${videoWrites(re1)} / ${re1.writes.total}, ${videoWrites(re2)} / ${re2.writes.total}`,
      '0 video writes',
      videoWrites(re1) === 0 && videoWrites(re2) === 0 ? 'met' : 'missed',
    ])

    // 2. The real server over the same playlist: index, then a download job of every entry.
    const srvDir = tempDir('scale-server')
    dirs.push(srvDir)
    server = await startServerChild({ DATA_DIR: srvDir, BATCH_SIZE: String(N), AUDIO_FORMAT: 'mp3' })
    const base = server.url
    let rssMax = 0
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, procStatus(server!.pid).rssKb)), 100)
    const hwmStart = procStatus(server.pid).hwmKb
    const t0 = performance.now()
    const pl = await api(base, 'POST', '/api/playlists', { url: feed })
    const addHttpMs = performance.now() - t0
    const hwmIndexed = procStatus(server.pid).hwmKb
    console.error(`server: indexed ${pl.added} in ${sec(addHttpMs)} s, VmHWM ${hwmIndexed} kB`)
    const dl = await api(base, 'POST', `/api/playlists/${pl.id}/jobs`, { type: 'download' })
    const dlDone = await waitJob(base, dl.id)
    const hwmDownloaded = procStatus(server.pid).hwmKb
    clearInterval(sampler)
    console.error(
      `server: download job ${dlDone.status} ${dlDone.download_completed}/${dlDone.download_total} in ${sec(jobMs(dlDone))} s, VmHWM ${hwmDownloaded} kB`,
    )
    rows.push([
      `server peak RSS (VmHWM): at start / after indexing ${N} / after a download job of all ${N} (${dlDone.download_completed} ok, ${sec(jobMs(dlDone))} s)`,
      `${(hwmStart / 1024).toFixed(0)} / ${(hwmIndexed / 1024).toFixed(0)} / ${(hwmDownloaded / 1024).toFixed(0)} MiB`,
      '≤ 200 MiB',
      hwmDownloaded <= 200 * 1024 ? 'met' : 'missed',
    ])

    // 3. Server time with N videos and 200 finished jobs.
    const seedDb = openDatabase(join(srvDir, 'yt-serve.db'))
    const lastJob = (await seedFinishedJobs(seedDb, [pl.id], SEEDED_JOBS)).at(-1)!
    await seedDb.destroy()
    for (const [label, path] of [
      ['GET /', '/'],
      [`GET /playlists/${pl.id} (first page)`, `/playlists/${pl.id}`],
      [`GET /jobs/${lastJob}/card (job card fragment)`, `/jobs/${lastJob}/card`],
      [`GET /api/playlists/${pl.id}`, `/api/playlists/${pl.id}`],
    ] as const) {
      const r = await timeRoute(base, path, ROUTE_SAMPLES)
      const ui = !path.startsWith('/api')
      rows.push([
        `${label}: median / p95 of ${ROUTE_SAMPLES} (HTTP ${r.status}, ${(r.bytes / 1024).toFixed(0)} KiB)`,
        `${r.median.toFixed(1)} / ${r.p95.toFixed(1)} ms`,
        ui ? '≤ 50 ms median' : '(for reference)',
        ui ? (r.median <= 50 && r.status === 200 ? 'met' : 'missed') : '',
      ])
      console.error(`${label}: ${r.median.toFixed(1)} ms (HTTP ${r.status})`)
    }

    // 4. Polling load on a running job: the same "both" job alone, polled by 200 clients, alone again.
    const pollItems = Array.from({ length: 8 }, (_, i) => ({
      name: `poll${i}`,
      title: `Poll ${i}`,
      seconds: 60,
      width: 320,
      height: 240,
      audioCodec: 'aac' as const,
      audioBitrate: '128k',
    }))
    media.setThrottle(1_000_000)
    const runPollJob = async (k: number, load: boolean, other?: (jobId: number) => Promise<any>) => {
      const f = await media.addFeed(`poll${k}`, { title: `Poll ${k}`, items: pollItems })
      const p = await api(base, 'POST', '/api/playlists', { url: f })
      const job = await api(base, 'POST', `/api/playlists/${p.id}/jobs`, { type: 'both' })
      const cannon = load ? poll(`${base}/jobs/${job.id}/card`, Math.ceil(baseline / 1000) - 1) : other ? other(job.id) : null
      const done = await waitJob(base, job.id)
      return { ms: jobMs(done), status: done.status, cannon: cannon ? await cannon : null }
    }
    let baseline = 30_000
    const b1 = await runPollJob(1, false)
    baseline = b1.ms
    console.error(`poll baseline 1: ${sec(b1.ms)} s`)
    const loaded = await runPollJob(2, true)
    console.error(`polled: ${sec(loaded.ms)} s`)
    const b2 = await runPollJob(3, false)
    console.error(`poll baseline 2: ${sec(b2.ms)} s`)
    // Worst case and its control, each while a "both" job runs: autocannon's synchronized
    // burst (all 200 requests in the same instant every second) on the card, then on a
    // bare Bun.serve returning a fixed body: the floor this machine and load tool allow.
    const burstCard = await runPollJob(4, false, (id) => autocannon(`${base}/jobs/${id}/card`, 10))
    const bare = Bun.spawn(['bun', join(ROOT, 'bench/bare-server.ts'), '0'], { stdout: 'pipe' })
    const barePort = await readPort(bare)
    const burstBare = await runPollJob(5, false, () => autocannon(`http://127.0.0.1:${barePort}/`, 10))
    bare.kill()
    media.setThrottle(null)
    const c = loaded.cannon!
    const slow = loaded.ms / ((b1.ms + b2.ms) / 2)
    rows.push([
      `${POLL_CLIENTS} browser-like clients polling the running job's card 1/s, each from a random phase (bench/poller.ts, ${c.requests} requests, ${c.non2xx} non-2xx, ${c.errors} errors): latency p50 / p99 / max`,
      `${c.p50.toFixed(1)} / ${c.p99.toFixed(1)} / ${c.max.toFixed(1)} ms`,
      '≤ 50 ms p99',
      c.p99 <= 50 && c.non2xx === 0 && c.errors === 0 ? 'met' : 'missed',
    ])
    const bc = burstCard.cannon!
    const bb = burstBare.cannon!
    rows.push([
      `worst case: ${POLL_CLIENTS} autocannon connections firing together once a second at the card (${bc.requests.total} requests, ${bc.non2xx} non-2xx): p50 / p99 / max`,
      `${bc.latency.p50} / ${bc.latency.p99} / ${bc.latency.max} ms`,
      '(for reference)',
      '',
    ])
    rows.push([
      `control: the same burst at a bare Bun.serve with a fixed 2 KiB body: p50 / p99 / max; card p99 ÷ control p99`,
      `${bb.latency.p50} / ${bb.latency.p99} / ${bb.latency.max} ms; ${(bc.latency.p99 / bb.latency.p99).toFixed(2)}×`,
      '(for reference)',
      '',
    ])
    rows.push([
      `the polled "both" job (8 × 60 s at 1 MB/s, mp3) ÷ the same job unpolled (${sec(b1.ms)} s, ${sec(b2.ms)} s)`,
      `${sec(loaded.ms)} s = ${slow.toFixed(2)}×`,
      '≤ 1.10×',
      slow <= 1.1 ? 'met' : 'missed',
    ])
    rows.push([
      `server peak RSS (VmHWM) at the end of the run`,
      `${(procStatus(server.pid).hwmKb / 1024).toFixed(0)} MiB (sampled VmRSS max ${(rssMax / 1024).toFixed(0)} MiB during index + download)`,
      '',
      '',
    ])
  } finally {
    await server?.stop()
    await media.stop()
    for (const d of dirs) removeDir(d)
  }
  out.push(table(['measurement', 'result', 'target', ''], rows), '', `Total bench time: ${sec(Date.now() - started)} s`)
  console.log(out.join('\n'))
}

if (import.meta.main) await main()
