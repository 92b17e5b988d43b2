// Per-playlist download filters with the real indexer and yt-dlp: what they leave out is
// never requested, says why, and comes back when the filters are loosened.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

test('skipped by duration and title, not fetched, not counted in the batch; loosened, fetched by the next job', async () => {
  await using t = await testContext({ BATCH_SIZE: '2' })
  const items = [
    { name: 'f-short', title: 'Song A', seconds: 2 },
    { name: 'f-long', title: 'Long talk', seconds: 6 },
    { name: 'f-trailer', title: 'Trailer B', seconds: 2 },
    { name: 'f-song', title: 'Song C', seconds: 3 },
  ]
  const feed = await media.addFeed('filtered', { title: 'Filtered', items })
  const add = await t.addPlaylist(feed)
  const id = add.id

  const bad = await t.api('PATCH', `/api/playlists/${id}`, { title_include: '(' })
  expect(bad.status).toBe(422)
  expect(bad.json.error).toMatch(/^title_include is not a valid regular expression/)
  expect((await t.api('PATCH', `/api/playlists/${id}`, { min_duration: 10, max_duration: 5 })).json.error).toBe(
    'min_duration must not be longer than max_duration',
  )

  const set = await t.api('PATCH', `/api/playlists/${id}`, { max_duration: 5, title_exclude: 'TRAILER' })
  expect(set.status).toBe(200)
  expect(set.json).toMatchObject({ max_duration: 5, title_exclude: 'TRAILER', min_duration: null, title_include: null })
  const detail = (await t.api('GET', `/api/playlists/${id}`)).json
  expect(detail.counts).toMatchObject({ entries: 4, skipped: 2, failed: 0 })
  expect(detail.videos.map((v: any) => v.skip_reason)).toEqual([null, 'longer than 0:05', 'title matches /TRAILER/', null])
  expect((await t.api('GET', `/api/playlists/${id}?filter=skipped`)).json.videos.map((v: any) => v.title)).toEqual(['Long talk', 'Trailer B'])
  expect((await t.api('GET', `/api/playlists/${id}?filter=pending`)).json.videos_total).toBe(2)

  media.resetCounts()
  const first = await t.runJob(id, 'both')
  // Two entries to download, both in this batch: no batch line.
  expect(first).toMatchObject({ status: 'completed', download_total: 2, download_completed: 2, extract_completed: 2, download_batch_info: null })
  expect(media.requests('f-long').total + media.requests('f-trailer').total).toBe(0)

  // Loosened: the trailer waits again; the next job (a batch of 2 would hold it) takes exactly it.
  await t.api('PATCH', `/api/playlists/${id}`, { title_exclude: '' })
  expect((await t.api('GET', `/api/playlists/${id}`)).json.counts.skipped).toBe(1)
  const second = await t.runJob(id, 'download')
  expect(second).toMatchObject({ status: 'completed', download_total: 1, download_completed: 1 })
  expect(media.requests('f-trailer').total).toBeGreaterThan(0)
  expect(media.requests('f-long').total).toBe(0)

  // A new long entry upstream is skipped by the re-index before any job can claim it.
  await media.addFeed('filtered', { title: 'Filtered', items: [...items, { name: 'f-epic', title: 'Epic', seconds: 7 }] })
  const third = await t.runJob(id, 'download')
  expect(third).toMatchObject({ status: 'completed', download_completed: 0, download_failed: 0 })
  const after = (await t.api('GET', `/api/playlists/${id}`)).json
  expect(after.counts).toMatchObject({ entries: 5, downloaded: 3, skipped: 2 })
  expect(after.videos.at(-1)).toMatchObject({ title: 'Epic', skip_reason: 'longer than 0:05', download_state: 'pending' })
  expect(media.requests('f-epic').total).toBe(0)
})

test('the settings form takes minutes and patterns; a bad pattern is an inline 422', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('form-filtered', { title: 'Form Filtered', items: [{ name: 'ff1', title: 'One', seconds: 2 }] })
  const { id } = await t.addPlaylist(feed)
  const post = (fields: Record<string, string>) =>
    t.app.handle(
      new Request(`http://localhost/playlists/${id}/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
        body: new URLSearchParams(fields).toString(),
      }),
    )
  const ok = await post({ min_minutes: '0.5', max_minutes: '90', title_include: 'one', title_exclude: '' })
  expect(ok.status).toBe(200)
  const html = await ok.text()
  expect(html).toContain('name="min_minutes" value="0.5"')
  expect(html).toContain('name="max_minutes" value="90"')
  expect(html).toContain('name="title_include" value="one"')
  expect((await t.api('GET', `/api/playlists/${id}`)).json).toMatchObject({ min_duration: 30, max_duration: 5400, title_include: 'one', title_exclude: null })
  const bad = await post({ title_exclude: '[' })
  expect(bad.status).toBe(422)
  expect(await bad.text()).toContain('Title not matching: not a valid regular expression')
  expect((await post({ max_minutes: 'soon' })).status).toBe(422)
})

test('an oldest upload date: older entries are skipped with the reason; a bad date is a 422', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('dated', {
    title: 'Dated',
    items: [
      { name: 'd-old', title: 'Old', pubDate: 'Tue, 02 Jan 2024 10:00:00 GMT' },
      { name: 'd-new', title: 'New', pubDate: 'Wed, 02 Jul 2025 10:00:00 GMT' },
    ],
  })
  const { id } = await t.addPlaylist(feed)
  expect((await t.api('PATCH', `/api/playlists/${id}`, { date_after: '2024-13-01' })).json.error).toBe('date_after must be a date written YYYY-MM-DD')
  await t.api('PATCH', `/api/playlists/${id}`, { date_after: '2024-06-01' })
  const videos: any[] = (await t.api('GET', `/api/playlists/${id}`)).json.videos
  expect(videos.map((v) => [v.title, v.upload_date, v.skip_reason])).toEqual([
    ['Old', '2024-01-02', 'uploaded before 2024-06-01'],
    ['New', '2025-07-02', null],
  ])
  const page = await t.page(`/playlists/${id}`)
  expect(page).toContain('<input type="date" name="date_after" value="2024-06-01"/>')
  expect(page).toContain('skipped: uploaded before 2024-06-01')
})

test('a length the feed did not declare: read by ffprobe, stored, in the M3U, and judged by the length filter', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('undeclared', {
    title: 'Undeclared',
    items: [
      { name: 'u-short', title: 'Short', seconds: 3, declareDuration: false },
      { name: 'u-long', title: 'Long', seconds: 7, declareDuration: false },
    ],
  })
  const { id } = await t.addPlaylist(feed)
  // Unknown lengths pass the bounds, so both are downloaded.
  await t.api('PATCH', `/api/playlists/${id}`, { max_duration: 5 })
  const indexed: any[] = (await t.api('GET', `/api/playlists/${id}`)).json.videos
  expect(indexed.map((v) => [v.duration, v.skip_reason])).toEqual([
    [null, null],
    [null, null],
  ])
  const job = await t.runJob(id, 'both')
  expect(job).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 1, extract_failed: 0, extract_total: 1 })
  const detail = (await t.api('GET', `/api/playlists/${id}`)).json
  const [short, long] = detail.videos
  expect(Math.abs(short.duration - 3)).toBeLessThan(0.35)
  expect(Math.abs(long.duration - 7)).toBeLessThan(0.35)
  // Too long once known: kept (video and row), not extracted, with the reason.
  expect(long).toMatchObject({ download_state: 'downloaded', extract_state: 'pending', skip_reason: 'longer than 0:05', audio_path: null })
  expect(short).toMatchObject({ extract_state: 'extracted', skip_reason: null })
  expect(detail.counts).toMatchObject({ downloaded: 2, extracted: 1, skipped: 1, failed: 0 })
  const log: any[] = (await t.api('GET', `/api/jobs/${job.id}/log`)).json
  expect(log.map((e) => e.message)).toContainEqual('not extracted: Long: longer than 0:05')
  // The M3U has the real length, not -1.
  const m3u = await t.page(`/playlists/${id}/playlist.m3u8`)
  expect(m3u).toContain('#EXTINF:3,Short\n')
  expect(m3u).not.toContain('#EXTINF:-1')
  // The page shows the length and why the long one has no audio.
  const page = await t.page(`/playlists/${id}`)
  expect(page).toContain('not extracted: longer than 0:05')
  expect(page).toMatch(/<td class="num duration"><span>0:0[67]<\/span>/)
  // A later extract job leaves it alone; a loosened filter lets it through.
  expect((await t.api('POST', `/api/playlists/${id}/jobs`, { type: 'extract' })).status).toBe(202)
  const idle = (await t.manager.list({ playlist_id: id, limit: 1 }))[0]
  expect((await t.manager.waitFor(idle.id)).extract_total).toBe(0)
  await t.api('PATCH', `/api/playlists/${id}`, { max_duration: null })
  expect((await t.api('GET', `/api/playlists/${id}`)).json.counts.skipped).toBe(0)
  const again = await t.runJob(id, 'extract')
  expect(again).toMatchObject({ status: 'completed', extract_total: 1, extract_completed: 1 })
})
