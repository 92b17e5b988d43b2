// Retention with the real yt-dlp and ffmpeg: a prune after a job, the dry run, pruned entries
// never fetched again (the fixture counts requests), and a restore that fetches one again.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { updateVideo } from '../../src/db/videos'
import { SyncScheduler } from '../../src/playlists/sync-scheduler'
import { testContext } from '../helpers/context'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

const NAMES = ['r1', 'r2', 'r3', 'r4', 'r5']

test('keep_newest=2: a both job leaves 2 videos and all 5 audio files; pruned rows are never fetched again; restore fetches one', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('retained', {
    title: 'Retained',
    items: NAMES.map((name, i) => ({ name, title: i === 3 ? '<b>Four</b>' : `Entry ${i + 1}` })),
  })
  const add = await t.addPlaylist(feed)
  const patched = await t.api('PATCH', `/api/playlists/${add.id}`, { keep_newest: 2 })
  expect(patched.status).toBe(200)
  expect(patched.json).toMatchObject({ keep_newest: 2, delete_videos_after_days: null, keep_audio: null })
  // Nothing is on disk yet: nothing to prune.
  expect((await t.api('GET', `/api/playlists/${add.id}/prune-preview`)).json).toMatchObject({ entries: [], videos: 0, audio: 0 })

  const job = await t.runJob(add.id, 'both')
  expect(job).toMatchObject({ status: 'completed', download_completed: 5, extract_completed: 5 })
  const folder = join(t.dataDir, 'Retained')
  expect(readdirSync(join(folder, 'videos')).length).toBe(2)
  expect(readdirSync(join(folder, 'audio')).filter((n) => n.endsWith('.mp3')).length).toBe(5)

  const detail = (await t.api('GET', `/api/playlists/${add.id}`)).json
  expect(detail.videos.map((v: any) => [v.position, v.download_state, v.extract_state])).toEqual([
    [1, 'downloaded', 'extracted'],
    [2, 'downloaded', 'extracted'],
    [3, 'pruned', 'extracted'],
    [4, 'pruned', 'extracted'],
    [5, 'pruned', 'extracted'],
  ])
  expect(detail.counts).toMatchObject({ downloaded: 2, extracted: 5, pruned: 3 })
  for (const v of detail.videos.slice(2)) {
    expect(v.video_path).toBeNull()
    expect(v.pruned_at).not.toBeNull()
    expect(existsSync(join(t.dataDir, v.audio_path))).toBe(true)
  }
  // One log line per deleted file.
  const log: string[] = (await t.api('GET', `/api/jobs/${job.id}/log`)).json.map((e: any) => e.message)
  const deletions = log.filter((m) => m.startsWith('pruned: deleted '))
  expect(deletions).toHaveLength(3)
  const four = detail.videos[3]
  expect(deletions.find((m) => m.includes('"<b>Four</b>"'))).toMatch(
    /^pruned: deleted Retained\/videos\/004 - .+\.mp4 \("<b>Four<\/b>": not among the newest 2\)$/,
  )
  // The pruned ones' audio is still checked; their videos are not missing.
  expect((await t.api('POST', `/api/playlists/${add.id}/verify`)).json).toMatchObject({ checked: 7, videos_missing: 0, audio_missing: 0 })

  // The dry run with keep_newest=1 and the audio not kept names entry 2 and the three pruned ones' audio, and touches nothing.
  const before = JSON.stringify((await t.api('GET', `/api/playlists/${add.id}`)).json.videos)
  const preview = (await t.api('GET', `/api/playlists/${add.id}/prune-preview?keep_newest=1&keep_audio=false`)).json
  expect(preview.rules).toEqual({ keep_newest: 1, delete_videos_after_days: null, keep_audio: false })
  expect(preview.entries.map((e: any) => [e.title, e.video_path !== null, e.audio_path !== null])).toEqual([
    ['Entry 2', true, true],
    ['Entry 3', false, true],
    ['<b>Four</b>', false, true],
    ['Entry 5', false, true],
  ])
  expect([preview.videos, preview.audio]).toEqual([1, 4])
  const page = await t.page(`/playlists/${add.id}/prune-preview?keep_newest=1&keep_audio=false`)
  expect(page).toContain('the next prune would delete 1 video and 4 audio files of 4 entries')
  expect(page).toContain('&lt;b&gt;Four&lt;/b&gt;')
  expect(page).not.toContain('<b>Four</b>')
  expect(JSON.stringify((await t.api('GET', `/api/playlists/${add.id}`)).json.videos)).toBe(before)
  expect(readdirSync(join(folder, 'videos')).length).toBe(2)
  expect((await t.api('GET', `/api/playlists/${add.id}/prune-preview?keep_newest=x`)).status).toBe(422)

  // The next job fetches none of the pruned entries.
  media.resetCounts()
  const next = await t.runJob(add.id, 'both')
  expect(next).toMatchObject({ status: 'completed', download_total: 0, extract_total: 0 })
  expect(NAMES.reduce((n, name) => n + media.requests(name).total, 0)).toBe(0)

  // Restore: a download job (the audio is still there) fetches exactly that one again, and it is kept from then on.
  const restored = await t.api('POST', `/api/playlists/${add.id}/entries/${four.id}/restore`)
  expect(restored.status).toBe(202)
  expect(restored.json).toMatchObject({ video_id: four.id, audio_kept: true, job: { type: 'download' } })
  const fetched = await t.manager.waitFor(restored.json.job.id)
  expect(fetched).toMatchObject({ status: 'completed', download_completed: 1 })
  // One fetch is two requests: yt-dlp's generic extractor sniffs the URL, then downloads it.
  expect(media.requests('r4').full).toBe(2)
  expect(media.requests('r3').total + media.requests('r5').total).toBe(0)
  const after = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos[3]
  expect(after).toMatchObject({ download_state: 'downloaded', extract_state: 'extracted' })
  expect(after.restored_at).not.toBeNull()
  expect(existsSync(join(t.dataDir, after.video_path))).toBe(true)
  // A restored entry is never pruned again, and one that is not pruned cannot be restored.
  expect((await t.api('GET', `/api/playlists/${add.id}/prune-preview`)).json.entries).toEqual([])
  const again = await t.api('POST', `/api/playlists/${add.id}/entries/${four.id}/restore`)
  expect(again.status).toBe(409)
  expect(again.json.error).toContain('not pruned')
  expect((await t.api('POST', `/api/playlists/${add.id}/entries/999999/restore`)).status).toBe(404)
})

test('the settings form saves retention and its preview button names what would go; the entry row offers Restore', async () => {
  await using t = await testContext({ KEEP_NEWEST: '1' })
  const feed = await media.addFeed('formed', {
    title: 'Formed',
    items: [
      { name: 'f1', title: 'First' },
      { name: 'f2', title: 'Second' },
    ],
  })
  const add = await t.addPlaylist(feed)
  // The server default (KEEP_NEWEST=1) applies to a playlist without its own setting.
  const job = await t.runJob(add.id, 'download')
  expect(job).toMatchObject({ status: 'completed', download_completed: 2 })
  const videos = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
  expect(videos.map((v: any) => v.download_state)).toEqual(['downloaded', 'pruned'])

  const html = await t.page(`/playlists/${add.id}?filter=pruned`)
  expect(html).toContain(`hx-post="/playlists/${add.id}/entries/${videos[1].id}/restore"`)
  expect(html).toContain('name="keep_newest"')
  expect(html).toContain('placeholder="default: 1 entries"')

  // 0 turns it off for this playlist, whatever the server default.
  const form = new URLSearchParams({ keep_newest: '0', delete_videos_after_days: '', keep_audio: 'false' })
  const saved = await t.app.handle(
    new Request(`http://localhost/playlists/${add.id}/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(form.toString().length) },
      body: form.toString(),
    }),
  )
  expect(saved.status).toBe(200)
  expect((await t.api('GET', `/api/playlists/${add.id}`)).json).toMatchObject({ keep_newest: 0, delete_videos_after_days: null, keep_audio: false })
  expect(await t.page(`/playlists/${add.id}/prune-preview`)).toContain('retention off')

  // The row's Restore button: a fragment for the row, the entries table told to refresh, and a job that fetches it.
  const res = await t.app.handle(
    new Request(`http://localhost/playlists/${add.id}/entries/${videos[1].id}/restore`, { method: 'POST', headers: { 'hx-request': 'true' } }),
  )
  expect(res.status).toBe(200)
  expect(res.headers.get('hx-trigger')).toBe('entries-changed')
  const jobId = Number(/Restored: job #(\d+) fetches it again/.exec(await res.text())?.[1])
  // A playlist that never made audio gets a download job, not an extraction of everything.
  expect(await t.manager.waitFor(jobId)).toMatchObject({ status: 'completed', type: 'download', download_completed: 1 })
  expect((await t.api('GET', `/api/playlists/${add.id}`)).json.videos.map((v: any) => v.download_state)).toEqual(['downloaded', 'downloaded'])
})

test('a scheduled sync prunes what has aged past delete_videos_after_days, listed in the log of the sync job, even with nothing new', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('aging', {
    title: 'Aging',
    items: [
      { name: 'a1', title: 'Fresh' },
      { name: 'a2', title: 'Old' },
    ],
  })
  const add = await t.addPlaylist(feed)
  expect(await t.runJob(add.id, 'download')).toMatchObject({ status: 'completed', download_completed: 2 })
  const [fresh, old] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
  await updateVideo(t.ctx.db, old.id, { downloaded_at: new Date(Date.now() - 3 * 86_400_000).toISOString() })
  const patched = await t.api('PATCH', `/api/playlists/${add.id}`, { delete_videos_after_days: 2, sync_interval: 'daily' })
  expect(patched.status).toBe(200)

  media.resetCounts()
  const [jobId] = await new SyncScheduler(t.ctx, t.manager).tick(new Date(Date.now() + 2 * 86_400_000))
  const job = await t.manager.waitFor(jobId)
  expect(job).toMatchObject({ status: 'completed', download_total: 0 })
  const log: string[] = (await t.api('GET', `/api/jobs/${jobId}/log`)).json.map((e: any) => e.message)
  expect(log.filter((m) => m.startsWith('pruned: deleted '))).toEqual([`pruned: deleted ${old.video_path} ("Old": downloaded more than 2 days ago)`])
  expect(existsSync(join(t.dataDir, old.video_path))).toBe(false)
  expect(existsSync(join(t.dataDir, fresh.video_path))).toBe(true)
  expect(media.requests('a2').total).toBe(0)
})
