// The compiled executable as a black box: built once with the package.json "build"
// flags, copied alone into an empty directory, and run there against the fixture
// media server with the real yt-dlp and ffmpeg.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Database } from 'bun:sqlite'
import pkg from '../../package.json'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { damagedCopy, soundDatabase } from '../helpers/damaged-db'
import { buildZipapp, startReleaseServer, versionDaysAgo } from '../fixtures/ytdlp-release'
import { postgres } from '../helpers/dialects'
import { postgresMissing } from '../helpers/postgres-cluster'
import { migrations } from '../../migrations/index'

const MIGRATIONS = Object.keys(migrations).length

const repo = join(import.meta.dir, '..', '..')

let work: string // everything of this test run
let bin: string // the executable, alone in its directory
let cwd: string // an empty working directory; the default ./data lands here
let dataDir: string
let media: MediaServer
let buildMs = 0

interface Result {
  code: number
  stdout: string
  stderr: string
}

/** A clean environment: nothing from the developer's shell except PATH (for yt-dlp and ffmpeg). */

/** The pid-file locks in a data dir: yt-serve.pid, or yt-serve.<node>.pid for a cluster node. */
const pidFiles = (dir: string) => readdirSync(dir).filter((f) => /^yt-serve(\..+)?\.pid$/.test(f))
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: work,
    ALLOW_PRIVATE_URLS: 'true',
    EXTRACT_CONCURRENCY: '2',
    SOCKET_TIMEOUT: '5',
    YTDLP_AUTO_UPDATE: 'off',
    ...extra,
  }
}

async function yt(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Result> {
  const proc = Bun.spawn([bin, ...args], { cwd, env: env(opts.env), stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const timer = setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 30_000)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  return { code, stdout, stderr }
}

/** A user error: exit 2, one "yt-serve: …" line then the usage, no stack trace. */
function expectUserError(r: Result, message: string | RegExp): void {
  expect(r.code).toBe(2)
  const [first, second] = r.stderr.split('\n')
  expect(first).toMatch(/^yt-serve: /)
  expect(first).toMatch(message)
  expect(second).toMatch(/^usage: yt-serve /)
  expect(r.stderr).not.toMatch(/\n\s+at |error: .*\n.*\^/)
}

/** Reads a stream until `pattern` shows up; returns everything read so far. */
function reader(stream: ReadableStream<Uint8Array>) {
  const it = stream.getReader()
  const dec = new TextDecoder()
  let text = ''
  let ended = false
  // A read that lost the race against the timeout is kept for the next call: no chunk is dropped.
  let pendingRead: ReturnType<typeof it.read> | null = null
  return {
    get text() {
      return text
    },
    async until(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs
      while (!pattern.test(text)) {
        if (ended) throw new Error(`stream ended without ${pattern}:\n${text}`)
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`timed out waiting for ${pattern}:\n${text}`)
        const next = await Promise.race([pendingRead ?? (pendingRead = it.read()), Bun.sleep(left).then(() => null)])
        if (next === null) continue
        pendingRead = null
        if (next.done) ended = true
        else text += dec.decode(next.value, { stream: true })
      }
      return text.match(pattern)!
    },
    async rest(): Promise<string> {
      for (;;) {
        const next = await (pendingRead ?? it.read())
        pendingRead = null
        if (next.done) return text
        text += dec.decode(next.value, { stream: true })
      }
    },
  }
}

/** Processes whose command line mentions `needle` (leftover yt-dlp/ffmpeg children). */
function processesMentioning(needle: string): string[] {
  const out: string[] = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      if (cmd.includes(needle)) out.push(`${pid}: ${cmd}`)
    } catch {
      // gone meanwhile
    }
  }
  return out
}

const files = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => !f.startsWith('.'))
        .sort()
    : []

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'yt-serve-bin-'))
  // The build exactly as `bun run build` does it, only into our own directory.
  const argv = pkg.scripts.build.split(/\s+/)
  expect(argv.slice(0, 2)).toEqual(['bun', 'build'])
  const built = join(work, 'build', 'yt-serve')
  const out = argv.indexOf('--outfile')
  argv[out + 1] = built
  const t0 = performance.now()
  const proc = Bun.spawn([process.execPath, ...argv.slice(1)], { cwd: repo, stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  buildMs = performance.now() - t0
  if (code !== 0) throw new Error(`build failed (${code}):\n${stdout}\n${stderr}`)
  // Alone in an empty directory, run from another empty directory: no node_modules, no sources.
  mkdirSync(join(work, 'bin'))
  bin = join(work, 'bin', 'yt-serve')
  copyFileSync(built, bin)
  chmodSync(bin, 0o755)
  rmSync(join(work, 'build'), { recursive: true, force: true })
  cwd = join(work, 'cwd')
  mkdirSync(cwd)
  dataDir = join(cwd, 'data')
  media = await startMediaServer()
}, 120_000)

afterAll(async () => {
  await media?.stop()
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('the build', () => {
  test('one self-contained executable', async () => {
    console.log(`build: ${Math.round(buildMs)} ms, ${(statSync(bin).size / 1024 / 1024).toFixed(1)} MiB`)
    expect(readdirSync(join(work, 'bin'))).toEqual(['yt-serve'])
    const r = await yt(['version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^yt-serve ${pkg.version.replaceAll('.', '\\.')} \\(bun .*single binary\\)\\n$`))
    expect((await yt(['--version'])).stdout).toBe(r.stdout)
  })

  test('--help, and a user error never shows a stack trace', async () => {
    const help = await yt(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Commands:')
    const r = await yt(['frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr).toStartWith('yt-serve: unknown command "frobnicate"')
    expectUserError(await yt(['version', '--verbose']), 'unknown option --verbose')
  })
})

describe('doctor', () => {
  test('Debian\'s yt-dlp is a ✗ (stale); after "ytdlp update" from a local release every check passes', async () => {
    const r = await yt(['doctor'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    for (const name of ['js runtime', 'ffmpeg', 'ffprobe', 'data dir', 'disk space', 'database']) expect(r.stdout).toMatch(new RegExp(`^✓ ${name}: `, 'm'))
    expect(r.stdout).toMatch(
      /^✗ yt-dlp: 2023\.03\.04 \(yt-dlp; no managed yt-dlp is installed \(yt-serve ytdlp update installs one\)\) was released \d+ days ago \(more than 90\)/m,
    )
    expect(r.stdout).toContain('    fix: yt-serve ytdlp update')
    expect(r.stdout).toMatch(/^✓ disk space: [\d.]+ [KMGT]iB free for .* \(downloads wait below 1024 MB\)$/m)
    // The binary is bun for yt-dlp: the script on stdin ran under BUN_BE_BUN=1.
    expect(r.stdout).toContain(`✓ js runtime: bun ${Bun.version} (yt-serve itself: ${bin} with BUN_BE_BUN=1)`)
    expect(r.stdout).toContain('no database yet')
    expect(existsSync(dataDir)).toBe(false) // doctor creates nothing

    const rel = startReleaseServer()
    const managedDir = join(work, 'managed-data')
    try {
      const version = versionDaysAgo(2)
      rel.addRelease('yt-dlp', version, { 'yt-dlp': await buildZipapp(join(work, 'zipapp'), version) })
      rel.setLatest('yt-dlp', version)
      const env = { YTDLP_RELEASES_URL: rel.releasesUrl }
      const up = await yt(['ytdlp', 'update', '--data-dir', managedDir], { env, timeoutMs: 60_000 })
      expect(up.stdout).toBe(`yt-dlp ${version} installed\n`)
      expect(up.code).toBe(0)
      const after = await yt(['doctor', '--data-dir', managedDir], { env })
      expect(after.stdout).toMatch(
        new RegExp(`^✓ yt-dlp: ${version.replaceAll('.', '\\.')} \\(${managedDir}/bin/yt-dlp-${version}; the managed yt-dlp in `, 'm'),
      )
      expect(after.stdout).toContain('all checks passed')
      expect(after.code).toBe(0)
    } finally {
      rel.stop()
    }
  })

  test('a missing tool is a ✗ with its fix, and exit status 1', async () => {
    const r = await yt(['doctor'], { env: { YTDLP_PATH: '/nonexistent/yt-dlp', FFPROBE_PATH: '/nonexistent/ffprobe' } })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^✗ yt-dlp: not usable at "\/nonexistent\/yt-dlp"/m)
    expect(r.stdout).toContain('fix: update the yt-dlp at YTDLP_PATH, or unset YTDLP_PATH and run: yt-serve ytdlp update')
    expect(r.stdout).toMatch(/^✗ ffprobe: /m)
    expect(r.stdout).toMatch(/^✓ ffmpeg: /m)
    expect(r.stdout).toContain('2 check(s) failed')
  })

  test('less free space than MIN_FREE_SPACE_MB is a ✗ with its fix', async () => {
    const r = await yt(['doctor'], { env: { MIN_FREE_SPACE_MB: '1000000000' } })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^✗ disk space: .* below MIN_FREE_SPACE_MB \(1000000000 MB\): downloads would wait$/m)
    expect(r.stdout).toContain('fix: free some space, move the media (DATA_DIR, or MEDIA_DIR when set) to a larger disk, or lower MIN_FREE_SPACE_MB')
  })

  test('an unwritable data dir is a ✗; bad flags are usage errors', async () => {
    const file = join(work, 'a-file')
    await Bun.write(file, 'not a directory')
    const r = await yt(['doctor', '--data-dir', join(file, 'data')])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`✗ data dir: ${join(file, 'data')} is not writable: ${file} is a file, not a directory`)
    expect(r.stdout).toContain('    fix: create it and give this user write access')
    const asFile = await yt(['doctor', '--data-dir', file])
    expect(asFile.stdout).toContain(`✗ data dir: ${file} is not a directory`)
    expectUserError(await yt(['doctor', '--data-dir']), '--data-dir needs a value')
  })

  test('a database with garbage in its pages is a ✗ with the way back; serve refuses it', async () => {
    const soundDir = join(work, 'sound-db')
    mkdirSync(soundDir)
    const damagedDir = join(work, 'damaged-db')
    const path = damagedCopy(await soundDatabase(soundDir), damagedDir, 'tail')
    expect((await yt(['doctor', '--full', '--data-dir', soundDir])).stdout).toMatch(/^✓ database: .*; integrity_check: ok$/m)
    const r = await yt(['doctor', '--data-dir', damagedDir])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^✗ database: .* is damaged: quick_check found /m)
    expect(r.stdout).toContain('copy your last backup (made with "yt-serve backup FILE")')
    const serve = await yt(['serve', '--port', '0', '--data-dir', damagedDir])
    expect(serve.code).toBe(1)
    expect(serve.stderr).toStartWith(`yt-serve: the database ${path} is damaged (`)
  })
})

describe('migrate, add, run, status in an empty directory', () => {
  let good: string
  let mixed: string

  beforeAll(async () => {
    good = await media.addFeed('good', {
      title: 'Good Feed',
      items: [
        { name: 'g1', title: 'One' },
        { name: 'g2', title: 'Two' },
        { name: 'g3', title: 'Three' },
      ],
    })
    mixed = await media.addFeed('mixed', {
      title: 'Mixed Feed',
      items: [
        { name: 'm1', title: 'Fine' },
        { name: 'm2', title: 'Vanished', kind: 'missing' },
      ],
    })
  })

  test('migrate creates the database from the migrations inside the binary', async () => {
    const r = await yt(['migrate'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('applied 0001_init')
    expect(existsSync(join(dataDir, 'yt-serve.db'))).toBe(true)
    expect((await yt(['migrate'])).stdout).toContain('up to date')
    expectUserError(await yt(['migrate', 'now']), 'unexpected argument "now"')
  })

  test('add prints id, title and entry count', async () => {
    const r = await yt(['add', good])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toStartWith('added playlist #1 "Good Feed" with 3 entries\n')
    const j = await yt(['add', mixed, '--json'])
    expect(JSON.parse(j.stdout)).toMatchObject({ id: 2, title: 'Mixed Feed', entries: 2, url: mixed })
  })

  test('add: duplicate, bad URL, unreadable URL, private address without ALLOW_PRIVATE_URLS', async () => {
    expectUserError(await yt(['add', good]), 'this playlist was already added as #1')
    expectUserError(await yt(['add', 'file:///etc/passwd']), 'only http and https URLs are accepted')
    expectUserError(await yt(['add', `${media.url}/feeds/nope.xml`]), 'yt-dlp cannot read this URL')
    expectUserError(await yt(['add', `${media.url}/feeds/other.xml`], { env: { ALLOW_PRIVATE_URLS: 'false' } }), 'private or local address')
  })

  test('run --type both: plain progress when piped, files on disk, exit 0', async () => {
    const r = await yt(['run', '1', '--type', 'both'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toStartWith('job #1: both for playlist #1 "Good Feed"')
    expect(r.stdout).not.toContain('\x1b') // no terminal escapes into a pipe
    expect(r.stdout).toContain('  downloading: One')
    expect(r.stdout).toContain('  extracting: Three')
    expect(r.stdout).toContain('download 3/3 done | extract 3/3 done')
    expect(r.stdout).toMatch(/✓ job #1 completed in [\d.]+ s: 3 downloaded, 3 extracted, 0 failed/)
    const folder = join(dataDir, 'Good Feed')
    expect(files(join(folder, 'videos'))).toEqual(['001 - One.mp4', '002 - Two.mp4', '003 - Three.mp4'])
    expect(files(join(folder, 'audio'))).toEqual(['001 - One.mp3', '002 - Two.mp3', '003 - Three.mp3'])
    for (const f of files(join(folder, 'audio'))) expect(statSync(join(folder, 'audio', f)).size).toBeGreaterThan(1000)
    expect(pidFiles(dataDir)).toEqual([]) // the lock went with the process
  })

  test('run by URL; nothing left to do is still a success', async () => {
    const r = await yt(['run', good, '--type', 'extract'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('extract 0/0 done')
  })

  test('run with a failing item: exit 1 and the item named', async () => {
    const r = await yt(['run', '2', '--type', 'both'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('download 1/2 done, 1 failed | extract 1/1 done')
    expect(r.stdout).toMatch(/✗ job #3 completed in .* with 1 failed item\(s\)/)
    expect(r.stdout).toMatch(/ {2}- Vanished: .*404/)
    expect(files(join(dataDir, 'Mixed Feed', 'audio'))).toEqual(['001 - Fine.mp3'])
  })

  test('run: unknown playlist, missing --type, bad --type', async () => {
    expectUserError(await yt(['run', '99', '--type', 'both']), 'playlist 99 not found')
    expectUserError(await yt(['run', `${media.url}/feeds/unknown.xml`, '--type', 'both']), 'no playlist with this URL has been added')
    expectUserError(await yt(['run', '1']), 'missing --type')
    expectUserError(await yt(['run', '1', '--type', 'audio']), '--type must be one of download, extract, both')
  })

  test('Ctrl-C cancels: children killed, finished files kept, exit 130', async () => {
    const slow = await media.addFeed('slow', {
      title: 'Slow Feed',
      items: [
        { name: 's1', title: 'S one' },
        { name: 's2', title: 'S two' },
        { name: 's3', title: 'S three' },
      ],
    })
    expect((await yt(['add', slow])).code).toBe(0)
    media.setThrottle(25_000)
    try {
      const proc = Bun.spawn([bin, 'run', '3', '--type', 'both'], { cwd, env: env(), stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
      const out = reader(proc.stdout)
      await out.until(/^download 1\/3/m) // one item is finished, the next is in flight
      expect(processesMentioning(dataDir).length).toBeGreaterThan(0) // yt-dlp is running
      proc.kill('SIGINT')
      const code = await proc.exited
      const stdout = await out.rest()
      const stderr = await new Response(proc.stderr).text()
      expect(code).toBe(130)
      expect(stderr).toContain('cancelling')
      expect(stdout).toMatch(/job #4 cancelled after .*: 1 downloaded, \d extracted, 0 failed; finished files are kept/)
      expect(files(join(dataDir, 'Slow Feed', 'videos'))).toEqual(['001 - S one.mp4'])
      expect(processesMentioning(dataDir)).toEqual([])
    } finally {
      media.setThrottle(null)
    }
  })

  test('status --json: playlists with counts and the jobs, read from the database', async () => {
    const r = await yt(['status', '--json'])
    expect(r.code).toBe(0)
    const s = JSON.parse(r.stdout)
    expect(s).toMatchObject({ data_dir: dataDir, database: join(dataDir, 'yt-serve.db'), owner: null })
    expect(s.playlists.map((p: any) => [p.id, p.title, p.counts.entries, p.counts.downloaded, p.counts.extracted, p.counts.failed])).toEqual([
      [1, 'Good Feed', 3, 3, 3, 0],
      [2, 'Mixed Feed', 2, 1, 1, 1],
      [3, 'Slow Feed', 3, 1, expect.any(Number), 0],
    ])
    expect(s.jobs.map((j: any) => [j.id, j.type, j.status])).toEqual([
      [4, 'both', 'cancelled'],
      [3, 'both', 'completed'],
      [2, 'extract', 'completed'],
      [1, 'both', 'completed'],
    ])
    const text = await yt(['status', '--limit', '1'])
    expect(text.stdout).toContain('#1  Good Feed: 3 entries, 3 downloaded, 3 extracted, 0 failed')
    expect(text.stdout).toContain('Jobs (1 most recent):')
    expectUserError(await yt(['status', '--limit', 'all']), '--limit must be a whole number')
  })

  test('a job that cannot run at all (yt-dlp missing) exits 2', async () => {
    const r = await yt(['run', '1', '--type', 'download'], { env: { YTDLP_PATH: '/nonexistent/yt-dlp' } })
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/✗ job #5 failed: .*yt-dlp could not be started.*apt-get install yt-dlp/)
    const s = JSON.parse((await yt(['status', '--json', '--limit', '1'])).stdout)
    expect(s.jobs[0]).toMatchObject({ id: 5, status: 'failed' })
  })

  test('verify: exit 0 when every file is there; a deleted one is named, marked pending, exit 1', async () => {
    const ok = await yt(['verify', '1'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toBe('playlist #1 "Good Feed": 6 archived file(s) checked\nall files are in place\n')
    rmSync(join(dataDir, 'Good Feed', 'audio', '002 - Two.mp3'))
    const r = await yt(['verify', '1'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('  missing audio: Good Feed/audio/002 - Two.mp3 (Two)')
    expect(r.stdout).toContain('0 video and 1 audio file(s) missing: marked to be fetched again (yt-serve run 1 --type both)')
    const again = JSON.parse((await yt(['verify', '1', '--json'])).stdout)
    expect(again).toMatchObject({ checked: 5, videos_missing: 0, audio_missing: 0, missing: [] })
    expectUserError(await yt(['verify', '99']), 'playlist 99 not found')
  })
})

describe('serve', () => {
  let server: ReturnType<typeof Bun.spawn<'ignore', 'pipe', 'pipe'>>
  let base: string
  const serveDir = () => join(work, 'served')

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; res: Response }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    let json: any = text
    try {
      json = JSON.parse(text)
    } catch {}
    return { status: res.status, json, res }
  }

  test('starts from an empty directory on a free port and serves / and /api/health', async () => {
    server = Bun.spawn([bin, 'serve', '--port', '0', '--data-dir', serveDir()], { cwd, env: env(), stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
    const out = reader(server.stdout)
    base = (await out.until(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]
    const health = await api('GET', '/api/health')
    expect(health.status).toBe(200)
    expect(health.json).toMatchObject({ status: 'ok', version: pkg.version })
    expect(health.json.disk_free_bytes).toBeGreaterThan(0)
    const home = await fetch(`${base}/`)
    expect(home.status).toBe(200)
    expect(home.headers.get('content-type')).toContain('text/html')
    // Every stylesheet and script the page links is embedded in the binary.
    const html = await home.text()
    const assets = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/[^"/][^"]*)"/g)].map((m) => m[1]).filter((p) => p !== '/')
    for (const a of assets) expect([a, (await fetch(`${base}${a}`)).status]).toEqual([a, 200])
  })

  test('serves the OpenAPI document and the API reference with its vendored Swagger UI', async () => {
    const spec = await api('GET', '/api/openapi.json')
    expect(spec.status).toBe(200)
    expect(spec.json).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'yt-serve API', version: pkg.version } })
    expect(spec.json.paths['/api/playlists/{id}/jobs'].post.requestBody).toBeDefined()
    const docs = await fetch(`${base}/api/docs`)
    expect(docs.status).toBe(200)
    const html = await docs.text()
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1])
    expect(assets.filter((a) => /swagger-ui/.test(a)).length).toBe(2)
    const sizes: Record<string, number> = {}
    for (const a of assets) {
      const res = await fetch(`${base}${a}`)
      sizes[a] = (await res.arrayBuffer()).byteLength
      expect([a, res.status, sizes[a] > 0]).toEqual([a, 200, true])
    }
    // The whole Swagger UI bundle comes out of the binary (1.7 MB), not a stand-in.
    expect(Object.entries(sizes).find(([a]) => a.includes('swagger-ui-bundle'))?.[1]).toBeGreaterThan(1_000_000)
  })

  test('a second serve or a run on the same data dir is refused', async () => {
    expectUserError(await yt(['serve', '--port', '0', '--data-dir', serveDir()]), /data dir .* is in use by "yt-serve serve"/)
    expectUserError(await yt(['run', '1', '--type', 'both', '--data-dir', serveDir()]), /in use by "yt-serve serve".*web UI or API/)
  })

  test('a second serve on the same port is refused before it touches its data dir', async () => {
    // Bun would share the port (SO_REUSEPORT) and split connections between two libraries.
    const port = new URL(base).port
    const other = join(work, 'other-served')
    expectUserError(await yt(['serve', '--port', port, '--data-dir', other]), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`))
    expect(existsSync(join(other, 'yt-serve.db'))).toBe(false)
    expect((await api('GET', '/api/health')).status).toBe(200)
  })

  test('the JSON API runs a job; status reads its live progress alongside', async () => {
    const feed = await media.addFeed('api', {
      title: 'Api Feed',
      items: [
        { name: 'p1', title: 'P one' },
        { name: 'p2', title: 'P two' },
      ],
    })
    const added = await api('POST', '/api/playlists', { url: feed })
    expect(added.status).toBe(201)
    expect(added.json).toMatchObject({ id: 1, title: 'Api Feed' })
    media.setThrottle(40_000)
    let job: any
    try {
      const created = await api('POST', `/api/playlists/${added.json.id}/jobs`, { type: 'both' })
      expect(created.status).toBe(202)
      job = created.json
      // status from another process while the server works: read-only, sees the running job.
      await Bun.sleep(600) // > the 250 ms progress flush
      const s = await yt(['status', '--json', '--data-dir', serveDir()])
      expect(s.code).toBe(0)
      const report = JSON.parse(s.stdout)
      expect(report.owner).toMatchObject({ command: 'serve', pid: server.pid })
      expect(report.jobs[0]).toMatchObject({ id: job.id, status: 'running' })
      const deadline = Date.now() + 30_000
      while (job.status !== 'completed' && Date.now() < deadline) {
        expect(['queued', 'running']).toContain(job.status) // never "interrupted" by status
        await Bun.sleep(200)
        job = (await api('GET', `/api/jobs/${job.id}`)).json
      }
    } finally {
      media.setThrottle(null)
    }
    expect(job).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 2, download_failed: 0, extract_failed: 0 })
    expect(files(join(serveDir(), 'Api Feed', 'audio'))).toEqual(['001 - P one.mp3', '002 - P two.mp3'])
  })

  test('backup while the server runs: a consistent copy, readable on its own; never over an existing file', async () => {
    const dest = join(work, 'backup.db')
    const r = await yt(['backup', dest, '--data-dir', serveDir()])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^backed up .*yt-serve\.db to .*backup\.db \([\d.]+ KiB\): 1 playlist\(s\), 2 entries, 1 job\(s\)$/m)
    const copy = new Database(dest, { readonly: true })
    try {
      expect(copy.query('pragma integrity_check').get()).toEqual({ integrity_check: 'ok' })
      expect(copy.query('select title from playlists').all()).toEqual([{ title: 'Api Feed' }])
      expect(copy.query("select count(*) as n from videos where extract_state = 'extracted'").get()).toEqual({ n: 2 })
    } finally {
      copy.close()
    }
    expectUserError(await yt(['backup', dest, '--data-dir', serveDir()]), 'already exists; choose a new file name')
    expectUserError(await yt(['backup', join(work, 'no-such-dir', 'b.db'), '--data-dir', serveDir()]), 'does not exist')
  })

  test('SIGTERM stops it cleanly and frees the data dir', async () => {
    server.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    // Any node's lock: in cluster mode (DATABASE_URL) it is yt-serve.<node>.pid.
    expect(pidFiles(serveDir())).toEqual([])
  })

  test('user errors: exposed host without auth, bad port', async () => {
    expectUserError(await yt(['serve', '--host', '0.0.0.0', '--port', '0']), /not a loopback address/)
    expectUserError(await yt(['--port', 'http']), 'PORT must be a whole number')
  })
})

test('a yt-dlp ≥ 2025.11.12 runs the binary itself as its JS runtime, with BUN_BE_BUN=1 for it alone', async () => {
  const dir = join(work, 'js-data')
  const log = join(work, 'wrapper.log')
  const feed = await media.addFeed('binjs', { title: 'Bin JS', items: [{ name: 'bj1' }] })
  const wrapper = join(repo, 'tests/fixtures/new-yt-dlp.sh')
  const env = { YTDLP_PATH: wrapper, YTS_WRAPPER_LOG: log }
  expect((await yt(['add', feed, '--data-dir', dir], { env })).code).toBe(0)
  const r = await yt(['run', '1', '--type', 'download', '--data-dir', dir], { env })
  expect(r.code).toBe(0)
  const calls = readFileSync(log, 'utf8').split('argv:').slice(1)
  expect(calls.length).toBeGreaterThanOrEqual(2)
  for (const call of calls) {
    expect(call).toContain(` --js-runtimes bun:${bin} --remote-components ejs:github `)
    expect(call).toContain('\nBUN_BE_BUN=1\nruntime answered: 42\n')
  }
})

// DATABASE_URL inside the compiled binary: pg and Kysely's PostgreSQL dialect are bundled
// in, and every command works against a throwaway PostgreSQL cluster on 127.0.0.1.
describe.skipIf(postgresMissing() !== null)(`on PostgreSQL (DATABASE_URL)${postgresMissing() ? ` (skipped: ${postgresMissing()})` : ''}`, () => {
  let db: Record<string, string>
  let feed: string
  const pgDir = () => join(work, 'pg-data')
  const PASSWORD = 'not-shown-anywhere'
  const withPassword = (url: string) => url.replace('postgres@', `postgres:${PASSWORD}@`)
  const run = (args: string[], extra: Record<string, string> = {}) => yt([...args, '--data-dir', pgDir()], { env: { ...db, ...extra } })
  const noPassword = (r: Result) => expect(r.stdout + r.stderr).not.toContain(PASSWORD)

  beforeAll(async () => {
    // The cluster trusts loopback: the password is only there to prove it is never printed.
    db = { DATABASE_URL: withPassword((await postgres.env()).DATABASE_URL) }
    feed = await media.addFeed('pgbin', {
      title: 'PG Feed',
      items: [
        { name: 'pg1', title: 'Uno' },
        { name: 'pg2', title: 'Dos' },
      ],
    })
  })

  test('migrate, add, run, status: the archive lives in PostgreSQL, not in the data dir', async () => {
    const m = await run(['migrate'])
    expect(m.code).toBe(0)
    expect(m.stdout).toContain('applied 0001_init')
    expect(m.stdout).toMatch(new RegExp(`postgres://postgres@127\\.0\\.0\\.1:\\d+/t_\\d+_\\d+: ${MIGRATIONS} migration\\(s\\) applied`))
    const add = await run(['add', feed])
    expect(add.code).toBe(0)
    expect(add.stdout).toStartWith('added playlist #1 "PG Feed" with 2 entries\n')
    expect((await run(['run', '1', '--type', 'both'])).code).toBe(0)
    expect(files(join(pgDir(), 'PG Feed', 'audio'))).toHaveLength(2)
    expect(existsSync(join(pgDir(), 'yt-serve.db'))).toBe(false)
    const status = await run(['status', '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({
      playlists: [{ id: 1, counts: { entries: 2, downloaded: 2, extracted: 2 } }],
      jobs: [{ status: 'completed' }],
    })
    for (const r of [m, add, status]) noPassword(r)
  })

  test('doctor names the server and the migrations; backup points to pg_dump; an unreachable server is one clear line', async () => {
    const doctor = await run(['doctor'])
    expect(doctor.stdout).toMatch(
      new RegExp(`✓ database: postgres://postgres@127\\.0\\.0\\.1:\\d+/t_\\d+_\\d+: PostgreSQL 1\\d[.\\d]*.*, all ${MIGRATIONS} migrations applied`),
    )
    const backup = await run(['backup', join(work, 'pg-backup.db')])
    expectUserError(backup, /database is PostgreSQL .*pg_dump --format=custom/)
    const closed = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
    const port = closed.port
    closed.stop(true)
    const down = await run(['status'], { DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/nowhere` })
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(
      /^yt-serve: cannot use the PostgreSQL database postgres:\/\/postgres@127\.0\.0\.1:\d+\/nowhere \(DATABASE_URL\): .*ECONNREFUSED/,
    )
    expect(down.stderr).not.toMatch(/\n\s+at /)
    for (const r of [doctor, backup, down]) noPassword(r)
  })

  test('serve answers the API from PostgreSQL', async () => {
    const server = Bun.spawn([bin, 'serve', '--port', '0', '--data-dir', pgDir()], { cwd, env: env(db), stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
    try {
      const out = reader(server.stdout)
      const base = (await out.until(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]
      expect(out.text).toMatch(/database postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_/)
      const playlists = await (await fetch(`${base}/api/playlists`)).json()
      expect(playlists).toMatchObject([{ id: 1, title: 'PG Feed', counts: { extracted: 2 } }])
      expect(out.text).not.toContain(PASSWORD)
    } finally {
      server.kill('SIGTERM')
      expect(await server.exited).toBe(0)
    }
  })

  test('migrate-db moves an SQLite archive made by the binary into PostgreSQL', async () => {
    const sqliteDir = join(work, 'to-move')
    expect((await yt(['add', feed, '--data-dir', sqliteDir])).code).toBe(0)
    const target = withPassword((await postgres.env()).DATABASE_URL)
    const moved = await yt(['migrate-db', '--to', target, '--data-dir', sqliteDir])
    expect(moved.stderr).toBe('')
    expect(moved.code).toBe(0)
    expect(moved.stdout).toContain('copied and verified: 1 playlist(s), 2 entries, 0 job(s)')
    noPassword(moved)
    const status = await yt(['status', '--json', '--data-dir', sqliteDir], { env: { DATABASE_URL: target } })
    expect(JSON.parse(status.stdout).playlists).toMatchObject([{ id: 1, title: 'PG Feed', counts: { entries: 2 } }])
  })
})
