// Everything a benchmark starts (node processes, temp dirs) is registered here and undone on
// the way out: a normal end, an exception, or Ctrl-C / SIGTERM.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

interface Tracked {
  proc: ReturnType<typeof Bun.spawn>
  /** The node's STAGING_DIR: its `.yt-serve-children` names the yt-dlp/ffmpeg groups it started. */
  staging?: string
}

const procs = new Set<Tracked>()
const dirs = new Set<string>()
let hooked = false

const alive = (p: ReturnType<typeof Bun.spawn>) => p.exitCode === null && p.signalCode === null

/** The process groups of the tools a node started (they run in their own groups, so killing the node misses them). */
function childGroups(staging?: string): number[] {
  if (!staging) return []
  try {
    return readFileSync(join(staging, '.yt-serve-children'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((n) => n > 0)
  } catch {
    return []
  }
}

function killHard(t: Tracked): void {
  for (const pid of childGroups(t.staging))
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {}
  try {
    t.proc.kill('SIGKILL')
  } catch {}
}

/** SIGTERM (a node's clean stop kills its own tools), SIGKILL after `graceMs`. */
export async function stopProcess(t: Tracked, graceMs = 10_000): Promise<void> {
  if (alive(t.proc)) {
    t.proc.kill('SIGTERM')
    const timer = setTimeout(() => killHard(t), graceMs)
    await t.proc.exited
    clearTimeout(timer)
  }
  for (const pid of childGroups(t.staging))
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {}
  procs.delete(t)
}

export function trackProcess(proc: ReturnType<typeof Bun.spawn>, staging?: string): Tracked {
  hook()
  const t = { proc, staging }
  procs.add(t)
  return t
}

export function trackDir(dir: string): string {
  hook()
  dirs.add(dir)
  return dir
}

export function removeTracked(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  dirs.delete(dir)
}

/** Stops every tracked process, then removes every tracked dir. */
export async function cleanupAll(): Promise<void> {
  await Promise.all([...procs].map((t) => stopProcess(t, 5000)))
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  dirs.clear()
}

function hook(): void {
  if (hooked) return
  hooked = true
  let leaving = false
  const onSignal = (code: number) => () => {
    if (leaving) return
    leaving = true
    console.error('\ninterrupted: stopping the nodes and removing temp dirs…')
    void cleanupAll().finally(() => process.exit(code))
  }
  process.on('SIGINT', onSignal(130))
  process.on('SIGTERM', onSignal(143))
  // Last resort (an uncaught error ends the process without awaiting anything): no process survives.
  process.on('exit', () => {
    for (const t of procs) if (alive(t.proc)) killHard(t)
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
}
