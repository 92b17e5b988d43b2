import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { Conflict } from '../errors'

/**
 * `serve` and `run` both own the jobs of a data dir: on start each marks running jobs
 * interrupted and resets items in flight. Two of them on one data dir would break each
 * other's jobs, so they take this pid file. Read-only commands (status, doctor) do not.
 *
 * A cluster node (clusterNode in src/config.ts) recovers only what carries its own name, so
 * several `serve` nodes may share a data dir: each takes `yt-serve.<node>.pid`, which still
 * keeps out a second process of the same name (two of them would renew each other's leases).
 */
export const lockPath = (dataDir: string, node?: string) => join(dataDir, node ? `yt-serve.${node}.pid` : 'yt-serve.pid')

const LOCK_FILE = /^yt-serve(\.[A-Za-z0-9._-]+)?\.pid$/

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The kernel's start time of a process (clock ticks since boot, field 22 of /proc/PID/stat),
 * null without /proc. A pid and its start time name one process: after a reboot or a
 * wrap-around the same pid belongs to a program started at another time.
 */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' do not.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return null
  }
}

export interface LockInfo {
  pid: number
  command: string
  started_at: string
  /** processStart(pid) when the file was written; absent in files of older versions. */
  proc_start?: string
  /** The cluster node whose pid file this is (absent: the data dir's one-machine file). */
  node?: string
}

/**
 * Whether the process the file names is still the one that wrote it. A live pid alone is
 * not enough: after a crash and a reboot, that pid may be a shell or a database, and
 * yt-serve would refuse to start until someone deleted the file by hand.
 */
function stillHolds(info: LockInfo): boolean {
  if (!alive(info.pid)) return false
  const start = processStart(info.pid)
  if (start === null) return true // no /proc here (or hidden): the pid is all there is to go on
  if (info.proc_start) return info.proc_start === start
  // Written by a version that did not record proc_start: a yt-serve names itself or its
  // command in its argv ("yt-serve", "bun src/index.ts serve"); `sleep` or `postgres` do not.
  const argv = commandLine(info.pid)
  return argv === null || argv.includes(info.command) || argv.some((a) => /yt-serve|^index\.ts$/.test(basename(a)))
}

export function readLock(dataDir: string, node?: string): LockInfo | null {
  return readLockFile(lockPath(dataDir, node))
}

function readLockFile(path: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo
    return Number.isInteger(info.pid) ? info : null
  } catch {
    return null
  }
}

/** The live process holding the data dir (or, with `node`, that node's pid file), if any (stale files, and pids reused by other programs, are ignored). */
export function lockHolder(dataDir: string, node?: string): LockInfo | null {
  return liveHolder(readLock(dataDir, node))
}

const liveHolder = (info: LockInfo | null) => (info && info.pid !== process.pid && stillHolds(info) ? info : null)

/** Every live holder of a pid file in the data dir: the one-machine file and each node's. */
function allHolders(dataDir: string): LockInfo[] {
  let names: string[] = []
  try {
    names = readdirSync(dataDir).filter((n) => LOCK_FILE.test(n))
  } catch {}
  return names.map((n) => liveHolder(readLockFile(join(dataDir, n)))).filter((h): h is LockInfo => h !== null)
}

function inUse(dataDir: string, holder: LockInfo): Conflict {
  return new Conflict(
    `data dir ${dataDir} is in use by "yt-serve ${holder.command}"${holder.node ? ` (node ${holder.node})` : ''} (pid ${holder.pid}); ` +
      (holder.command === 'serve' ? 'use its web UI or API to run jobs, or stop it first' : 'wait for it to finish or stop it first'),
  )
}

/**
 * Takes the data dir for this process; returns the release function (also run on exit).
 * `node`: a cluster `serve` node, which shares the data dir with other nodes of other names
 * (each recovers only its own jobs and items); any other command has the data dir to itself.
 */
export function acquireDataDirLock(dataDir: string, command: string, node?: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const path = lockPath(dataDir, node)
  const mine: LockInfo = { pid: process.pid, command, started_at: new Date().toISOString(), proc_start: processStart(process.pid) ?? undefined, node }
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine), { flag: 'wx' })
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err
      const holder = lockHolder(dataDir, node)
      if (holder) throw inUse(dataDir, holder)
      try {
        unlinkSync(path) // stale: its process is gone, or the pid now belongs to another program
      } catch {
        // another process removed it first
      }
    }
  }
  let released = false
  const release = () => {
    if (released) return
    released = true
    process.off('exit', release)
    try {
      if (readLockFile(path)?.pid === process.pid) unlinkSync(path)
    } catch {
      // already gone
    }
  }
  process.on('exit', release)
  // Written first, checked after: of two processes starting at once, at least one sees the other.
  // Serve nodes share the data dir; `run`, `migrate-db` (and a serve beside them) do not.
  const clash = allHolders(dataDir).find((h) => h.command !== 'serve' || command !== 'serve')
  if (clash) {
    release()
    throw inUse(dataDir, clash)
  }
  return release
}
