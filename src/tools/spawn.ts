import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'

/** The executable could not be started at all (not installed, wrong path). */
export class ToolMissingError extends Error {
  constructor(
    readonly tool: string,
    detail: string,
  ) {
    super(`${tool} could not be started (${detail}); install it (Debian: apt-get install ${tool.includes('ff') ? 'ffmpeg' : 'yt-dlp'}) or set its path`)
  }
}

export interface RunningTool {
  pid: number
  /** Raw streams; read each through exactly one of raw or lines(). */
  stdout: ReadableStream<Uint8Array>
  stderr: ReadableStream<Uint8Array>
  exited: Promise<number>
  /** After exit: the signal that ended the process (SIGKILL from the OOM killer, say), or null. */
  signal(): string | null
  /** Signals the whole process group: yt-dlp's ffmpeg children must die with it. */
  kill(signal?: NodeJS.Signals): void
}

/** Live child groups: pid → the program's name (its basename, or the caller's label). */
const live = new Map<number, string>()
let registry: string | null = null

/**
 * Keeps a file listing the live child groups, so a server restarted after SIGKILL
 * can kill the orphans the dead one left (they lead their own groups and survive it).
 */
export function recordChildrenIn(path: string | null): void {
  registry = path
  writeRegistry()
}

function writeRegistry(): void {
  if (!registry) return
  try {
    writeFileSync(registry, [...live.keys()].join('\n'))
  } catch {
    // best effort: the data dir may be read-only; recovery then finds nothing to reap
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/**
 * The one place yt-serve starts another program. Always an argument array, never a
 * shell; each child leads its own process group (setsid) so cancel reaches grandchildren.
 */
export function spawnTool(cmd: string[], opts: SpawnOptions = {}): RunningTool {
  let proc: ReturnType<typeof Bun.spawn<'ignore', 'pipe', 'pipe'>>
  try {
    proc = Bun.spawn<'ignore', 'pipe', 'pipe'>(cmd, {
      cwd: opts.cwd,
      env: { ...process.env, LC_ALL: 'C.UTF-8', PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8', ...opts.env },
      // A script on stdin (the JS runtime check); Bun's types only name the 'ignore' case here.
      stdin: (opts.input === undefined ? 'ignore' : new TextEncoder().encode(opts.input)) as 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      detached: true,
    })
  } catch (err) {
    throw new ToolMissingError(cmd[0], err instanceof Error ? err.message : String(err))
  }
  const pid = proc.pid
  live.set(pid, opts.label ?? basename(cmd[0]))
  writeRegistry()
  const exited = proc.exited.then((code) => {
    live.delete(pid)
    writeRegistry()
    // Grandchildren (ffmpeg under yt-dlp) may outlive a crashed parent.
    killGroup(pid, 'SIGKILL')
    return code
  })
  return {
    pid,
    stdout: proc.stdout,
    stderr: proc.stderr,
    exited,
    signal: () => (proc.signalCode === null ? null : String(proc.signalCode)),
    kill: (signal = 'SIGTERM') => killGroup(pid, signal),
  }
}

export interface SpawnOptions {
  cwd?: string
  /** Added to the process environment (and the UTF-8 settings), for this child only. */
  env?: Record<string, string>
  /** What the child counts as in liveTools() ("yt-dlp" for any yt-dlp, whatever its file is called). */
  label?: string
  /** Written to the child's stdin; without it stdin is closed. */
  input?: string
}

/** Runs to completion and collects output; for short commands (probe, index, version). */
/**
 * Runs a tool to its end and collects its output. `procs`: the set a job keeps of its running
 * tools, so that pausing or cancelling the job stops this one too (job-run.ts killProcesses).
 */
export async function runTool(
  cmd: string[],
  opts: { timeoutMs?: number; procs?: Set<RunningTool> } & SpawnOptions = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const t = spawnTool(cmd, opts)
  opts.procs?.add(t)
  const timer = opts.timeoutMs ? setTimeout(() => t.kill('SIGKILL'), opts.timeoutMs) : null
  try {
    const [stdout, stderr, code] = await Promise.all([new Response(t.stdout).text(), new Response(t.stderr).text(), t.exited])
    return { code, stdout, stderr }
  } finally {
    if (timer) clearTimeout(timer)
    opts.procs?.delete(t)
  }
}

/** Shutdown: every child group still alive gets the signal. */
export function killAllTools(signal: NodeJS.Signals = 'SIGTERM'): number {
  for (const pid of live.keys()) killGroup(pid, signal)
  return live.size
}

export function liveToolCount(): number {
  return live.size
}

/** Children of this process with that label that are still running. */
export function liveTools(label: string): number {
  let n = 0
  for (const l of live.values()) if (l === label) n++
  return n
}

/**
 * Pids listed in a child registry (another yt-serve process's live children) whose command
 * line still mentions `needle`: a CLI can see the server's yt-dlp runs.
 */
export function registeredChildren(registryPath: string, needle: string): number[] {
  let text = ''
  try {
    text = readFileSync(registryPath, 'utf8')
  } catch {
    return []
  }
  const pids: number[] = []
  for (const line of text.split('\n')) {
    const pid = Number(line.trim())
    if (!Number.isInteger(pid) || pid <= 1 || live.has(pid)) continue
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) pids.push(pid)
    } catch {
      // gone
    }
  }
  return pids
}
