// Helpers shared by the benchmarks: measured child processes, statistics, table output.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
