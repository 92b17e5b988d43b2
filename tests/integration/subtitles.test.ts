// Subtitles with the real yt-dlp: the fixture serves a web page with an HTML5 <video> and
// <track kind="subtitles"> elements (real WebVTT files), which yt-dlp's generic extractor
// reads as the video's subtitles. They land beside the video as <stem>.<lang>.vtt, are
// embedded into the mp4, and the player page offers them as <track>s.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { startMediaServer, type FixtureTrack, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { probe } from '../helpers/probe'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

const vtt = (text: string) => `WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n${text}\n`
const TRACKS: FixtureTrack[] = [
  { lang: 'en', vtt: vtt('Hello <b>there</b>') },
  { lang: 'de', vtt: vtt('Hallo') },
  { lang: 'pt-BR', vtt: vtt('Olá') },
]

/** The video page pasted as a single video (it joins Singles), that playlist's settings patched, one "both" job run. */
async function withSubtitles(t: TestContext, name: string, settings: Record<string, unknown>, tracks = TRACKS, container?: 'mkv') {
  const page = await media.addVideoPage({ name, title: `Talk ${name}`, seconds: 2, container }, tracks)
  const add = await t.addPlaylist(page)
  expect(add.singles).toBe(true)
  expect((await t.api('PATCH', `/api/playlists/${add.id}`, settings)).status).toBe(200)
  const job = await t.runJob(add.id, 'both')
  const video = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos[0]
  return { playlistId: add.id as number, video, job }
}

const besideVideo = (t: TestContext, videoPath: string) => readdirSync(join(t.dataDir, dirname(videoPath))).sort()
const subtitleStreams = async (file: string) => (await probe(file)).streams.filter((s) => s.codec_type === 'subtitle')

test('chosen languages: fetched beside the video, embedded into the mp4, offered by the player page and served', async () => {
  await using t = await testContext()
  const { playlistId, video, job } = await withSubtitles(t, 'subs-en-de', { subtitles: 'en,de' })
  expect(job).toMatchObject({ status: 'completed', download_completed: 1, extract_completed: 1 })
  const stem = video.video_path
    .split('/')
    .pop()
    .replace(/\.mp4$/, '')
  expect(besideVideo(t, video.video_path)).toEqual([`${stem}.de.vtt`, `${stem}.en.vtt`, `${stem}.mp4`])
  expect(readFileSync(join(t.dataDir, dirname(video.video_path), `${stem}.en.vtt`), 'utf8')).toContain('Hello <b>there</b>')
  expect((await subtitleStreams(join(t.dataDir, video.video_path))).map((s) => s.codec_name)).toEqual(['mov_text', 'mov_text'])
  // Nothing of it stayed behind in .staging.
  const staging = join(t.dataDir, video.video_path.split('/')[0], '.staging')
  expect(existsSync(staging) ? readdirSync(staging).filter((n) => n.endsWith('.vtt')) : []).toEqual([])

  const page = await t.page(`/playlists/${playlistId}/entries/${video.id}`)
  expect(page).toContain(`<track kind="subtitles" src="/media/${video.id}/subtitles/de" srclang="de" label="German"`)
  expect(page).toContain(`src="/media/${video.id}/subtitles/en" srclang="en" label="English"`)
  const served = await t.app.handle(new Request(`http://localhost/media/${video.id}/subtitles/en`))
  expect(served.status).toBe(200)
  expect(served.headers.get('content-type')).toStartWith('text/vtt')
  expect(await served.text()).toContain('Hello <b>there</b>')
}, 90_000)

test('"all", into a Matroska file; a language that is no plain tag never becomes a file name', async () => {
  await using t = await testContext()
  const tracks = [...TRACKS, { lang: '../../evil', vtt: vtt('evil') }, { lang: 'x y', vtt: vtt('spaced') }]
  const { video, job } = await withSubtitles(t, 'subs-all', { subtitles: 'all' }, tracks, 'mkv')
  expect(job).toMatchObject({ status: 'completed', download_completed: 1, extract_completed: 1 })
  const stem = video.video_path
    .split('/')
    .pop()
    .replace(/\.mkv$/, '')
  expect(besideVideo(t, video.video_path)).toEqual([`${stem}.de.vtt`, `${stem}.en.vtt`, `${stem}.mkv`, `${stem}.pt-BR.vtt`])
  expect((await subtitleStreams(join(t.dataDir, video.video_path))).length).toBeGreaterThanOrEqual(3)
  // Nothing landed anywhere else in the data dir.
  const all = readdirSync(t.dataDir, { recursive: true }).map(String)
  expect(all.filter((p) => /evil/.test(p))).toEqual([])
}, 90_000)

test('off (the default): no subtitle files, nothing embedded', async () => {
  await using t = await testContext()
  const { video, job } = await withSubtitles(t, 'subs-off', {})
  expect(job).toMatchObject({ status: 'completed', download_completed: 1 })
  expect(besideVideo(t, video.video_path).filter((n) => n.endsWith('.vtt'))).toEqual([])
  expect(await subtitleStreams(join(t.dataDir, video.video_path))).toEqual([])
}, 90_000)
