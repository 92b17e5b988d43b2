// The command line in-process: dispatch, help, usage errors and the commands that need no network.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryIo } from '../../src/cli/io'
import { acquireDataDirLock, lockHolder, lockPath, processStart } from '../../src/cli/lock'
import { main, reportError } from '../../src/cli/main'
import { openExisting } from '../../src/cli/db-state'
import { parseConfig } from '../../src/config'
import { resolvePlaylist } from '../../src/cli/run'
import { insertJob, updateJob, findJob } from '../../src/db/jobs'
import { migrateToLatest } from '../../src/db/migrate'
import { openDatabase } from '../../src/db/open'
import { insertPlaylist } from '../../src/db/playlists'
import { Conflict } from '../../src/errors'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'yt-serve-cli-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

let n = 0
const freshDir = () => join(root, `d${++n}`)

async function cli(...argv: string[]) {
  const io = memoryIo()
  const code = await main(argv, io)
  return { code, stdout: io.stdout, stderr: io.stderr }
}

/** A user error: one "yt-serve: …" line, then the usage; never a stack trace. */
function expectUsageError(r: { code: number; stderr: string }, message: string | RegExp) {
  expect(r.code).toBe(2)
  const [first, second] = r.stderr.split('\n')
  expect(first).toMatch(/^yt-serve: /)
  expect(first).toMatch(message)
  expect(second).toMatch(/^usage: yt-serve/)
  expect(r.stderr).not.toMatch(/\n\s+at /)
}

describe('dispatch and help', () => {
  test('--help lists every command', async () => {
    const r = await cli('--help')
    expect(r.code).toBe(0)
    for (const c of ['serve', 'doctor', 'migrate', 'add', 'run', 'status', 'verify', 'backup', 'version']) expect(r.stdout).toContain(`  ${c} `)
  })

  test('every command has --help, and "help CMD" is the same', async () => {
    for (const c of ['serve', 'doctor', 'migrate', 'add', 'run', 'status', 'verify', 'backup', 'version']) {
      const r = await cli(c, '--help')
      expect(r.code).toBe(0)
      expect(r.stdout).toStartWith(`usage: yt-serve ${c}`)
      expect((await cli('help', c)).stdout).toBe(r.stdout)
    }
  })

  test('version and --version', async () => {
    const r = await cli('version')
    expect(r.stdout).toMatch(/^yt-serve \d+\.\d+\.\d+ \(bun /)
    expect((await cli('--version')).stdout).toBe(r.stdout)
  })

  test('unknown command, with a suggestion', async () => {
    const r = await cli('stauts')
    expect(r.code).toBe(2)
    expect(r.stderr).toStartWith('yt-serve: unknown command "stauts" (did you mean "status"?)\nusage: yt-serve')
    expect((await cli('help', 'nope')).code).toBe(2)
  })

  test('options without a command go to serve', async () => {
    expectUsageError(await cli('--prot', '1'), 'unknown option --prot (did you mean --port?)')
    expect((await cli('--prot', '1')).stderr).toContain('usage: yt-serve serve')
  })
})

describe('user errors exit 2 with one line and the usage', () => {
  test('serve: bad port, exposed host without auth', async () => {
    expectUsageError(await cli('serve', '--port', 'abc', '--data-dir', freshDir()), 'PORT must be a whole number')
    expectUsageError(await cli('serve', '--host', '0.0.0.0', '--data-dir', freshDir()), /not a loopback address.*--insecure-no-auth/)
  })

  test('add: bad URLs are refused before anything is written', async () => {
    const dir = freshDir()
    expectUsageError(await cli('add', 'ftp://example.com/x', '--data-dir', dir), 'only http and https URLs are accepted')
    expectUsageError(await cli('add', 'not a url', '--data-dir', dir), 'url must not contain spaces')
    expectUsageError(await cli('add', '--data-dir', dir), 'missing URL')
    expect(existsSync(dir)).toBe(false)
  })

  test('run: missing or bad --type, no database', async () => {
    const dir = freshDir()
    expectUsageError(await cli('run', '1', '--data-dir', dir), 'missing --type (download, extract, both, relayout)')
    expectUsageError(await cli('run', '1', '--type', 'video', '--data-dir', dir), '--type must be one of download, extract, both')
    expectUsageError(await cli('run', '1', '--type', 'both', '--data-dir', dir), /no database in .* add a playlist first/)
    expect(existsSync(dir)).toBe(false)
  })

  test('status and doctor: bad options', async () => {
    expectUsageError(await cli('status', '--limit', '0'), '--limit must be a whole number')
    expectUsageError(await cli('status', '--json=1'), '--json does not take a value')
    expectUsageError(await cli('doctor', 'extra'), 'unexpected argument "extra"')
    expectUsageError(await cli('migrate', '--force'), 'unknown option --force')
    expectUsageError(await cli('version', '--json'), 'unknown option --json')
  })

  test('unexpected errors exit 1 without a stack trace unless YT_SERVE_DEBUG is set', () => {
    const io = memoryIo()
    const before = process.env.YT_SERVE_DEBUG
    delete process.env.YT_SERVE_DEBUG
    expect(reportError(new Error('disk on fire'), null, io)).toBe(1)
    if (before !== undefined) process.env.YT_SERVE_DEBUG = before
    expect(io.stderr).toBe('yt-serve: disk on fire\n(set YT_SERVE_DEBUG=1 for a stack trace)\n')
  })
})

describe('migrate, status, run against a local database', () => {
  let dir: string
  beforeAll(() => {
    dir = freshDir()
  })

  test('status without a database says so and creates nothing', async () => {
    const r = await cli('status', '--data-dir', dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('no database yet')
    const j = await cli('status', '--json', '--data-dir', dir)
    expect(JSON.parse(j.stdout)).toMatchObject({ database: null, playlists: [], jobs: [] })
    expect(existsSync(dir)).toBe(false)
  })

  test('migrate applies the migrations once', async () => {
    const first = await cli('migrate', '--data-dir', dir)
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('applied 0001_init')
    const again = await cli('migrate', '--data-dir', dir)
    expect(again.stdout).toContain('up to date')
    expect(again.stdout).not.toContain('applied 0')
  })

  test('run: unknown playlist id or URL', async () => {
    expectUsageError(await cli('run', '42', '--type', 'both', '--data-dir', dir), 'playlist 42 not found')
    expectUsageError(await cli('run', 'https://example.com/feed.xml', '--type', 'both', '--data-dir', dir), 'no playlist with this URL has been added')
    expectUsageError(await cli('run', 'feed', '--type', 'both', '--data-dir', dir), 'is neither a playlist id nor a URL')
    expect(existsSync(lockPath(dir))).toBe(false) // released
  })

  test('status is read-only: a running job of another process stays running', async () => {
    const db = openDatabase(join(dir, 'yt-serve.db'))
    const p = await insertPlaylist(db, { url: 'https://example.com/p', title: 'Live one', folder: 'Live one', uploader: null, indexed_at: null })
    const job = await insertJob(db, p.id, 'both')
    const current = [{ video_id: 1, title: 'In flight', phase: 'download', percent: 40, speed: 1000, eta: 3 }]
    await updateJob(db, job.id, { status: 'running', download_status: 'running', download_total: 3, current: JSON.stringify(current) })
    try {
      const r = await cli('status', '--json', '--data-dir', dir)
      expect(r.code).toBe(0)
      const report = JSON.parse(r.stdout)
      expect(report.playlists[0]).toMatchObject({ id: p.id, title: 'Live one', counts: { entries: 0 } })
      expect(report.jobs[0]).toMatchObject({ id: job.id, status: 'running', current })
      const text = await cli('status', '--data-dir', dir)
      expect(text.stdout).toContain(`#${job.id}  both of #${p.id} "Live one": running, download 0/3`)
      expect(text.stdout).toContain('↓ In flight  40%')
      expect((await findJob(db, job.id))!.status).toBe('running')
    } finally {
      await db.destroy()
    }
  })

  test('resolvePlaylist takes an id, "#id" or the URL', async () => {
    const db = openDatabase(':memory:')
    await migrateToLatest(db)
    const p = await insertPlaylist(db, { url: 'https://example.com/list', title: 'T', folder: 'T', uploader: null, indexed_at: null })
    expect((await resolvePlaylist(db, String(p.id))).id).toBe(p.id)
    expect((await resolvePlaylist(db, `#${p.id}`)).id).toBe(p.id)
    expect((await resolvePlaylist(db, 'https://example.com/list')).id).toBe(p.id)
    await db.destroy()
  })
})

describe('data dir lock and read-only open', () => {
  test('a live holder refuses, a stale file is taken over, release removes it', async () => {
    const dir = freshDir()
    const release = acquireDataDirLock(dir, 'run')
    expect(existsSync(lockPath(dir))).toBe(true)
    release()
    expect(existsSync(lockPath(dir))).toBe(false)

    // A live process (our parent) holds it: same pid, same start time.
    writeFileSync(lockPath(dir), JSON.stringify({ pid: process.ppid, command: 'serve', started_at: 'x', proc_start: processStart(process.ppid) }))
    expect(lockHolder(dir)?.pid).toBe(process.ppid)
    expect(() => acquireDataDirLock(dir, 'run')).toThrow(Conflict)
    expect(() => acquireDataDirLock(dir, 'run')).toThrow(/in use by "yt-serve serve".*use its web UI or API/)

    // A process that has exited held it.
    const dead = Bun.spawn(['true'])
    await dead.exited
    writeFileSync(lockPath(dir), JSON.stringify({ pid: dead.pid, command: 'serve', started_at: 'x' }))
    expect(lockHolder(dir)).toBeNull()
    const again = acquireDataDirLock(dir, 'serve')
    expect(lockHolder(dir)).toBeNull() // it is ours now
    again()
  })

  test('openExisting does not create a database', async () => {
    const dir = freshDir()
    const path = join(dir, 'yt-serve.db')
    expect(await openExisting(parseConfig({ DATA_DIR: dir }))).toBeNull()
    expect(existsSync(path)).toBe(false)
  })
})

describe('formatStatus', () => {
  test('skipped and gone-upstream counts appear only when there are some', async () => {
    const { formatStatus } = await import('../../src/cli/status')
    const playlist = (counts: Record<string, number>) =>
      ({ id: 1, title: 'Mix', counts: { entries: 5, downloaded: 2, extracted: 2, failed: 0, missing: 0, skipped: 0, ...counts } }) as any
    const line = (counts: Record<string, number>) =>
      formatStatus({ data_dir: '/d', database: '/d/yt-serve.db', owner: null, playlists: [playlist(counts)], jobs: [] })[3]
    expect(line({})).toBe('  #1  Mix: 5 entries, 2 downloaded, 2 extracted, 0 failed')
    expect(line({ skipped: 2, missing: 1 })).toBe('  #1  Mix: 5 entries, 2 downloaded, 2 extracted, 0 failed, 2 skipped, 1 gone upstream')
  })
})
