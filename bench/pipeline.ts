// Pipeline benchmark (issue #6): yt-serve's jobs against bare yt-dlp, side by side in one run.
//
//   bun run bench                      # both workloads, A best of 2, B best of 3
//   BENCH_WORKLOADS=B BENCH_REPEAT=5 bun run bench
//
// Every yt-serve row runs in its own child process (bench/run-job.ts) so its CPU time, read from
// the wait4 rusage after exit, includes the yt-dlp and ffmpeg processes it ran.
import { spawnSync } from 'node:child_process'
import { startMediaServer, type FixtureItem } from '../tests/fixtures/media-server'
import { machine, measure, median, mib, ratio, removeDir, runJob, sec, table, tempDir, type JobRunResult, type Measured } from './lib'

interface Workload {
  key: 'A' | 'B'
  title: string
  items: FixtureItem[]
  throttle: number | null
  repeat: number
}

export const A: Workload = {
  key: 'A',
  title: 'A: 12 videos × 60 s (320x240, AAC 128k), 1 MB/s per connection, mp3',
  items: Array.from({ length: 12 }, (_, i) => ({
    name: `wa${i}`,
    title: `A ${i}`,
    seconds: 60,
    width: 320,
    height: 240,
    audioCodec: 'aac',
    audioBitrate: '128k',
  })),
  throttle: 1_000_000,
  repeat: Number(process.env.BENCH_REPEAT ?? 2),
}
const B: Workload = {
  key: 'B',
  title: 'B: 40 videos × 2 s, unthrottled, mp3',
  items: Array.from({ length: 40 }, (_, i) => ({ name: `wb${i}`, title: `B ${i}`, seconds: 2 })),
  throttle: null,
  repeat: Number(process.env.BENCH_REPEAT ?? 3),
}

interface Row {
  wallMs: number
  cpuMs: number
  rssKb: number
  /** Wall time inside the job (job created → done), without process start. */
  jobMs?: number
}

const best = (rows: Row[]): Row => ({
  wallMs: Math.min(...rows.map((r) => r.wallMs)),
  cpuMs: Math.min(...rows.map((r) => r.cpuMs)),
  rssKb: Math.min(...rows.map((r) => r.rssKb)),
  jobMs: rows[0]?.jobMs === undefined ? undefined : Math.min(...rows.map((r) => r.jobMs!)),
})

const fromJob = (r: JobRunResult): Row => ({ wallMs: r.wallMs, cpuMs: r.cpuMs, rssKb: r.peakRssKb, jobMs: r.results.reduce((s, x) => s + x.wallMs, 0) })
const fromTool = (m: Measured): Row => {
  if (m.code !== 0) throw new Error(`yt-dlp failed (${m.code}): ${m.stderr.slice(-1500)}`)
  return { wallMs: m.wallMs, cpuMs: m.cpuMs, rssKb: m.maxRssKb }
}

async function ytdlp(feed: string, extract: boolean): Promise<Row> {
  const dir = tempDir('ytdlp')
  try {
    const args = ['yt-dlp', '--ignore-config', ...(extract ? ['-x', '--audio-format', 'mp3'] : []), '-o', `${dir}/%(id)s.%(ext)s`, '--', feed]
    return fromTool(await measure(args))
  } finally {
    removeDir(dir)
  }
}

interface Sample {
  D: Row
  E: Row
  Em4a: Row
  both: Row
  ytx: Row
  yt: Row
  extractItemMs: number[]
  bothWrites: JobRunResult['results'][number]
  setupMs: number
}

async function sample(feed: string, w: Workload, log: (m: string) => void): Promise<Sample> {
  // Sequential flow: add (setup, not timed), download job, then extract job; m4a on a copy.
  const seqDir = tempDir(`${w.key}-seq`)
  const m4aDir = `${seqDir}-m4a`
  const bothDir = tempDir(`${w.key}-both`)
  try {
    const setup = await runJob({ dataDir: seqDir, feedUrl: feed, steps: ['add'] })
    const D = await runJob({ dataDir: seqDir, feedUrl: feed, steps: ['download'] })
    log(`download ${sec(D.wallMs)} s`)
    spawnSync('cp', ['-a', seqDir, m4aDir])
    const E = await runJob({ dataDir: seqDir, feedUrl: feed, steps: ['extract'], env: { AUDIO_FORMAT: 'mp3' } })
    log(`extract mp3 ${sec(E.wallMs)} s`)
    const Em4a = await runJob({ dataDir: m4aDir, feedUrl: feed, steps: ['extract'], env: { AUDIO_FORMAT: 'm4a' } })
    log(`extract m4a ${sec(Em4a.wallMs)} s`)
    await runJob({ dataDir: bothDir, feedUrl: feed, steps: ['add'] })
    const both = await runJob({ dataDir: bothDir, feedUrl: feed, steps: ['both'], env: { AUDIO_FORMAT: 'mp3' } })
    log(`both ${sec(both.wallMs)} s`)
    const ytx = await ytdlp(feed, true)
    log(`yt-dlp -x ${sec(ytx.wallMs)} s`)
    const yt = await ytdlp(feed, false)
    log(`yt-dlp ${sec(yt.wallMs)} s`)
    return {
      D: fromJob(D),
      E: fromJob(E),
      Em4a: fromJob(Em4a),
      both: fromJob(both),
      ytx,
      yt,
      extractItemMs: E.results[0].extractItemMs,
      bothWrites: both.results[0],
      setupMs: setup.wallMs,
    }
  } finally {
    for (const d of [seqDir, m4aDir, bothDir]) removeDir(d)
  }
}

export interface WorkloadReport {
  markdown: string
  figures: Record<string, number>
}

function report(w: Workload, samples: Sample[]): WorkloadReport {
  const pick = (k: 'D' | 'E' | 'Em4a' | 'both' | 'ytx' | 'yt') => best(samples.map((s) => s[k]))
  const D = pick('D'),
    E = pick('E'),
    Em4a = pick('Em4a'),
    both = pick('both'),
    ytx = pick('ytx'),
    yt = pick('yt')
  const oneExtract = median(samples.flatMap((s) => s.extractItemMs))
  const bound = Math.max(D.wallMs, E.wallMs) + oneExtract
  const seq: Row = { wallMs: D.wallMs + E.wallMs, cpuMs: D.cpuMs + E.cpuMs, rssKb: Math.max(D.rssKb, E.rssKb) }
  const n = w.items.length
  const rows: (string | number)[][] = [
    [
      '1. `download` job, then `extract` job (sequential)',
      sec(seq.wallMs),
      sec(seq.cpuMs),
      mib(seq.rssKb),
      ratio(seq.wallMs, bound),
      ratio(seq.wallMs, ytx.wallMs),
    ],
    ['   1a. `download` job alone (indexing included)', sec(D.wallMs), sec(D.cpuMs), mib(D.rssKb), '', ''],
    ['   1b. `extract` job alone (mp3)', sec(E.wallMs), sec(E.cpuMs), mib(E.rssKb), '', ''],
    ['   1c. `extract` job alone (m4a, AAC stream copy)', sec(Em4a.wallMs), sec(Em4a.cpuMs), mib(Em4a.rssKb), '', ''],
    ['2. `both` job', sec(both.wallMs), sec(both.cpuMs), mib(both.rssKb), ratio(both.wallMs, bound), ratio(both.wallMs, ytx.wallMs)],
    [`3. bound: max(D, E) + one item's extraction (${sec(oneExtract)} s)`, sec(bound), '', '', '1.00', ratio(bound, ytx.wallMs)],
    ['4. `yt-dlp -x --audio-format mp3`', sec(ytx.wallMs), sec(ytx.cpuMs), mib(ytx.rssKb), ratio(ytx.wallMs, bound), '1.00'],
    ['5. `yt-dlp` download only', sec(yt.wallMs), sec(yt.cpuMs), mib(yt.rssKb), ratio(yt.wallMs, bound), ratio(yt.wallMs, ytx.wallMs)],
  ]
  const bw = samples.map((s) => s.bothWrites)
  const writesTotal = median(bw.map((r) => r.writes.total))
  const writesPerSec = median(bw.map((r) => r.writes.total / (r.wallMs / 1000)))
  const maxWps = Math.max(...bw.map((r) => r.maxWritesPerSec))
  const maxJobWps = Math.max(...bw.map((r) => r.maxJobWritesPerSec))
  const jobWrites = median(bw.map((r) => r.writes.byTable.jobs ?? 0))
  const videoWrites = median(bw.map((r) => r.writes.byTable.videos ?? 0))
  const eventWrites = median(bw.map((r) => r.writes.byTable.job_events ?? r.writes.byTable.events ?? 0))
  const figures = {
    bothOverBound: both.wallMs / bound,
    bothOverYtx: both.wallMs / ytx.wallMs,
    bothOverSeq: both.wallMs / seq.wallMs,
    downloadOverYtWall: D.wallMs / yt.wallMs,
    downloadOverYtCpu: D.cpuMs / yt.cpuMs,
    m4aOverMp3: Em4a.wallMs / E.wallMs,
    writesPerSec,
    maxWps,
    maxJobWps,
  }
  const lines = [
    `### Workload ${w.title}`,
    '',
    `Best of ${samples.length} per column; wall and CPU are of the whole child process (CPU = user + system, its yt-dlp/ffmpeg children included).`,
    '',
    table(['row', 'wall s', 'CPU s', 'peak RSS MiB', '÷ bound', '÷ yt-dlp -x'], rows),
    '',
    `- \`both\` ÷ bound = **${ratio(both.wallMs, bound)}**, \`both\` ÷ yt-dlp -x = **${ratio(both.wallMs, ytx.wallMs)}**, \`both\` ÷ sequential = **${ratio(both.wallMs, seq.wallMs)}** (${(100 * (1 - both.wallMs / seq.wallMs)).toFixed(0)}% sooner)`,
    `- per-item overhead: \`download\` job ÷ bare yt-dlp = **${ratio(D.wallMs, yt.wallMs)}** wall, **${ratio(D.cpuMs, yt.cpuMs)}** CPU (${n} items; in-job wall ${sec(D.jobMs!)} s)`,
    `- extraction: m4a (stream copy) ÷ mp3 (re-encode) = **${ratio(Em4a.wallMs, E.wallMs)}** wall, **${ratio(Em4a.cpuMs, E.cpuMs)}** CPU`,
    `- SQLite writes during the \`both\` job: ${writesTotal} statements (${jobWrites} job-row progress, ${videoWrites} item rows, ${eventWrites} log events) = **${writesPerSec.toFixed(1)}/s** on average; busiest second ${maxWps}, job-row writes at most ${maxJobWps}/s`,
    `- raw walls (s), per sample: ${samples.map((s) => `[D ${sec(s.D.wallMs)}, E ${sec(s.E.wallMs)}, both ${sec(s.both.wallMs)}, -x ${sec(s.ytx.wallMs)}, yt ${sec(s.yt.wallMs)}]`).join(' ')}`,
  ]
  return { markdown: lines.join('\n'), figures }
}

async function main() {
  const which = (process.env.BENCH_WORKLOADS ?? 'AB').toUpperCase()
  const workloads = [A, B].filter((w) => which.includes(w.key))
  const media = await startMediaServer()
  const started = Date.now()
  const out: string[] = [
    `Machine: ${machine()}; yt-dlp ${spawnSync('yt-dlp', ['--version']).stdout.toString().trim()}, ${spawnSync('ffmpeg', ['-version']).stdout.toString().split('\n')[0]}`,
    `Date: ${new Date().toISOString()}`,
    '',
  ]
  try {
    for (const w of workloads) {
      const feed = await media.addFeed(`bench${w.key}`, { title: `Bench ${w.key}`, items: w.items })
      media.setThrottle(w.throttle)
      const samples: Sample[] = []
      for (let i = 0; i < w.repeat; i++) samples.push(await sample(feed, w, (m) => console.error(`[${w.key} ${i + 1}/${w.repeat}] ${m}`)))
      media.setThrottle(null)
      const r = report(w, samples)
      out.push(r.markdown, '')
      console.error(JSON.stringify({ workload: w.key, figures: r.figures }))
    }
  } finally {
    await media.stop()
  }
  out.push(`Total bench time: ${sec(Date.now() - started)} s`)
  console.log(out.join('\n'))
}

if (import.meta.main) await main()
