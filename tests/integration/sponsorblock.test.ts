// SponsorBlock with the real yt-dlp and ffmpeg: entries of a fixture feed are downloaded,
// then recorded as YouTube videos (extractor "youtube", an 11-character id) so the
// extraction asks the fixture SponsorBlock API on 127.0.0.1 about them.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { listEvents } from '../../src/db/events'
import { hashPrefix } from '../../src/library/sponsorblock'
import { type FixtureItem, type MediaServer, startMediaServer } from '../fixtures/media-server'
import { type FixtureSegment, type SponsorblockServer, startSponsorblockServer } from '../fixtures/sponsorblock-server'
import { type TestContext, testContext } from '../helpers/context'
import { probe } from '../helpers/probe'

let media: MediaServer
let sb: SponsorblockServer
beforeAll(async () => {
  media = await startMediaServer()
  sb = startSponsorblockServer()
})
afterAll(async () => {
  await media.stop()
  await sb.stop()
})

const SECONDS = 12
/** Overlapping (2–4, 3.5–5), inside, past the end (clamped at 12), and one category the playlist does not cut. */
const SEGMENTS: FixtureSegment[] = [
  { segment: [2, 4], category: 'sponsor' },
  { segment: [3.5, 5], category: 'selfpromo' },
  { segment: [6, 7], category: 'intro' },
  { segment: [8, 9], category: 'interaction' },
  { segment: [11, 30], category: 'music_offtopic' },
]
/** Kept: 0–2, 5–8, 9–11. */
const KEPT_SECONDS = 7

/** A downloaded playlist whose entries are then recorded as the YouTube videos `ids`. */
async function youtubePlaylist(t: TestContext, name: string, items: FixtureItem[], ids: string[], settings: Record<string, unknown>) {
  const feed = await media.addFeed(name, { title: name, items })
  const p = await t.addPlaylist(feed)
  expect(await t.runJob(p.id, 'download')).toMatchObject({ status: 'completed', download_completed: items.length })
  const videos = (await t.api('GET', `/api/playlists/${p.id}`)).json.videos
  for (const [i, v] of videos.entries())
    await t.ctx.db.updateTable('videos').set({ extractor: 'youtube', source_id: ids[i], upload_date: '2020-01-01' }).where('id', '=', v.id).execute()
  expect((await t.api('PATCH', `/api/playlists/${p.id}`, settings)).status).toBe(200)
  return p.id as number
}

const entries = async (t: TestContext, id: number) => (await t.api('GET', `/api/playlists/${id}`)).json.videos as any[]

async function chaptersOf(path: string): Promise<{ start: number; title: string }[]> {
  const p = Bun.spawn(['ffprobe', '-v', 'error', '-print_format', 'json', '-show_chapters', path], { stdout: 'pipe' })
  const data = JSON.parse(await new Response(p.stdout).text())
  await p.exited
  return data.chapters.map((c: any) => ({ start: Number(c.start_time), title: c.tags?.title }))
}

describe('remove', () => {
  test('the audio is shorter by exactly the segments, by stream copy and by re-encode alike', async () => {
    await using t = await testContext({ SPONSORBLOCK_URL: sb.url, AUDIO_FORMAT: 'm4a' })
    const ids = ['sbRemove001', 'sbRemove002']
    for (const id of ids) sb.setSegments(id, SEGMENTS)
    const before = sb.requests().length
    // AAC into m4a is a stream copy (concat demuxer); Opus into m4a is an encode (filter graph).
    const items: FixtureItem[] = [
      { name: 'sb-copy', title: 'Copied', seconds: SECONDS },
      { name: 'sb-encode', title: 'Encoded', seconds: SECONDS, audioCodec: 'opus', container: 'webm' },
    ]
    const id = await youtubePlaylist(t, 'sb-remove', items, ids, { sponsorblock: 'remove' })
    const job = await t.runJob(id, 'extract')
    expect(job).toMatchObject({ status: 'completed', extract_completed: 2, extract_failed: 0 })
    for (const v of await entries(t, id)) {
      const audio = await probe(join(t.dataDir, v.audio_path))
      const video = await probe(join(t.dataDir, v.video_path))
      expect(Math.abs(video.duration - SECONDS)).toBeLessThan(0.1) // the video is untouched
      expect(Math.abs(audio.duration - KEPT_SECONDS)).toBeLessThan(0.1)
      expect(v.audio_duration).toBeCloseTo(KEPT_SECONDS, 1)
      expect(v.duration).toBe(SECONDS) // the video's length, as the index gave it
      expect(await chaptersOf(join(t.dataDir, v.audio_path))).toEqual([])
    }
    // The API saw two hash prefixes, never an id.
    const asked = sb.requests().slice(before)
    expect(asked.map((r) => r.split('?')[0]).sort()).toEqual(ids.map((i) => `/api/skipSegments/${hashPrefix(i)}`).sort())
    for (const r of asked) for (const i of ids) expect(r).not.toContain(i)
    const log = (await listEvents(t.ctx.db, job.id)).map((e) => e.message)
    expect(log).toContain('SponsorBlock: 3 segment(s), 5 s, cut from the audio: Copied')
    // The playlist and the podcast feed give the audio's length, not the video's.
    expect(await t.page(`/playlists/${id}/playlist.m3u8`)).toContain(`#EXTINF:${KEPT_SECONDS},`)
    expect(await t.page(`/playlists/${id}/podcast.xml`)).toContain(`<itunes:duration>${KEPT_SECONDS}</itunes:duration>`)
    // Re-extracted as mp3 (both re-encoded now), from the answer cached in each entry: no new request.
    expect((await t.api('PATCH', `/api/playlists/${id}`, { audio_format: 'mp3' })).status).toBe(200)
    expect(await t.runJob(id, 'extract', { reextract: true })).toMatchObject({ status: 'completed', extract_completed: 2 })
    for (const v of await entries(t, id)) {
      expect(v.audio_path).toEndWith('.mp3')
      expect(Math.abs((await probe(join(t.dataDir, v.audio_path))).duration - KEPT_SECONDS)).toBeLessThan(0.1)
    }
    expect(sb.requests().length - before).toBe(2)
  }, 120_000)
})

describe('remove with sponsorblock_video', () => {
  test('the video is cut the same way (its picture by stream copy) and never twice', async () => {
    await using t = await testContext({ SPONSORBLOCK_URL: sb.url, AUDIO_FORMAT: 'm4a', SPONSORBLOCK: 'remove' })
    sb.setSegments('sbVideoCut1', SEGMENTS)
    const id = await youtubePlaylist(t, 'sb-video', [{ name: 'sb-video', title: 'Both cut', seconds: SECONDS }], ['sbVideoCut1'], { sponsorblock_video: true })
    const job = await t.runJob(id, 'extract')
    expect(job).toMatchObject({ status: 'completed', extract_completed: 1 })
    const [v] = await entries(t, id)
    expect(v.video_cut_at).not.toBeNull()
    const video = await probe(join(t.dataDir, v.video_path))
    expect(Math.abs(video.duration - KEPT_SECONDS)).toBeLessThan(0.1)
    expect(video.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video'])
    const audioInVideo = video.streams.find((s) => s.codec_type === 'audio')
    expect(Math.abs(Number(audioInVideo.duration) - KEPT_SECONDS)).toBeLessThan(0.1)
    expect((await listEvents(t.ctx.db, job.id)).map((e) => e.message)).toContain('SponsorBlock: the same 3 segment(s) cut from the video: Both cut')
    // Re-extracted from the cut video: not cut again, and the audio's length is still the cut one.
    expect((await t.api('PATCH', `/api/playlists/${id}`, { audio_format: 'mp3' })).status).toBe(200)
    expect(await t.runJob(id, 'extract', { reextract: true })).toMatchObject({ status: 'completed', extract_completed: 1 })
    const [after] = await entries(t, id)
    expect(Math.abs((await probe(join(t.dataDir, after.audio_path))).duration - KEPT_SECONDS)).toBeLessThan(0.1)
    expect(Math.abs((await probe(join(t.dataDir, after.video_path))).duration - KEPT_SECONDS)).toBeLessThan(0.1)
    expect(after.audio_duration).toBeCloseTo(KEPT_SECONDS, 0)
  }, 120_000)
})

describe('mark', () => {
  test('segments become chapters named by category; the audio keeps its length', async () => {
    await using t = await testContext({ SPONSORBLOCK_URL: sb.url, AUDIO_FORMAT: 'mp3', SPONSORBLOCK: 'mark' })
    sb.setSegments('sbMarked001', SEGMENTS)
    const id = await youtubePlaylist(t, 'sb-mark', [{ name: 'sb-mark', title: 'Marked', seconds: SECONDS }], ['sbMarked001'], {
      sponsorblock_categories: 'sponsor,selfpromo,interaction,music_offtopic,intro',
    })
    expect(await t.runJob(id, 'extract')).toMatchObject({ status: 'completed', extract_completed: 1 })
    const [v] = await entries(t, id)
    const file = join(t.dataDir, v.audio_path)
    expect(Math.abs((await probe(file)).duration - SECONDS)).toBeLessThan(0.1)
    expect(v.audio_duration).toBeNull()
    const chapters = await chaptersOf(file)
    // Where two segments overlap, the one that starts first has the overlap.
    expect(chapters.map((c) => c.title)).toEqual([
      'Marked',
      'Sponsor',
      'Unpaid/Self Promotion',
      'Marked',
      'Intermission/Intro Animation',
      'Marked',
      'Interaction Reminder',
      'Marked',
      'Non-Music Section',
    ])
    expect(chapters.map((c) => Math.round(c.start * 10) / 10)).toEqual([0, 2, 4, 5, 6, 7, 8, 9, 11])
  }, 120_000)
})

describe('an API failure means the audio is extracted uncut, with a line in the job log', () => {
  test.each([
    ['500', 'error500', 'HTTP 500'],
    ['malformed JSON', 'malformed', 'the answer is not JSON'],
    ['refused', 'refused', 'SponsorBlock lookup failed'],
  ] as const)(
    '%s',
    async (name, behaviour, reason) => {
      // A port nothing listens on: a server started and stopped at once.
      const closed = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
      const refusedUrl = `http://127.0.0.1:${closed.port}`
      await closed.stop(true)
      await using t = await testContext({ SPONSORBLOCK_URL: behaviour === 'refused' ? refusedUrl : sb.url, AUDIO_FORMAT: 'mp3' })
      const videoId = `sbFail${name.slice(0, 3).replace(/\W/g, '_').padEnd(5, '_')}`
      sb.setSegments(videoId, SEGMENTS)
      const id = await youtubePlaylist(t, `sb-fail-${behaviour}`, [{ name: `sb-fail-${behaviour}`, title: 'Uncut', seconds: 4 }], [videoId], {
        sponsorblock: 'remove',
      })
      if (behaviour !== 'refused') sb.setBehaviour(behaviour)
      try {
        const job = await t.runJob(id, 'extract')
        expect(job).toMatchObject({ status: 'completed', extract_completed: 1, extract_failed: 0 })
        const [v] = await entries(t, id)
        expect(Math.abs((await probe(join(t.dataDir, v.audio_path))).duration - 4)).toBeLessThan(0.1)
        const log = (await listEvents(t.ctx.db, job.id)).map((e) => e.message)
        const line = log.find((m) => m.startsWith('SponsorBlock lookup failed'))
        expect(line).toContain(reason)
        expect(line).toEndWith('the audio is extracted uncut: Uncut')
        // Nothing was cached: the next extraction asks again.
        const row = await t.ctx.db.selectFrom('videos').select(['sponsorblock_checked_at']).where('id', '=', v.id).executeTakeFirstOrThrow()
        expect(row.sponsorblock_checked_at).toBeNull()
      } finally {
        sb.setBehaviour('ok')
      }
    },
    120_000,
  )
})

describe('a sync looks again at videos younger than 30 days', () => {
  test('a changed answer re-cuts a recent video; an old one keeps its cached answer', async () => {
    await using t = await testContext({ SPONSORBLOCK_URL: sb.url, AUDIO_FORMAT: 'mp3', SPONSORBLOCK: 'remove' })
    const ids = ['sbRecent001', 'sbSettled01']
    for (const id of ids) sb.setSegments(id, [{ segment: [2, 4], category: 'sponsor' }])
    const items: FixtureItem[] = [
      { name: 'sb-recent', title: 'Recent', seconds: SECONDS },
      { name: 'sb-settled', title: 'Settled', seconds: SECONDS },
    ]
    const id = await youtubePlaylist(t, 'sb-recheck', items, ids, {})
    const [recent] = await entries(t, id)
    await t.ctx.db
      .updateTable('videos')
      .set({ upload_date: new Date().toISOString().slice(0, 10) })
      .where('id', '=', recent.id)
      .execute()
    expect(await t.runJob(id, 'extract')).toMatchObject({ status: 'completed', extract_completed: 2 })
    const lengths = async () =>
      Promise.all((await entries(t, id)).map(async (v) => Math.round((await probe(join(t.dataDir, v.audio_path))).duration * 10) / 10))
    expect((await lengths()).map(Math.round)).toEqual([10, 10])
    // Viewers add a segment to both; the playlist is synced (a newer indexed_at), then a job runs.
    for (const i of ids)
      sb.setSegments(i, [
        { segment: [2, 4], category: 'sponsor' },
        { segment: [8, 9], category: 'interaction' },
      ])
    await t.ctx.db.updateTable('playlists').set({ indexed_at: new Date().toISOString() }).where('id', '=', id).execute()
    const before = sb.requests().length
    const job = await t.runJob(id, 'extract')
    expect(job).toMatchObject({ status: 'completed', extract_completed: 1, extract_failed: 0 })
    expect(
      sb
        .requests()
        .slice(before)
        .map((r) => r.split('?')[0]),
    ).toEqual([`/api/skipSegments/${hashPrefix(ids[0])}`])
    const [a, b] = await lengths()
    expect(Math.abs(a - 9)).toBeLessThan(0.1)
    expect(Math.abs(b - 10)).toBeLessThan(0.1)
    expect((await listEvents(t.ctx.db, job.id)).map((e) => e.message)).toContain('SponsorBlock: asked again about 1 recent entry; 1 changed')
  }, 120_000)
})
