import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'

/**
 * Kills the process groups a previous server left running (listed in `registry`),
 * but only groups whose leader is still one of our tools: a pid may have been reused.
 */
export function reapOrphans(registry: string, tools: string[]): number {
  if (!existsSync(registry)) return 0
  const names = tools.map((t) => basename(t))
  let killed = 0
  for (const line of readFileSync(registry, 'utf8').split('\n')) {
    const pid = Number(line.trim())
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue
    let cmdline = ''
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
    } catch {
      continue // gone
    }
    if (!names.some((n) => cmdline.includes(n))) continue
    try {
      process.kill(-pid, 'SIGKILL')
      killed++
    } catch {}
  }
  writeFileSync(registry, '')
  return killed
}
