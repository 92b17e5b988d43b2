// A damaged database file: doctor names it, and nothing that writes starts on it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryIo } from '../../src/cli/io'
import { main } from '../../src/cli/main'
import { checkBeforeUse, DamagedDatabase } from '../../src/db/integrity'
import { openDatabase } from '../../src/db/open'
import { damagedCopy, soundDatabase } from '../helpers/damaged-db'
import { freePort } from '../helpers/server-process'

const ROOT = join(import.meta.dir, '../..')
let root: string
let soundDir: string
let sound: string
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'yt-serve-damaged-'))
  soundDir = join(root, 'sound')
  mkdirSync(soundDir)
  sound = await soundDatabase(soundDir)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function cli(...argv: string[]) {
  const io = memoryIo()
  const code = await main(argv, io)
  return { code, stdout: io.stdout, stderr: io.stderr }
}

/** `yt-serve serve` as its own process, to its exit (it must not get as far as listening). */
async function serveProcess(dataDir: string) {
  const proc = Bun.spawn(['bun', join(ROOT, 'src/index.ts'), 'serve', '--port', String(await freePort()), '--data-dir', dataDir], {
    cwd: ROOT,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  return { code, stdout, stderr }
}

describe('doctor checks the database file itself', () => {
  test('a sound file: ✓ with quick_check, or integrity_check with --full', async () => {
    const quick = await cli('doctor', '--data-dir', soundDir)
    expect(quick.stdout).toMatch(/^✓ database: .* migrations applied .*; quick_check: ok$/m)
    const full = await cli('doctor', '--full', '--data-dir', soundDir)
    expect(full.stdout).toMatch(/^✓ database: .*; integrity_check: ok$/m)
  })

  test.each([
    ['quick', []],
    ['full', ['--full']],
  ] as const)('garbage in its pages (%s): ✗ naming the damage, the way back, exit 1', async (_mode, extra) => {
    const dir = join(root, `tail-${_mode}`)
    const path = damagedCopy(sound, dir, 'tail')
    const r = await cli('doctor', ...extra, '--data-dir', dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(new RegExp(`^✗ database: ${path} is damaged: ${extra.length ? 'integrity_check' : 'quick_check'} found .*page \\d+`, 'm'))
    expect(r.stdout).toContain(
      `    fix: stop yt-serve, move ${path} and any -wal and -shm files beside it aside (say to ${path}.damaged), then copy your last backup (made with "yt-serve backup FILE") to ${path}.`,
    )
    expect(r.stdout).toContain(`sqlite3 ${path}.damaged .recover | sqlite3 ${path}`)
  })

  test('a garbled header: ✗ "not a database", the same way back', async () => {
    const dir = join(root, 'header-doctor')
    damagedCopy(sound, dir, 'header')
    const r = await cli('doctor', '--data-dir', dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^✗ database: (cannot read .*not a database|.* is damaged)/m)
    expect(r.stdout).toContain('fix: stop yt-serve, move')
  })
})

describe('serve and run refuse a damaged database', () => {
  test('serve: exit 1 with the damage and the way back, no port opened, the file left as it was', async () => {
    const dir = join(root, 'tail-serve')
    const path = damagedCopy(sound, dir, 'tail')
    const before = readFileSync(path)
    const r = await serveProcess(dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`yt-serve: the database ${path} is damaged (`)
    expect(r.stderr).toContain('copy your last backup (made with "yt-serve backup FILE")')
    expect(r.stderr).toContain('is damaged (Tree ')
    expect(r.stderr).not.toMatch(/\n\s+at /) // a message, not a stack trace
    expect(r.stdout).not.toContain('listening')
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  test('serve with a garbled header: the same refusal', async () => {
    const dir = join(root, 'header-serve')
    const path = damagedCopy(sound, dir, 'header')
    const r = await serveProcess(dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`yt-serve: the database ${path} is damaged (`)
  })

  test('run and add (in-process): exit 1 with the same message', async () => {
    const dir = join(root, 'tail-run')
    const path = damagedCopy(sound, dir, 'tail')
    const run = await cli('run', '1', '--type', 'download', '--data-dir', dir)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`yt-serve: the database ${path} is damaged (`)
    const add = await cli('add', 'http://127.0.0.1:9/x.xml', '--data-dir', dir)
    expect(add.code).toBe(1)
    expect(add.stderr).toContain('is damaged')
  })

  test('above the size bound the start skips the check and says to run doctor', async () => {
    const path = damagedCopy(sound, join(root, 'tail-big'), 'tail')
    const db = openDatabase(path)
    const log: string[] = []
    try {
      await checkBeforeUse(db, path, (m) => log.push(m), 1024)
      expect(log).toEqual([expect.stringContaining('its integrity check is left out at start; run "yt-serve doctor"')])
      await expect(checkBeforeUse(db, path, (m) => log.push(m))).rejects.toThrow(DamagedDatabase)
    } finally {
      await db.destroy()
    }
  })

  test('the sound original still serves', async () => {
    const { startServerProcess } = await import('../helpers/server-process')
    await using server = await startServerProcess({ DATA_DIR: soundDir })
    expect((await server.json('GET', '/api/playlists')).json).toHaveLength(1)
  })
})
