// scripts/install-ytdlp.sh, the last step of scripts/install.sh: a current yt-dlp when
// the release answers, one warning and exit 0 when it does not (offline, CI).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildZipapp, startReleaseServer, versionDaysAgo, type ReleaseServer } from '../fixtures/ytdlp-release'
import { freePort } from '../helpers/server-process'

const SCRIPT = join(import.meta.dir, '../../scripts/install-ytdlp.sh')
let work: string
let rel: ReleaseServer
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'yt-serve-install-'))
  rel = startReleaseServer()
})
afterAll(() => {
  rel.stop()
  rmSync(work, { recursive: true, force: true })
})

async function install(env: Record<string, string>) {
  const proc = Bun.spawn(['bash', SCRIPT], { env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { stdout, stderr, code }
}

test('offline: one warning line naming the reason, the apt yt-dlp kept, exit 0', async () => {
  const dataDir = join(work, 'offline')
  const r = await install({ DATA_DIR: dataDir, YTDLP_RELEASES_URL: `http://127.0.0.1:${await freePort()}/yt-dlp/yt-dlp/releases` })
  expect(r.code).toBe(0)
  expect(r.stderr).toBe('')
  expect(r.stdout).toMatch(
    /^warning: no current yt-dlp installed \(cannot reach http:\/\/127\.0\.0\.1:\d+\/yt-dlp\/yt-dlp\/releases\/latest\/download\/SHA2-256SUMS: .* \(is this machine online\?\)\); keeping 2023\.03\.04 from apt; run 'bun src\/index\.ts ytdlp update' when online\n$/,
  )
  expect(existsSync(join(dataDir, 'bin', 'yt-dlp'))).toBe(false)
})

test('a network that never answers is cut off by the time bound, still exit 0', async () => {
  const silent = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  try {
    const r = await install({
      DATA_DIR: join(work, 'silent'),
      YTDLP_RELEASES_URL: `http://127.0.0.1:${silent.port}/yt-dlp/yt-dlp/releases`,
      YTDLP_INSTALL_TIMEOUT: '3',
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^warning: no current yt-dlp installed \(no answer in time\); keeping 2023\.03\.04 from apt; /)
  } finally {
    silent.stop(true)
  }
})

test('online: the current release is installed', async () => {
  const v = versionDaysAgo(4)
  rel.addRelease('yt-dlp', v, { 'yt-dlp': await buildZipapp(join(work, 'zip'), v) })
  rel.setLatest('yt-dlp', v)
  const dataDir = join(work, 'online')
  const r = await install({ DATA_DIR: dataDir, YTDLP_RELEASES_URL: rel.releasesUrl })
  expect(r).toMatchObject({ code: 0, stdout: `yt-dlp ${v} installed\n` })
  expect(existsSync(join(dataDir, 'bin', `yt-dlp-${v}`))).toBe(true)
})
