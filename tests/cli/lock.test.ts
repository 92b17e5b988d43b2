// The pid file of a data dir names a process; after a crash and a reboot that pid may belong to another program.
import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { acquireDataDirLock, lockHolder, lockPath, processStart, readLock } from '../../src/cli/lock'
import { Conflict } from '../../src/errors'
import { startServerProcess, type ServerProcess } from '../helpers/server-process'

const root = mkdtempSync(join(tmpdir(), 'yt-serve-lock-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const freshDir = () => join(root, `d${++n}`)

/** Live processes started by a test, killed after it. */
const spawned: ReturnType<typeof Bun.spawn>[] = []
afterEach(async () => {
  for (const p of spawned.splice(0)) {
    p.kill('SIGKILL')
    await p.exited
  }
})
function unrelatedProgram(): number {
  const p = Bun.spawn(['sleep', '600'], { stdout: 'ignore', stderr: 'ignore' })
  spawned.push(p)
  return p.pid
}

async function untilListening(proc: ReturnType<typeof Bun.spawn>) {
  const out = (proc.stdout as ReadableStream<Uint8Array>).getReader()
  let text = ''
  while (!text.includes('listening')) {
    const r = await out.read()
    if (r.done) throw new Error(`serve ended: ${text}`)
    text += new TextDecoder().decode(r.value)
  }
}

/** A pid file as an earlier yt-serve wrote it, whose pid is now `pid`. */
function stalePidFile(dir: string, pid: number, opts: { legacy?: boolean } = {}) {
  const info: Record<string, unknown> = { pid, command: 'serve', started_at: '2026-01-01T00:00:00.000Z' }
  // The writer's start time: any value but the current owner's.
  if (!opts.legacy) info.proc_start = String(Number(processStart(pid)) - 1)
  acquireDataDirLock(dir, 'serve')() // creates the dir
  writeFileSync(lockPath(dir), JSON.stringify(info))
}

describe('a pid file whose pid now belongs to another program', () => {
  test('the start time tells the pid file writer from the program now using its pid', () => {
    const dir = freshDir()
    const other = unrelatedProgram()
    stalePidFile(dir, other)
    expect(lockHolder(dir)).toBeNull()
    const release = acquireDataDirLock(dir, 'run')
    expect(readLock(dir)).toMatchObject({ pid: process.pid, command: 'run', proc_start: processStart(process.pid)! })
    release()
  })

  test('a pid file from a version without start times: the argv must name yt-serve or its command', () => {
    const dir = freshDir()
    stalePidFile(dir, unrelatedProgram(), { legacy: true })
    expect(lockHolder(dir)).toBeNull()
    acquireDataDirLock(dir, 'serve')()
  })

  test('a legacy pid file of a live yt-serve started without a command word still holds', async () => {
    const dir = freshDir()
    const holder = Bun.spawn(['bun', join(import.meta.dir, '../../src/index.ts'), '--port', '0', '--data-dir', dir], { stdout: 'pipe', stderr: 'pipe' })
    spawned.push(holder)
    await untilListening(holder)
    writeFileSync(lockPath(dir), JSON.stringify({ pid: holder.pid, command: 'serve', started_at: 'x' })) // as an older version wrote it
    expect(lockHolder(dir)?.pid).toBe(holder.pid)
  })

  test('the same pid and start time still hold the data dir', () => {
    const dir = freshDir()
    const other = unrelatedProgram()
    acquireDataDirLock(dir, 'serve')()
    writeFileSync(lockPath(dir), JSON.stringify({ pid: other, command: 'serve', started_at: 'x', proc_start: processStart(other) }))
    expect(lockHolder(dir)?.pid).toBe(other)
    expect(() => acquireDataDirLock(dir, 'run')).toThrow(Conflict)
  })

  test('a real yt-serve holding the data dir still refuses a second one', async () => {
    const dir = freshDir()
    const holder = Bun.spawn(['bun', join(import.meta.dir, '../../src/index.ts'), 'serve', '--port', '0', '--data-dir', dir], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    spawned.push(holder)
    await untilListening(holder)
    expect(lockHolder(dir)?.pid).toBe(holder.pid)
    expect(() => acquireDataDirLock(dir, 'run')).toThrow(/in use by "yt-serve serve"/)
  })
})

describe('the server starts over such a pid file', () => {
  let server: ServerProcess | undefined
  afterEach(async () => {
    server?.proc.kill('SIGTERM')
    await server?.proc.exited
    server = undefined
  })

  test.each([
    ['with a start time', false],
    ['legacy, without one', true],
  ])('%s', async (_name, legacy) => {
    const dir = freshDir()
    const other = unrelatedProgram()
    stalePidFile(dir, other, { legacy })
    server = await startServerProcess({ DATA_DIR: dir })
    expect((await server.json('GET', '/api/health')).status).toBe(200)
    const now = JSON.parse(readFileSync(lockPath(dir), 'utf8'))
    expect(now.pid).toBe(server.proc.pid)
    expect(spawned[0].exitCode).toBeNull() // the other program was left alone
  })
})

describe('cluster nodes: one pid file per node name', () => {
  /** A pid file written by a live process (this test's parent) for `node` (or the one-machine file). */
  function heldBy(dir: string, command: string, node?: string) {
    acquireDataDirLock(dir, 'serve')() // creates the dir
    writeFileSync(lockPath(dir, node), JSON.stringify({ pid: process.ppid, command, started_at: 'x', proc_start: processStart(process.ppid), node }))
  }

  test('serve nodes of other names share the data dir; one of the same name is refused', () => {
    const dir = freshDir()
    heldBy(dir, 'serve', 'a')
    const release = acquireDataDirLock(dir, 'serve', 'b')
    expect(readLock(dir, 'b')).toMatchObject({ pid: process.pid, node: 'b' })
    release()
    expect(() => acquireDataDirLock(dir, 'serve', 'a')).toThrow(/in use by "yt-serve serve" \(node a\)/)
  })

  test('run and migrate-db keep the data dir to themselves: refused beside a serve node, and a serve node beside them', () => {
    const dir = freshDir()
    heldBy(dir, 'serve', 'a')
    expect(() => acquireDataDirLock(dir, 'run')).toThrow(/in use by "yt-serve serve" \(node a\).*use its web UI or API/)
    expect(readLock(dir)).toBeNull() // the refused one took nothing
    const other = freshDir()
    heldBy(other, 'migrate-db')
    expect(() => acquireDataDirLock(other, 'serve', 'a')).toThrow(/in use by "yt-serve migrate-db"/)
    expect(readLock(other, 'a')).toBeNull()
  })

  test('the one-machine serve still refuses a second one with the same message', () => {
    const dir = freshDir()
    heldBy(dir, 'serve')
    expect(() => acquireDataDirLock(dir, 'serve')).toThrow(/^data dir .* is in use by "yt-serve serve" \(pid \d+\); use its web UI or API/)
  })
})
