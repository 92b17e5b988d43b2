import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Conflict } from '../errors'

/**
 * `serve` and `run` both own the jobs of a data dir: on start each marks running jobs
 * interrupted and resets items in flight. Two of them on one data dir would break each
 * other's jobs, so they take this pid file. Read-only commands (status, doctor) do not.
 */
export const lockPath = (dataDir: string) => join(dataDir, 'yt-serve.pid')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface LockInfo {
  pid: number
  command: string
  started_at: string
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo
    return Number.isInteger(info.pid) ? info : null
  } catch {
    return null
  }
}

/** The live process holding the data dir, if any (stale files are ignored). */
export function lockHolder(dataDir: string): LockInfo | null {
  const info = readLock(dataDir)
  return info && info.pid !== process.pid && alive(info.pid) ? info : null
}

/** Takes the data dir for this process; returns the release function (also run on exit). */
export function acquireDataDirLock(dataDir: string, command: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const path = lockPath(dataDir)
  const mine: LockInfo = { pid: process.pid, command, started_at: new Date().toISOString() }
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine), { flag: 'wx' })
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err
      const holder = lockHolder(dataDir)
      if (holder)
        throw new Conflict(
          `data dir ${dataDir} is in use by "yt-serve ${holder.command}" (pid ${holder.pid}); ` +
            (holder.command === 'serve' ? 'use its web UI or API to run jobs, or stop it first' : 'wait for it to finish or stop it first'),
        )
      try {
        unlinkSync(path) // stale: its process is gone
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
      if (readLock(dataDir)?.pid === process.pid) unlinkSync(path)
    } catch {
      // already gone
    }
  }
  process.on('exit', release)
  return release
}
