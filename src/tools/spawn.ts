import { writeFileSync } from 'node:fs'

/** The executable could not be started at all (not installed, wrong path). */
export class ToolMissingError extends Error {
  constructor(readonly tool: string, detail: string) {
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

const live = new Set<number>()
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
    writeFileSync(registry, [...live].join('\n'))
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
export function spawnTool(cmd: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): RunningTool {
  let proc: ReturnType<typeof Bun.spawn<'ignore', 'pipe', 'pipe'>>
  try {
    proc = Bun.spawn(cmd, {
      cwd: opts.cwd,
      env: opts.env ?? { ...process.env, LC_ALL: 'C.UTF-8', PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      detached: true,
    })
  } catch (err) {
    throw new ToolMissingError(cmd[0], err instanceof Error ? err.message : String(err))
  }
  const pid = proc.pid
  live.add(pid)
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

/** Runs to completion and collects output; for short commands (probe, index, version). */
export async function runTool(cmd: string[], opts: { timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const t = spawnTool(cmd)
  const timer = opts.timeoutMs ? setTimeout(() => t.kill('SIGKILL'), opts.timeoutMs) : null
  const [stdout, stderr, code] = await Promise.all([new Response(t.stdout).text(), new Response(t.stderr).text(), t.exited])
  if (timer) clearTimeout(timer)
  return { code, stdout, stderr }
}

/** Shutdown: every child group still alive gets the signal. */
export function killAllTools(signal: NodeJS.Signals = 'SIGTERM'): number {
  for (const pid of live) killGroup(pid, signal)
  return live.size
}

export function liveToolCount(): number {
  return live.size
}
