import { statfsSync } from 'node:fs'

/** Bytes an unprivileged writer can still use on the filesystem holding `dir`; null when it cannot be read. */
export function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir)
    return s.bavail * s.bsize
  } catch {
    return null
  }
}
