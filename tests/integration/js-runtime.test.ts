// yt-serve as yt-dlp's JavaScript runtime, from source (the binary's BUN_BE_BUN case is in
// tests/cli/binary.test.ts). The yt-dlp is a wrapper that reports 2025.11.12 and records
// its arguments and environment, then runs the real yt-dlp against the fixture media server.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryIo } from '../../src/cli/io'
import { main } from '../../src/cli/main'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'

const WRAPPER = join(import.meta.dir, '../fixtures/new-yt-dlp.sh')
let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

async function runJob(env: Record<string, string>) {
  const t = await testContext({ YTDLP_PATH: WRAPPER, ...env })
  const log = join(t.dataDir, 'wrapper.log')
  process.env.YTS_WRAPPER_LOG = log
  try {
    const feed = await media.addFeed(`js-${Object.keys(env).length}`, { title: 'JS', items: [{ name: `js${Object.keys(env).length}` }] })
    const add = await t.addPlaylist(feed)
    const job = await t.startJob(add.id, 'download')
    expect(await t.manager.waitFor(job.id)).toMatchObject({ status: 'completed', download_completed: 1 })
    return readFileSync(log, 'utf8')
  } finally {
    delete process.env.YTS_WRAPPER_LOG
    await t.close()
  }
}

test('a yt-dlp ≥ 2025.11.12 gets --js-runtimes bun:<our bun> and the EJS fallback, and that runtime answers a script on stdin', async () => {
  const log = await runJob({})
  const calls = log.split('argv:').slice(1)
  // Adding indexes; the job indexes again while its download chunk starts: each got the wiring.
  expect(calls.length).toBe(3)
  expect(calls.filter((c) => c.includes(' --print before_dl:')).length).toBe(1)
  for (const call of calls) {
    expect(call).toContain(` --js-runtimes bun:${process.execPath} --remote-components ejs:github `)
    // From source our executable is bun itself: no BUN_BE_BUN needed, none set.
    expect(call).toContain('\nBUN_BE_BUN=\n')
    expect(call).toContain('\nruntime answered: 42\n')
  }
})

test('JS_RUNTIME=none and an empty REMOTE_COMPONENTS pass nothing', async () => {
  const log = await runJob({ JS_RUNTIME: 'none', REMOTE_COMPONENTS: '' })
  expect(log).toContain('argv:')
  expect(log).not.toContain('--js-runtimes')
  expect(log).not.toContain('--remote-components')
  expect(log).not.toContain('runtime answered')
})

test('doctor runs the runtime as yt-dlp would and shows ✓ with the Bun version', async () => {
  const io = memoryIo()
  process.env.YTDLP_PATH = WRAPPER
  try {
    await main(['doctor', '--data-dir', join(tmpdir(), `yt-serve-none-${process.pid}`)], io)
  } finally {
    delete process.env.YTDLP_PATH
  }
  // 2025.11.12 is itself stale by now: doctor says so, and still checks the runtime.
  expect(io.stdout).toMatch(/^[✓✗] yt-dlp: 2025\.11\.12 \(.*new-yt-dlp\.sh; YTDLP_PATH is set\)/m)
  expect(io.stdout).toContain(`✓ js runtime: bun ${Bun.version} (yt-serve itself: ${process.execPath})\n`)
  expect(io.stdout).not.toContain('note: the yt-dlp in use')
})
