// MEDIA_DIR: the playlist folders live in their own folder (in a cluster, a shared mount) while
// the database and the node's own files stay in DATA_DIR. Real yt-dlp and ffmpeg against the
// fixture media server on 127.0.0.1; every kind of media file a job writes is looked for.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parseConfig } from '../../src/config'
import { mediaDirCheck } from '../../src/cli/doctor'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import type { FixtureChapter } from '../fixtures/media'
import { testContext } from '../helpers/context'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

const temps: string[] = []
const tempDir = (tag: string) => {
  const dir = mkdtempSync(join(tmpdir(), `yt-serve-${tag}-`))
  temps.push(dir)
  return dir
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true })
})

/** Every file below `root`, as paths relative to it. */
function filesBelow(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name)
      if (e.isDirectory()) walk(full)
      else out.push(relative(root, full))
    }
  }
  if (existsSync(root)) walk(root)
  return out.sort()
}

const CHAPTERS: FixtureChapter[] = [
  { start: 0, end: 2, title: 'One' },
  { start: 2, end: 4, title: 'Two' },
]
const vtt = (text: string) => `WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n${text}\n`
/** What only the data dir's own files may be called (the database, its journal, the children registry). */
const DATA_DIR_OWN = /^(yt-serve\.db(-wal|-shm)?|\.yt-serve-children(\/.*)?)$/

describe('with MEDIA_DIR set', () => {
  test('a "both" job puts every media file under MEDIA_DIR and none in DATA_DIR; routes, M3U, podcast and verify find them', async () => {
    const mediaDir = join(tempDir('media'), 'not-yet-made')
    await using t = await testContext({ MEDIA_DIR: mediaDir, LIBRARY_LAYOUT: 'jellyfin', AUDIO_FORMAT: 'mp3' })
    expect(t.ctx.config.mediaDir).toBe(mediaDir)

    // A jellyfin show (NFOs, artwork), with thumbnails and chapters split into files.
    const feed = await media.addFeed('md-show', {
      title: 'Media Dir Show',
      items: [
        { name: 'md-a', title: 'Alpha', seconds: 4, thumbnail: true, chapters: CHAPTERS },
        { name: 'md-b', title: 'Beta', seconds: 3, thumbnail: true },
      ],
    })
    const show = await t.addPlaylist(feed)
    expect((await t.api('PATCH', `/api/playlists/${show.id}`, { split_chapters: true, chapters: true })).status).toBe(200)
    expect(await t.runJob(show.id, 'both')).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 2, extract_failed: 0 })
    // A single video with subtitles.
    const page = await media.addVideoPage({ name: 'md-talk', title: 'Talk', seconds: 2 }, [{ lang: 'en', vtt: vtt('Hello') }])
    const single = await t.addPlaylist(page)
    expect((await t.api('PATCH', `/api/playlists/${single.id}`, { subtitles: 'en' })).status).toBe(200)
    expect(await t.runJob(single.id, 'both')).toMatchObject({ status: 'completed', download_completed: 1, extract_completed: 1 })

    const inMedia = filesBelow(mediaDir)
    const inData = filesBelow(t.dataDir)
    // Nothing media-like in DATA_DIR: only its own files (staging leaves empty folders at most).
    expect(inData.filter((f) => !DATA_DIR_OWN.test(f))).toEqual([])
    expect(inData).toContain('yt-serve.db')
    expect(inMedia).not.toContain('yt-serve.db')
    const ext = (e: string) => inMedia.filter((f) => f.endsWith(e))
    expect(ext('.mp4').length).toBe(3)
    expect(ext('.mp3').length).toBe(3 + 2) // the three audio files and Alpha's two chapters
    expect(ext('.nfo').length).toBeGreaterThanOrEqual(3) // two episodes and tvshow.nfo
    expect(ext('.jpg').length).toBeGreaterThanOrEqual(2)
    expect(ext('.en.vtt').length).toBe(1)
    expect(ext('.m3u8').length).toBeGreaterThanOrEqual(1)

    // Stored paths are relative to MEDIA_DIR.
    const videos = (await t.api('GET', `/api/playlists/${show.id}`)).json.videos
    for (const v of videos) for (const p of [v.video_path, v.audio_path]) expect(statSync(join(mediaDir, p)).size).toBeGreaterThan(0)

    // The media routes serve from MEDIA_DIR.
    const talk = (await t.api('GET', `/api/playlists/${single.id}`)).json.videos[0]
    for (const path of [`/media/${videos[0].id}/video`, `/media/${videos[0].id}/audio`, `/media/${videos[0].id}/thumbnail`, `/media/${talk.id}/subtitles/en`]) {
      const res = await t.app.handle(new Request(`http://localhost${path}`))
      expect(`${path} ${res.status}`).toBe(`${path} 200`)
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0)
    }
    // M3U and podcast feed: the audio of every entry, with its real size.
    const m3u = await t.page(`/playlists/${show.id}/playlist.m3u8`)
    expect(m3u.match(/\/media\/\d+\/audio/g)?.length).toBe(2)
    const podcast = await t.page(`/playlists/${show.id}/podcast.xml`)
    const lengths = [...podcast.matchAll(/length="(\d+)"/g)].map((m) => Number(m[1]))
    expect(lengths.length).toBe(2)
    expect(lengths.every((n) => n > 0)).toBe(true)

    // Verify finds everything, then a file deleted from MEDIA_DIR.
    expect((await t.api('POST', `/api/playlists/${show.id}/verify`)).json).toMatchObject({ videos_missing: 0, audio_missing: 0, chapters_missing: 0 })
    rmSync(join(mediaDir, videos[1].audio_path))
    expect((await t.api('POST', `/api/playlists/${show.id}/verify`)).json).toMatchObject({ videos_missing: 0, audio_missing: 1 })

    // Deleting the playlist with its files empties its folder in MEDIA_DIR.
    const folder = videos[0].video_path.split('/')[0]
    expect((await t.api('DELETE', `/api/playlists/${show.id}?delete_files=true`)).status).toBe(200)
    expect(existsSync(join(mediaDir, folder))).toBe(false)
  }, 120_000)
})

test('media archived before MEDIA_DIR was set: verify and doctor say where it is, nothing is marked missing, and moving the folder fixes it', async () => {
  const dataDir = tempDir('data')
  const feed = await media.addFeed('md-late', { title: 'Late Move', items: [{ name: 'md-late-a', title: 'Only', seconds: 2 }] })
  let playlistId: number
  let folder: string
  {
    await using before = await testContext({ DATA_DIR: dataDir })
    playlistId = (await before.addPlaylist(feed)).id
    expect(await before.runJob(playlistId, 'both')).toMatchObject({ status: 'completed', download_completed: 1, extract_completed: 1 })
    folder = (await before.api('GET', `/api/playlists/${playlistId}`)).json.videos[0].video_path.split('/')[0]
    expect(existsSync(join(dataDir, folder))).toBe(true)
  }
  const mediaDir = tempDir('media-late')
  await using t = await testContext({ DATA_DIR: dataDir, MEDIA_DIR: mediaDir })

  const refused = await t.api('POST', `/api/playlists/${playlistId}/verify`)
  expect(refused.status).toBe(409)
  expect(refused.json.error).toContain(`"${folder}" are still in DATA_DIR (${dataDir}), but MEDIA_DIR is ${mediaDir}`)
  // Nothing was forgotten.
  expect((await t.api('GET', `/api/playlists/${playlistId}`)).json.counts).toMatchObject({ downloaded: 1, extracted: 1 })
  const doctor = mediaDirCheck(t.ctx.config, [folder])
  expect(doctor).toMatchObject({ ok: false, name: 'media dir' })
  expect(doctor?.fix).toContain(`mv "${dataDir}/FOLDER" "${mediaDir}/"`)

  renameSync(join(dataDir, folder), join(mediaDir, folder))
  expect(mediaDirCheck(t.ctx.config, [folder])).toMatchObject({ ok: true })
  expect((await t.api('POST', `/api/playlists/${playlistId}/verify`)).json).toMatchObject({ checked: 2, videos_missing: 0, audio_missing: 0 })
  const res = await t.app.handle(new Request(`http://localhost/media/${(await t.api('GET', `/api/playlists/${playlistId}`)).json.videos[0].id}/audio`))
  expect(res.status).toBe(200)
}, 90_000)

describe('MEDIA_DIR is checked at start', () => {
  test('unset or equal to DATA_DIR: null (everything in DATA_DIR, as before)', () => {
    const data = tempDir('cfg')
    expect(parseConfig({ DATA_DIR: data }).mediaDir).toBeNull()
    expect(parseConfig({ DATA_DIR: data, MEDIA_DIR: `${data}/` }).mediaDir).toBeNull()
  })
  test('relative: resolved against the working directory', () => {
    const data = tempDir('cfg')
    expect(parseConfig({ DATA_DIR: data, MEDIA_DIR: 'some-media' }).mediaDir).toBe(join(process.cwd(), 'some-media'))
  })
  test('not writable, a file, or holding DATA_DIR: refused with the variable named', () => {
    const data = tempDir('cfg')
    expect(() => parseConfig({ DATA_DIR: join(data, 'inner'), MEDIA_DIR: data })).toThrow(/MEDIA_DIR .* must not contain DATA_DIR/)
    const file = join(data, 'afile')
    writeFileSync(file, 'x')
    expect(() => parseConfig({ DATA_DIR: data, MEDIA_DIR: join(file, 'below') })).toThrow(/MEDIA_DIR must be a folder yt-serve can write to/)
    const locked = join(data, 'locked')
    mkdirSync(locked, { mode: 0o500 })
    if (process.getuid?.() !== 0) expect(() => parseConfig({ DATA_DIR: data, MEDIA_DIR: join(locked, 'media') })).toThrow(/locked is not writable by this user/)
  })
})
