// Chapters with the real yt-dlp and ffmpeg: a video whose file holds chapters (made at test
// time from an ffmetadata file) is extracted into each audio format with its chapters, and
// split into one tagged file per chapter when the playlist asks.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { chapterFilesOf } from '../../src/db/chapter-files'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import type { FixtureChapter } from '../fixtures/media'
import { testContext, type TestContext } from '../helpers/context'
import { probe } from '../helpers/probe'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

const CHAPTERS: FixtureChapter[] = [
  { start: 0, end: 1.5, title: 'Intro = one; two' },
  { start: 1.5, end: 4, title: '../../etc/passwd' },
  { start: 4, end: 6, title: 'Ünïcode: end?' },
]

/** ffprobe's chapters of a file: start, end, title. */
async function chaptersOf(file: string): Promise<{ start: number; end: number; title: string | undefined }[]> {
  const p = Bun.spawn(['ffprobe', '-v', 'error', '-print_format', 'json', '-show_chapters', file], { stdout: 'pipe', stderr: 'pipe' })
  const out = await new Response(p.stdout).text()
  expect(await p.exited).toBe(0)
  return (JSON.parse(out).chapters ?? []).map((c: any) => ({ start: Number(c.start_time), end: Number(c.end_time), title: c.tags?.title }))
}

/** A playlist of one 6 s video with CHAPTERS, its settings patched, one "both" job run. */
async function extracted(t: TestContext, name: string, settings: Record<string, unknown>, item: Record<string, unknown> = {}) {
  const feed = await media.addFeed(name, {
    title: `Mixes ${name}`,
    items: [{ name: `${name}-mix`, title: 'DJ Mix: vol/1', seconds: 6, chapters: CHAPTERS, ...item }],
  })
  const add = await t.addPlaylist(feed)
  expect((await t.api('PATCH', `/api/playlists/${add.id}`, settings)).status).toBe(200)
  const job = await t.runJob(add.id, 'both')
  expect(job).toMatchObject({ status: 'completed', extract_completed: 1, extract_failed: 0 })
  const video = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos[0]
  return { playlistId: add.id as number, video, job }
}

describe('chapters carried into the audio', () => {
  test.each(['mp3', 'm4a', 'opus', 'flac'])(
    '%s: ffprobe reads the chapters back, titles and start times',
    async (format) => {
      await using t = await testContext()
      const { video } = await extracted(t, `ch-${format}`, { chapters: true, audio_format: format })
      const read = await chaptersOf(join(t.dataDir, video.audio_path))
      expect(read.map((c) => c.title)).toEqual(CHAPTERS.map((c) => c.title))
      for (const [i, c] of read.entries()) expect(Math.abs(c.start - CHAPTERS[i].start)).toBeLessThan(0.05)
      // The last chapter ends with the file (give or take the encoder's padding).
      expect(Math.abs(read[2].end - 6)).toBeLessThan(0.1)
    },
    60_000,
  )

  test('off (the default): the audio has none, though the video has them', async () => {
    await using t = await testContext()
    const { video } = await extracted(t, 'ch-off', {})
    expect(await chaptersOf(join(t.dataDir, video.video_path))).toHaveLength(3)
    expect(await chaptersOf(join(t.dataDir, video.audio_path))).toEqual([])
    expect(await chapterFilesOf(t.ctx.db, video.id)).toEqual([])
  }, 60_000)
})

describe('split_chapters', () => {
  const durations = [1.5, 2.5, 2]

  test.each([
    ['mp3', 'aac', {}],
    ['opus', 'opus (stream copy)', { audioCodec: 'opus', container: 'webm' }],
  ] as const)(
    '%s from %s: one tagged file per chapter, right count and durations, names sanitized',
    async (format, _source, item) => {
      await using t = await testContext()
      const { video, playlistId } = await extracted(t, `split-${format}`, { split_chapters: true, audio_format: format }, item)
      const files = await chapterFilesOf(t.ctx.db, video.id)
      expect(files.map((f) => f.title)).toEqual(CHAPTERS.map((c) => c.title))
      const audioDir = dirname(video.audio_path)
      const albumDir = `${audioDir}/001 - DJ Mix_ vol_1`
      expect(files.map((f) => f.path)).toEqual([
        `${albumDir}/01 - Intro = one; two.${format}`,
        `${albumDir}/02 - _.._etc_passwd.${format}`,
        `${albumDir}/03 - Ünïcode_ end_.${format}`,
      ])
      // Nothing else in the folder: no temporary files left, nothing outside it.
      expect(readdirSync(join(t.dataDir, albumDir)).sort()).toEqual(files.map((f) => f.path.split('/').pop()!).sort())
      for (const [i, f] of files.entries()) {
        const p = await probe(join(t.dataDir, f.path))
        expect(Math.abs(p.duration - durations[i])).toBeLessThan(0.1)
        expect(p.tags).toMatchObject({ title: CHAPTERS[i].title, album: 'DJ Mix: vol/1', track: `${i + 1}/3` })
        // A chapter file is one chapter: it carries no chapter list of its own.
        expect(await chaptersOf(join(t.dataDir, f.path))).toEqual([])
      }
      // split_chapters alone does not put the chapters into the whole file.
      expect(await chaptersOf(join(t.dataDir, video.audio_path))).toEqual([])
      const log = (await t.api('GET', `/api/jobs/${(await t.api('GET', `/api/playlists/${playlistId}`)).json.jobs[0].id}/log`)).json
      expect(JSON.stringify(log)).toContain('split into 3 chapter files: DJ Mix: vol/1')
    },
    60_000,
  )

  test('Check files knows the chapter files: a deleted one is made again by the next job; a re-extraction replaces them all', async () => {
    await using t = await testContext()
    const { video, playlistId } = await extracted(t, 'split-verify', { split_chapters: true, audio_format: 'mp3' })
    const before = await chapterFilesOf(t.ctx.db, video.id)
    rmSync(join(t.dataDir, before[1].path))
    const report = (await t.api('POST', `/api/playlists/${playlistId}/verify`)).json
    expect(report).toMatchObject({ chapters_missing: 1, audio_missing: 0 })
    expect(report.missing).toEqual([{ video_id: video.id, title: 'DJ Mix: vol/1', file: 'chapter', path: before[1].path }])
    const again = await t.runJob(playlistId, 'extract')
    expect(again).toMatchObject({ status: 'completed', extract_completed: 1 })
    expect(existsSync(join(t.dataDir, before[1].path))).toBe(true)
    expect((await t.api('POST', `/api/playlists/${playlistId}/verify`)).json).toMatchObject({ chapters_missing: 0, audio_missing: 0 })

    await t.api('PATCH', `/api/playlists/${playlistId}`, { audio_format: 'flac' })
    expect(await t.runJob(playlistId, 'extract', { reextract: true })).toMatchObject({ status: 'completed', extract_completed: 1 })
    const after = await chapterFilesOf(t.ctx.db, video.id)
    expect(after.map((f) => f.path)).toEqual(before.map((f) => f.path.replace(/\.mp3$/, '.flac')))
    for (const f of before) expect(existsSync(join(t.dataDir, f.path))).toBe(false)
    for (const f of after) expect(existsSync(join(t.dataDir, f.path))).toBe(true)
  }, 90_000)
})
