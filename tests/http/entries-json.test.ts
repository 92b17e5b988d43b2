// The entries of a playlist as the JSON API and the page's table show them: SponsorBlock's
// cached answer as a parsed array (null: never asked), and the video's length in the table,
// with the audio's beside it only when segments were cut out of the audio.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { updateVideo } from '../../src/db/videos'
import { cacheSegments } from '../../src/library/sponsorblock'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'

let t: TestContext
let media: MediaServer
let playlistId: number
let ids: Record<string, number>

beforeAll(async () => {
  t = await testContext()
  media = await startMediaServer()
  const feed = await media.addFeed('entries-json', { title: 'Entries JSON', items: ['cut', 'asked', 'never', 'broken'].map((name) => ({ name, title: name })) })
  playlistId = (await t.addPlaylist(feed)).id
  const videos = (await t.api('GET', `/api/playlists/${playlistId}`)).json.videos as any[]
  ids = Object.fromEntries(videos.map((v) => [v.title, v.id]))
  const segments = [
    { start: 12.5, end: 40, category: 'sponsor' },
    { start: 500, end: 562.25, category: 'outro' },
  ]
  const checked = new Date().toISOString()
  await updateVideo(t.ctx.db, ids.cut, {
    duration: 600,
    audio_duration: 510.25,
    sponsorblock_segments: cacheSegments(segments),
    sponsorblock_checked_at: checked,
  })
  await updateVideo(t.ctx.db, ids.asked, { duration: 125, sponsorblock_segments: cacheSegments([]), sponsorblock_checked_at: checked })
  await updateVideo(t.ctx.db, ids.never, { duration: 61 })
  // A hand-edited cache row: read as nothing usable, never passed on raw.
  await updateVideo(t.ctx.db, ids.broken, { sponsorblock_segments: '{"not": "segments"', sponsorblock_checked_at: checked })
})
afterAll(async () => {
  await t.close()
  await media.stop()
})

test('GET /api/playlists/:id: sponsorblock_segments is an array of {start, end, category}, or null when never asked', async () => {
  const res = await t.api('GET', `/api/playlists/${playlistId}`)
  expect(res.status).toBe(200)
  const byTitle = Object.fromEntries((res.json.videos as any[]).map((v) => [v.title, v]))
  expect(byTitle.cut.sponsorblock_segments).toEqual([
    { start: 12.5, end: 40, category: 'sponsor' },
    { start: 500, end: 562.25, category: 'outro' },
  ])
  expect(byTitle.asked.sponsorblock_segments).toEqual([])
  expect(byTitle.never.sponsorblock_segments).toBeNull()
  expect(byTitle.broken.sponsorblock_segments).toEqual([])
  expect(byTitle.cut).toMatchObject({ duration: 600, audio_duration: 510.25 })
  // The rest of the answer is untouched by the response schema.
  expect(res.json).toMatchObject({ id: playlistId, title: 'Entries JSON', counts: { entries: 4 }, videos_total: 4 })
  expect(byTitle.cut).toMatchObject({ source_id: expect.any(String), download_state: 'pending', position: expect.any(Number) })
  expect(byTitle.cut).not.toHaveProperty('smuggled_data')
  // Documented in the OpenAPI document.
  const doc = (await t.api('GET', '/api/openapi.json')).json
  const entry = doc.paths['/api/playlists/{id}'].get.responses['200'].content['application/json'].schema.properties.videos.items
  expect(JSON.stringify(entry.properties.sponsorblock_segments)).toContain('"category"')
})

test("the entries table shows the video's length; the audio's only beside it, when segments were cut out", async () => {
  const html = await t.page(`/playlists/${playlistId}`)
  const cell = (id: number) => html.match(new RegExp(`<tr id="video-${id}"[\\s\\S]*?<td class="num duration">([\\s\\S]*?)</td>`))![1]
  expect(cell(ids.cut)).toMatch(/^<span>10:00<\/span><small class="muted audio-length"[^>]*>audio 8:30<\/small>$/)
  expect(cell(ids.asked)).toBe('<span>2:05</span>')
  expect(cell(ids.never)).toBe('<span>1:01</span>')
})
