import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { probe } from '../helpers/probe'
import { processesMentioning, startServerProcess, waitUntil } from '../helpers/server-process'

let media: MediaServer
const dirs: string[] = []
beforeAll(async () => (media = await startMediaServer({ throttleBytesPerSec: 150_000 })))
afterAll(async () => {
  await media.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'yt-serve-crash-'))
  dirs.push(d)
  return d
}

const N = 6
const names = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}${i}`)

describe('crash recovery', () => {
  test('SIGKILL mid-"both": the job is interrupted, resumes, and fetches nothing twice', async () => {
    const dataDir = tempDataDir()
    const env = { DATA_DIR: dataDir, EXTRACT_CONCURRENCY: '1', SOCKET_TIMEOUT: '5' }
    const feed = await media.addFeed('crash', { title: 'Crash', items: names('c').map((name) => ({ name, title: name, seconds: 4 })) })
    const first = await startServerProcess(env)
    const add = await first.json('POST', '/api/playlists', { url: feed })
    expect(add.status).toBe(201)
    const job = await first.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
    expect(job.status).toBe(202)
    // Kill it while an item is half downloaded and others are done.
    await waitUntil('a half-done download', async () => {
      const j = (await first.json('GET', `/api/jobs/${job.json.id}`)).json
      return j.download_completed >= 2 && j.current.some((c: any) => c.phase === 'download' && c.percent > 10 && c.percent < 80)
    })
    // The killed server's yt-dlp lives on until the next start reaps it; under load that can
    // take seconds, long enough to finish a body nobody will record. Hold every body until then.
    const holds = names('c').map((n) => media.holdBack(n))
    first.proc.kill('SIGKILL')
    await first.proc.exited

    await using second = await startServerProcess(env)
    for (const release of holds) release()
    const interrupted = (await second.json('GET', `/api/jobs/${job.json.id}`)).json
    expect(interrupted.status).toBe('interrupted')
    expect(interrupted.error).toContain('resume')
    // The orphans of the killed server were reaped; no temporary audio survived.
    const audioDir = join(dataDir, 'Crash', 'audio')
    // (Under load the kill can come before the first extraction made the folder.)
    expect(existsSync(audioDir) ? readdirSync(audioDir).filter((n) => n.endsWith('.part')) : []).toEqual([])
    expect(await processesMentioning(join(dataDir, 'Crash', '.staging'))).toEqual([])

    const resumed = await second.json('POST', `/api/jobs/${job.json.id}/resume`)
    expect(resumed.status).toBe(200)
    const done = await waitUntil('the resumed job to finish', async () => {
      const j = (await second.json('GET', `/api/jobs/${job.json.id}`)).json
      return j.status !== 'running' && j.status !== 'queued' ? j : undefined
    })
    expect(done).toMatchObject({
      status: 'completed',
      download_total: N,
      download_completed: N,
      download_failed: 0,
      extract_total: N,
      extract_completed: N,
      extract_failed: 0,
    })

    // Every media file was sent whole exactly once: finished items were not fetched again,
    // and the item caught mid-download continued from its .part with a Range request.
    const transfers = names('c').map((n) => media.transfers(n))
    for (const t of transfers) expect(t.complete + t.resumedToEnd).toBe(1)
    expect(transfers.reduce((a, t) => a + t.resumedToEnd, 0)).toBeGreaterThanOrEqual(1)
    expect(names('c').reduce((a, n) => a + media.requests(n).ranged, 0)).toBeGreaterThanOrEqual(1)

    const files = readdirSync(audioDir).sort()
    expect(files).toEqual(names('c').map((n, i) => `00${i + 1} - ${n}.mp3`))
    for (const f of files) expect(Math.abs((await probe(join(audioDir, f))).duration - 4)).toBeLessThan(0.3)
  }, 120_000)
})

describe('graceful shutdown', () => {
  test('SIGTERM kills the children, marks the job interrupted and exits within 5 s', async () => {
    const dataDir = tempDataDir()
    const env = { DATA_DIR: dataDir, EXTRACT_CONCURRENCY: '1' }
    const feed = await media.addFeed('term', { title: 'Term', items: names('t').map((name) => ({ name, title: name, seconds: 4 })) })
    const server = await startServerProcess(env)
    const add = await server.json('POST', '/api/playlists', { url: feed })
    const job = await server.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
    await waitUntil('work in flight', async () => {
      const j = (await server.json('GET', `/api/jobs/${job.json.id}`)).json
      return j.download_completed >= 1 && j.current.some((c: any) => c.phase === 'download')
    })
    const t0 = performance.now()
    server.proc.kill('SIGTERM')
    const code = await server.proc.exited
    const seconds = (performance.now() - t0) / 1000
    expect(code).toBe(0)
    expect(seconds).toBeLessThan(5)
    expect(await processesMentioning(dataDir)).toEqual([])

    await using again = await startServerProcess(env)
    const j = (await again.json('GET', `/api/jobs/${job.json.id}`)).json
    expect(j.status).toBe('interrupted')
    const videos = (await again.json('GET', `/api/playlists/${add.json.id}`)).json.videos
    expect(videos.filter((v: any) => v.download_state === 'downloading' || v.extract_state === 'extracting')).toEqual([])
  }, 60_000)
})

describe('RESUME_ON_START', () => {
  // A container restarts unattended (upgrade, host reboot): nobody is there to press Resume.
  test('the next start resumes the job SIGTERM interrupted, and it completes fetching nothing twice', async () => {
    const dataDir = tempDataDir()
    const env = { DATA_DIR: dataDir, EXTRACT_CONCURRENCY: '1', RESUME_ON_START: 'true' }
    const feed = await media.addFeed('auto', { title: 'Auto', items: names('a').map((name) => ({ name, title: name, seconds: 4 })) })
    const server = await startServerProcess(env)
    const add = await server.json('POST', '/api/playlists', { url: feed })
    const job = await server.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
    await waitUntil('a finished download and one in flight', async () => {
      const j = (await server.json('GET', `/api/jobs/${job.json.id}`)).json
      return j.download_completed >= 1 && j.current.some((c: any) => c.phase === 'download')
    })
    server.proc.kill('SIGTERM')
    expect(await server.proc.exited).toBe(0)

    await using again = await startServerProcess(env)
    const done = await waitUntil('the resumed job to finish', async () => {
      const j = (await again.json('GET', `/api/jobs/${job.json.id}`)).json
      return j.status === 'completed' || j.status === 'failed' || j.status === 'interrupted' ? j : undefined
    })
    expect(done).toMatchObject({ status: 'completed', download_completed: N, extract_completed: N })
    expect(again.output()).toContain('resumed (RESUME_ON_START)')
    for (const n of names('a')) expect(media.transfers(n).complete).toBeLessThanOrEqual(1)
  }, 90_000)
})

describe('a doubled signal', () => {
  // `bun run start` forwards the signal it gets, and Ctrl-C or a process-group kill also
  // reaches the server itself: two signals at once. The second used to kill it mid-cleanup.
  test('two SIGTERMs at once do not cut the shutdown short: pid file and WAL gone, exit 0, job resumable', async () => {
    const dataDir = tempDataDir()
    const feed = await media.addFeed('twice', { title: 'Twice', items: names('w').map((name) => ({ name, title: name, seconds: 4 })) })
    const server = await startServerProcess({ DATA_DIR: dataDir })
    const add = await server.json('POST', '/api/playlists', { url: feed })
    const job = await server.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
    // With a download in flight, the shutdown has children to stop and states to write.
    await waitUntil('a download in flight', async () =>
      (await server.json('GET', `/api/jobs/${job.json.id}`)).json.current.some((c: any) => c.phase === 'download'),
    )
    // As `bun run` and a group signal deliver them: two at once. The second used to find no
    // handler (process.once) and kill the server before its cleanup.
    server.proc.kill('SIGTERM')
    server.proc.kill('SIGTERM')
    expect(await server.proc.exited).toBe(0)
    // (.yt-serve-children stays: the next start reads it to reap orphans.)
    expect(readdirSync(dataDir).filter((n) => !n.startsWith('.'))).toEqual(['Twice', 'yt-serve.db'])
    await using again = await startServerProcess({ DATA_DIR: dataDir })
    expect((await again.json('GET', `/api/jobs/${job.json.id}`)).json.status).toBe('interrupted')
  }, 60_000)
})

describe('a yt-dlp killed from outside', () => {
  test('SIGKILL mid-chunk (an OOM kill): only the item in flight fails, the rest are requeued and fetched once', async () => {
    const dataDir = tempDataDir()
    const feed = await media.addFeed('oom', { title: 'Oom', items: names('o').map((name) => ({ name, title: name, seconds: 4 })) })
    await using server = await startServerProcess({ DATA_DIR: dataDir, SOCKET_TIMEOUT: '5' })
    const add = await server.json('POST', '/api/playlists', { url: feed })
    const job = await server.json('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'download' })
    expect(job.status).toBe(202)
    // One yt-dlp holds the whole chunk of N; catch it with one item done and the next half-way.
    const inFlight = await waitUntil('a half-done download after a finished one', async () => {
      const j = (await server.json('GET', `/api/jobs/${job.json.id}`)).json
      const item = j.current.find((c: any) => c.phase === 'download' && c.percent > 10 && c.percent < 80)
      return j.download_completed >= 1 && item
    })
    // The server lists its live child groups here; the downloading one writes to .staging.
    const live = (await Bun.file(join(dataDir, '.yt-serve-children')).text()).split('\n').filter(Boolean).map(Number)
    const cmdline = (pid: number) =>
      Bun.file(`/proc/${pid}/cmdline`)
        .text()
        .catch(() => '')
    const downloaders = []
    for (const pid of live) if ((await cmdline(pid)).includes('.staging')) downloaders.push(pid)
    expect(downloaders).toHaveLength(1)
    process.kill(downloaders[0], 'SIGKILL')

    const done = await waitUntil('the job to end', async () => {
      const j = (await server.json('GET', `/api/jobs/${job.json.id}`)).json
      return j.status !== 'running' ? j : undefined
    })
    expect(done).toMatchObject({ status: 'completed', download_total: N, download_completed: N - 1, download_failed: 1 })
    const videos: any[] = (await server.json('GET', `/api/playlists/${add.json.id}`)).json.videos
    const failed = videos.filter((v) => v.download_state === 'failed')
    expect(failed.map((v) => v.title)).toEqual([inFlight.title])
    expect(failed[0].error).toBe('yt-dlp was killed (SIGKILL) while downloading this item; out of memory?')
    const log = (await server.json('GET', `/api/jobs/${job.json.id}/log`)).json
    expect(JSON.stringify(log)).toContain(`yt-dlp was killed (SIGKILL) mid-chunk: \\"${inFlight.title}\\" failed; `)
    // The others were each sent whole exactly once; the killed one never was.
    for (const n of names('o')) expect(media.transfers(n).complete).toBe(n === inFlight.title ? 0 : 1)
  }, 120_000)
})
