// Paste and go: one call adds a URL (or finds it) and starts its job; single videos join
// Singles; Audio only deletes the videos it downloaded once their audio is valid. Real
// yt-dlp and ffmpeg against the fixture media server.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Video } from '../../src/db/types'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { postForm } from './ui-helpers'

let t: TestContext
let media: MediaServer
beforeAll(async () => {
  t = await testContext({ YTDLP_AUTO_UPDATE: 'off' })
  media = await startMediaServer()
})
afterAll(async () => {
  await t.close()
  await media.stop()
})

const videosOf = (playlistId: number): Promise<Video[]> =>
  t.ctx.db.selectFrom('videos').selectAll().where('playlist_id', '=', playlistId).orderBy('position').execute()
const onDisk = (rel: string | null) => rel !== null && existsSync(join(t.dataDir, rel))
const feed = (name: string, n: number) =>
  media.addFeed(name, {
    title: `Feed ${name}`,
    items: Array.from({ length: n }, (_, i) => ({ name: `${name}-${i + 1}`, title: `${name} ${i + 1}`, seconds: 1 })),
  })

describe('POST /api/playlists with start', () => {
  test('a playlist: added (201) and its job runs at once; pasted again: 200, the same playlist, another job', async () => {
    const url = await feed('pg-list', 2)
    const res = await t.api('POST', '/api/playlists', { url, start: 'both', audio_format: 'opus' })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ title: 'Feed pg-list', added: 2, existing: false, video_id: null, audio_format: 'opus', delete_videos: false })
    expect(res.json.job).toMatchObject({ playlist_id: res.json.id, type: 'both', delete_videos: false })
    expect((await t.manager.waitFor(res.json.job.id)).status).toBe('completed')
    const videos = await videosOf(res.json.id)
    expect(videos.every((v) => onDisk(v.video_path) && onDisk(v.audio_path) && v.audio_path!.endsWith('.opus'))).toBe(true)

    const again = await t.api('POST', '/api/playlists', { url: `${url}/`.replace(/\/$/, ''), start: 'video' })
    expect(again.status).toBe(200)
    expect(again.json).toMatchObject({ id: res.json.id, existing: true, added: 0 })
    expect(again.json.job).toMatchObject({ playlist_id: res.json.id, type: 'download' })
    await t.manager.waitFor(again.json.job.id)
  })

  test('single videos join one Singles collection; the same URL again is found there', async () => {
    const first = await media.addItem({ name: 'pg-single-1', title: 'A single', seconds: 1 })
    const second = await media.addItem({ name: 'pg-single-2', title: 'Another single', seconds: 1 })
    const a = await t.api('POST', '/api/playlists', { url: first, start: 'both' })
    expect(a.status).toBe(201)
    expect(a.json).toMatchObject({ title: 'Singles', singles: true, added: 1, existing: false })
    expect(typeof a.json.video_id).toBe('number')
    expect((await t.manager.waitFor(a.json.job.id)).status).toBe('completed')
    const b = await t.api('POST', '/api/playlists', { url: second, start: 'video' })
    expect(b.status).toBe(201)
    expect(b.json.id).toBe(a.json.id)
    await t.manager.waitFor(b.json.job.id)
    const entries = await videosOf(a.json.id)
    expect(entries.map((v) => v.source_url)).toEqual([first, second])
    expect(entries.map((v) => v.download_state)).toEqual(['downloaded', 'downloaded'])
    // The "Video only" entry was not extracted by anyone.
    expect(entries[1].extract_state).toBe('pending')

    const dup = await t.api('POST', '/api/playlists', { url: first, start: 'both' })
    expect(dup.status).toBe(200)
    expect(dup.json).toMatchObject({ id: a.json.id, existing: true, video_id: a.json.video_id })
    await t.manager.waitFor(dup.json.job.id)
    // Without start, a known URL is still a 409 naming where it is.
    const plain = await t.api('POST', '/api/playlists', { url: first })
    expect(plain.status).toBe(409)
    expect(plain.json).toMatchObject({ id: a.json.id, video_id: a.json.video_id })
    expect(plain.json.error).toContain('already added to Singles')
    // Its page says what the collection is, not the internal placeholder it is stored under.
    const page = await t.page(`/playlists/${a.json.id}`)
    expect(page).toContain('Videos pasted one by one')
    expect(page).not.toContain('yt-serve:singles')
  })

  test('Audio only: audio kept, video files deleted on purpose, Check files finds nothing missing, nothing downloaded again', async () => {
    const url = await feed('pg-audio', 2)
    const res = await t.api('POST', '/api/playlists', { url, start: 'audio', audio_format: 'mp3' })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ delete_videos: true })
    expect(res.json.job).toMatchObject({ type: 'both', delete_videos: true })
    expect((await t.manager.waitFor(res.json.job.id)).status).toBe('completed')
    const videos = await videosOf(res.json.id)
    expect(videos).toHaveLength(2)
    for (const v of videos) {
      expect(v).toMatchObject({ download_state: 'downloaded', extract_state: 'extracted', video_path: null })
      expect(v.video_deleted_at).not.toBeNull()
      expect(onDisk(v.audio_path)).toBe(true)
    }
    const verify = await t.api('POST', `/api/playlists/${res.json.id}/verify`)
    expect(verify.status).toBe(200)
    expect(verify.json).toMatchObject({ videos_missing: 0, audio_missing: 0 })

    media.resetCounts()
    const again = await t.api('POST', `/api/playlists/${res.json.id}/jobs`, { type: 'both' })
    const done = await t.manager.waitFor(again.json.id)
    expect(done).toMatchObject({ status: 'completed', download_total: 0 })
    expect(media.requests('pg-audio-1').total + media.requests('pg-audio-2').total).toBe(0)
  })

  test('misuse is a 4xx JSON error', async () => {
    const bad = await t.api('POST', '/api/playlists', { url: 'http://example.com/x', start: 'everything' })
    expect(bad.status).toBe(422)
    expect(bad.json.error).toContain('start must be one of: both, audio, video')
    const format = await t.api('POST', '/api/playlists', { url: 'http://example.com/x', start: 'audio', audio_format: 'wma' })
    expect(format.status).toBe(422)
    expect(format.json.error).toContain('audio_format must be one of')
    const scheme = await t.api('POST', '/api/playlists', { url: 'ftp://example.com/x', start: 'both' })
    expect(scheme.status).toBe(422)
    expect(typeof scheme.json.error).toBe('string')
  })
})

describe('the home form', () => {
  test('the notices link to the playlist: "Added …" and "already added as #N"; the job card goes to #jobs', async () => {
    const url = await feed('pg-form', 1)
    const added = await postForm(t, '/playlists', { url, start: 'video', audio_format: '' })
    expect(added.status).toBe(200)
    const id = Number(/href="\/playlists\/(\d+)"/.exec(added.text)?.[1])
    expect(id).toBeGreaterThan(0)
    expect(added.text).toMatch(/<p class="notice" role="status">Added <a href="\/playlists\/\d+">Feed pg-form<\/a>/)
    expect(added.text).toContain('<hx-partial hx-target="#jobs" hx-swap="afterbegin">')
    const jobId = Number(/Job #(\d+) started/.exec(added.text)?.[1])
    await t.manager.waitFor(jobId)
    const again = await postForm(t, '/playlists', { url, start: 'video', audio_format: '' })
    expect(again.status).toBe(200)
    expect(again.text).toContain(`This playlist was already added as <a href="/playlists/${id}">Feed pg-form</a>`)
    await t.manager.waitFor(Number(/Job #(\d+) started/.exec(again.text)?.[1]))
  })

  test('the home page has one add form with the three choices, Audio only saying it deletes videos', async () => {
    const res = await t.app.handle(new Request('http://localhost/'))
    const html = await res.text()
    expect(html.match(/<form[^>]*hx-post="\/playlists"/g)).toHaveLength(1)
    for (const v of ['both', 'audio', 'video']) expect(html).toContain(`name="start" value="${v}"`)
    expect(html).toContain('deletes each video file')
    expect(html).toContain('name="audio_format"')
  })
})
