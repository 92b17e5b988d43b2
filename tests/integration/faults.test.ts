import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { processesMentioning } from '../helpers/server-process'
import { MAX_CRASH_REQUEUES } from '../../src/jobs/download-worker'

// Each fault fails its own item with a readable error; the job and the other items carry on.
let media: MediaServer
beforeAll(async () => {
  media = await startMediaServer()
})
afterAll(() => media.stop())

describe('faults from outside', () => {
  test('drop, 500, stall, truncated and corrupt each fail only their item', async () => {
    await using t = await testContext({ SOCKET_TIMEOUT: '2' })
    const feed = await media.addFeed('faults', {
      title: 'Faults',
      items: [
        { name: 'x-ok1', title: 'ok 1' },
        { name: 'x-drop', title: 'drop', kind: 'drop', seconds: 6 },
        { name: 'x-500', title: 'five hundred', kind: 'error500' },
        { name: 'x-ok2', title: 'ok 2' },
        { name: 'x-stall', title: 'stall', kind: 'stall' },
        { name: 'x-trunc', title: 'truncated', kind: 'truncated', seconds: 6 },
        { name: 'x-corrupt', title: 'corrupt', kind: 'corrupt' },
        { name: 'x-ok3', title: 'ok 3' },
      ],
    })
    const add = await t.addPlaylist(feed)
    const done = await t.runJob(add.id, 'both')
    expect(done).toMatchObject({ status: 'completed', download_total: 8, download_completed: 4, download_failed: 4, extract_completed: 3, extract_failed: 1 })
    const videos: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    const byTitle = Object.fromEntries(videos.map((v) => [v.title, v]))
    for (const ok of ['ok 1', 'ok 2', 'ok 3']) expect(byTitle[ok].extract_state).toBe('extracted')
    expect(byTitle['five hundred'].error).toContain('500')
    expect(byTitle.drop.error).toMatch(/reset|retries|Connection|bytes/i)
    expect(byTitle.stall.error).toMatch(/timed out|retries|bytes/i)
    expect(byTitle.truncated.error).toMatch(/bytes|retries/i)
    expect(byTitle.corrupt.extract_state).toBe('failed')
    for (const v of videos) if (v.download_state === 'failed') expect(v.error.length).toBeGreaterThan(5)
  }, 120_000)

  test('ffmpeg missing fails the extraction phase with a clear error, downloads are kept', async () => {
    await using t = await testContext()
    const feed = await media.addFeed('noff', { title: 'No ffmpeg', items: [{ name: 'n1', title: 'n1' }] })
    const add = await t.addPlaylist(feed)
    const dl = await t.runJob(add.id, 'download')
    expect(dl.download_completed).toBe(1)
    t.ctx.config.ffmpegPath = '/nonexistent/ffmpeg'
    t.ctx.config.ffprobePath = '/nonexistent/ffprobe'
    const ex = await t.runJob(add.id, 'extract')
    expect(ex.status).toBe('failed')
    expect(ex.error).toContain('ffprobe')
    const v = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos[0]
    expect(v.download_state).toBe('downloaded')
    expect(v.extract_state).toBe('pending')
  })

  test('a read-only audio folder fails the item with the OS message; the database stays consistent', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; a read-only bind mount is not available here, so use a file where the folder should be.
    }
    await using t = await testContext()
    const feed = await media.addFeed('rofs', {
      title: 'Read Only',
      items: [
        { name: 'r1', title: 'r1' },
        { name: 'r2', title: 'r2' },
      ],
    })
    const add = await t.addPlaylist(feed)
    await t.runJob(add.id, 'download')
    // A plain file where the audio folder belongs: mkdir and writes fail with ENOTDIR/EEXIST whoever we are.
    await Bun.write(join(t.dataDir, 'Read Only', 'audio'), 'not a folder')
    const ex = await t.runJob(add.id, 'extract')
    expect(ex.status).toBe('completed')
    expect(ex.extract_failed).toBe(2)
    const videos: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    for (const v of videos) {
      expect(v.extract_state).toBe('failed')
      expect(v.error).toMatch(/EEXIST|ENOTDIR|not a directory|exists/i)
      expect(v.audio_path).toBeNull()
    }
    void chmodSync
    void mkdirSync
  })
})

describe('hung tools', () => {
  const fixtures = join(import.meta.dir, '../fixtures')

  test('a yt-dlp that stops talking is killed: its item fails, the job goes on', async () => {
    await using t = await testContext({ STALL_TIMEOUT_SECONDS: '1', YTDLP_PATH: join(fixtures, 'hung-yt-dlp.sh') })
    const feed = await media.addFeed('hung', {
      title: 'Hung',
      items: [
        { name: 'h1', title: 'h1' },
        { name: 'h2', title: 'h2' },
      ],
    })
    const add = await t.addPlaylist(feed)
    const done = await t.runJob(add.id, 'download')
    expect(done).toMatchObject({ status: 'completed', download_total: 2, download_failed: 2, download_completed: 0 })
    const videos: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    for (const v of videos) expect(v.error).toBe('yt-dlp showed no progress for 1 s and was stopped')
    // The fake execs a distinctive sleep; its whole process group is gone.
    expect(await processesMentioning('sleep 6011')).toEqual([])
  })

  test('a yt-dlp that is always killed gives its items back a few times, then fails them: no endless loop', async () => {
    await using t = await testContext({ YTDLP_PATH: join(fixtures, 'dying-yt-dlp.sh') })
    const feed = await media.addFeed('dying', {
      title: 'Dying',
      items: [
        { name: 'd1', title: 'd1' },
        { name: 'd2', title: 'd2' },
      ],
    })
    const add = await t.addPlaylist(feed)
    const job = await t.startJob(add.id, 'download')
    expect(await t.manager.waitFor(job.id)).toMatchObject({ status: 'completed', download_total: 2, download_failed: 2, download_completed: 0 })
    const videos: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    for (const v of videos) expect(v.error).toBe(`yt-dlp was killed ${MAX_CRASH_REQUEUES + 1} times before reaching this item`)
    const warnings = (await t.api('GET', `/api/jobs/${job.id}/log`)).json.filter((e: any) => e.message.includes('mid-chunk'))
    expect(warnings.map((e: any) => e.message)).toEqual([
      ...Array(MAX_CRASH_REQUEUES).fill('yt-dlp was killed (SIGKILL) mid-chunk: no item had started; 2 item(s) it had not reached go back to the queue'),
      `yt-dlp was killed (SIGKILL) mid-chunk: no item had started; 2 item(s) fail: it was killed ${MAX_CRASH_REQUEUES + 1} times before reaching them`,
    ])
  })

  test('an ffmpeg that stops talking is killed: its item fails with a clear reason', async () => {
    // The real download first, with the default stall limit: under load yt-dlp can be silent
    // for more than a second while it starts. Only the fake ffmpeg gets the 1 s limit.
    await using t = await testContext()
    const feed = await media.addFeed('hungff', { title: 'Hung ff', items: [{ name: 'hf1', title: 'hf1' }] })
    const add = await t.addPlaylist(feed)
    await t.runJob(add.id, 'download')
    t.ctx.config.ffmpegPath = join(fixtures, 'hung-ffmpeg.sh')
    t.ctx.config.stallTimeoutSeconds = 1
    const ex = await t.runJob(add.id, 'extract')
    expect(ex).toMatchObject({ status: 'completed', extract_failed: 1 })
    const v = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos[0]
    expect(v.error).toBe('ffmpeg showed no progress for 1 s and was stopped')
    expect(await processesMentioning('sleep 6012')).toEqual([])
  })
})
