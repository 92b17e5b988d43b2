// Helpers shared by the benchmarks: measured child processes, statistics, table output.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { insertJob, updateJob } from '../src/db/jobs'
import type { DB } from '../src/db/open'
import type { RunSpec, StepResult } from './run-job'

export const ROOT = join(import.meta.dir, '..')

export interface Measured {
  /** Wall time of the child process, measured by the parent (ms). */
  wallMs: number
  /** user + system CPU of the child and every descendant it waited for (wait4 rusage), ms. */
  cpuMs: number
  /** rusage maxrss of the child (the largest of it and its waited-for descendants), KiB. */
  maxRssKb: number
  code: number
  stdout: string
  stderr: string
}

const children = new Set<ReturnType<typeof Bun.spawn>>()
let cleanupHooked = false
function hookCleanup() {
  if (cleanupHooked) return
  cleanupHooked = true
  const kill = () => {
    for (const c of children) {
      try {
        process.kill(-c.pid, 'SIGKILL')
      } catch {}
      try {
        c.kill('SIGKILL')
      } catch {}
    }
  }
  process.on('SIGINT', () => {
    kill()
    process.exit(130)
  })
  process.on('exit', kill)
}

/** Runs a command to completion and returns its wall time and its rusage (incl. waited-for descendants). */
export async function measure(cmd: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<Measured> {
  hookCleanup()
  const t0 = performance.now()
  const proc = Bun.spawn(cmd, {
    cwd: ROOT,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, ...(opts.env ?? {}) },
  })
  children.add(proc)
  const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 5 * 60_000)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  const wallMs = performance.now() - t0
  clearTimeout(timer)
  children.delete(proc)
  const ru = proc.resourceUsage()
  const cpuMs = ru ? Number(ru.cpuTime.user + ru.cpuTime.system) / 1000 : NaN
  return { wallMs, cpuMs, maxRssKb: ru ? Math.round(ru.maxRSS / 1024) : NaN, code, stdout, stderr }
}

export interface JobRunResult extends Measured {
  results: StepResult[]
  /** VmHWM of the bun process itself (KiB). */
  peakRssKb: number
  procWallMs: number
}

/** Runs bench/run-job.ts with a spec in a child process. */
export async function runJob(spec: RunSpec, timeoutMs = 5 * 60_000): Promise<JobRunResult> {
  const m = await measure([process.execPath, join(ROOT, 'bench/run-job.ts'), JSON.stringify(spec)], { timeoutMs })
  const line = m.stdout.trim().split('\n').at(-1) ?? ''
  let parsed: { results: StepResult[]; peakRssKb: number; procWallMs: number }
  try {
    parsed = JSON.parse(line)
  } catch {
    throw new Error(`run-job failed (exit ${m.code}): ${m.stderr.slice(-2000)} ${m.stdout.slice(-1000)}`)
  }
  for (const r of parsed.results) if (r.job && r.job.status !== 'completed') throw new Error(`job step ${r.step} ended ${r.job.status}: ${r.job.error}`)
  return { ...m, ...parsed }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(process.env.BENCH_TMPDIR ?? tmpdir(), `yt-serve-bench-${prefix}-`))
}
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

export const median = (xs: number[]) => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
export const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}

export const sec = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a')
export const mib = (kb: number) => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) : 'n/a')
export const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : 'n/a')

export function table(header: string[], rows: (string | number)[][]): string {
  const out = [`| ${header.join(' | ')} |`, `| ${header.map((_h, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`]
  for (const r of rows) out.push(`| ${r.join(' | ')} |`)
  return out.join('\n')
}

export function machine(): string {
  const os = require('node:os') as typeof import('node:os')
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Bun ${Bun.version}`
}

/** A process's current and peak resident set (VmRSS, VmHWM), KiB; zeros once it is gone. */
export function procStatus(pid: number): { rssKb: number; hwmKb: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8')
    return { rssKb: Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0), hwmKb: Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0) }
  } catch {
    return { rssKb: 0, hwmKb: 0 }
  }
}

export interface ServerChild {
  url: string
  pid: number
  stop(): Promise<void>
}

/** The real server (startServer) in its own process (bench/serve-child.ts), so its memory is its own. */
export async function startServerChild(env: Record<string, string>): Promise<ServerChild> {
  const proc = Bun.spawn([process.execPath, join(ROOT, 'bench/serve-child.ts'), JSON.stringify(env)], {
    cwd: ROOT,
    stdout: 'pipe',
    stderr: 'inherit',
    stdin: 'ignore',
  })
  children.add(proc)
  hookCleanup()
  const stop = async () => {
    proc.kill('SIGTERM')
    const t = setTimeout(() => proc.kill('SIGKILL'), 8000)
    await proc.exited
    clearTimeout(t)
    children.delete(proc)
  }
  const reader = proc.stdout.getReader()
  let buf = ''
  const dec = new TextDecoder()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) {
      await stop()
      throw new Error('server child exited before listening')
    }
    buf += dec.decode(value)
    const line = buf.split('\n').find((l) => l.startsWith('{"url"'))
    if (line) {
      // Keep draining its stdout so the child never blocks on a full pipe.
      void (async () => {
        while (!(await reader.read()).done) {}
      })()
      return { url: JSON.parse(line).url, pid: proc.pid, stop }
    }
  }
}

/** One JSON API call; a 4xx/5xx throws with the body. */
export async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`)
  return text ? JSON.parse(text) : null
}

/** Polls the job until it has ended (the bench's own client, not a measured one). */
export async function waitJob(base: string, id: number): Promise<any> {
  for (;;) {
    const j = await api(base, 'GET', `/api/jobs/${id}`)
    if (!['queued', 'running', 'paused'].includes(j.status)) return j
    await Bun.sleep(200)
  }
}
export const jobMs = (j: any) => Date.parse(j.finished_at) - Date.parse(j.started_at)

/** user + system CPU a process has used so far (ms), from /proc/<pid>/stat; 0 once it is gone. */
export function procCpuMs(pid: number): number {
  try {
    // The fields after the command name, which may itself hold spaces and parentheses.
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ')
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLOCK_TICKS
  } catch {
    return 0
  }
}
/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100

export interface RouteTime {
  median: number
  p95: number
  /** CPU the server's processes spent per request (ms): robust where wall times are not, on a busy machine. */
  cpuMs: number
  status: number
  bytes: number
}

/**
 * n sequential GETs after 5 warm-ups: server time plus one loopback round trip each. cpuPids:
 * the processes that serve them (the server, and PostgreSQL's backends), whose CPU over the n
 * requests is divided among them.
 */
export async function timeRoute(base: string, path: string, n: number, cpuPids: number[] = []): Promise<RouteTime> {
  let status = 0
  let bytes = 0
  for (let i = 0; i < 5; i++) await (await fetch(base + path)).arrayBuffer()
  const xs: number[] = []
  const cpu = () => cpuPids.reduce((sum, pid) => sum + procCpuMs(pid), 0)
  const cpu0 = cpu()
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    const res = await fetch(base + path)
    const b = await res.arrayBuffer()
    xs.push(performance.now() - t0)
    status = res.status
    bytes = b.byteLength
  }
  return { median: median(xs), p95: percentile(xs, 95), cpuMs: (cpu() - cpu0) / n, status, bytes }
}

/**
 * Finished "both" jobs through the repository (so on either store), n of them spread
 * round-robin over the playlists, each ending `spreadMs / n` before the next: a history
 * that reaches back `spreadMs`. Returns their ids, oldest first.
 */
export async function seedFinishedJobs(db: DB, playlistIds: number[], n: number, spreadMs = 0): Promise<number[]> {
  const ids: number[] = []
  const end = Date.now()
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++) {
      const t = new Date(end - ((n - 1 - i) * spreadMs) / Math.max(1, n)).toISOString()
      const job = await insertJob(trx, playlistIds[i % playlistIds.length], 'both')
      await updateJob(trx, job.id, {
        status: 'completed',
        created_at: t,
        started_at: t,
        finished_at: t,
        download_status: 'completed',
        download_total: 25,
        download_completed: 25,
        extract_status: 'completed',
        extract_total: 25,
        extract_completed: 25,
        progress: 100,
        total_items: 50,
        completed_items: 50,
      })
      ids.push(job.id)
    }
  })
  return ids
}
