// "Check files": the archive against the disk, with a real both job before and after.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

test('files deleted by hand are found, marked pending, and the next job restores only them', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('verified', {
    title: 'Verified',
    items: [
      { name: 'v1', title: 'One' },
      { name: 'v2', title: '<b>Two</b>' },
      { name: 'v3', title: 'Three' },
    ],
  })
  const add = await t.addPlaylist(feed)
  const first = await t.runJob(add.id, 'both')
  expect(first).toMatchObject({ status: 'completed', download_completed: 3, extract_completed: 3 })
  expect((await t.api('POST', `/api/playlists/${add.id}/verify`)).json).toEqual({
    playlist_id: add.id,
    checked: 6,
    videos_missing: 0,
    audio_missing: 0,
    chapters_missing: 0,
    missing: [],
  })

  const folder = join(t.dataDir, 'Verified')
  const videosLeft = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
  const two = videosLeft.find((v: any) => v.title === '<b>Two</b>')
  rmSync(join(t.dataDir, two.video_path))
  rmSync(join(folder, 'audio', '003 - Three.mp3'))

  // The form endpoint: a notice with the (escaped) titles, the counts out-of-band, the table woken.
  const res = await t.app.handle(new Request(`http://localhost/playlists/${add.id}/verify`, { method: 'POST', headers: { 'hx-request': 'true' } }))
  expect(res.status).toBe(200)
  expect(res.headers.get('hx-trigger')).toBe('entries-changed')
  const html = await res.text()
  expect(html).toContain('Missing on disk: 1 video file and 1 audio file.')
  expect(html).toContain('&lt;b&gt;Two&lt;/b&gt;')
  expect(html).not.toContain('<b>Two</b>')
  expect(html).toMatch(/id="playlist-\d+-stats" hx-swap-oob="true"/)

  const videos: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
  expect(videos.map((v) => [v.title, v.download_state, v.extract_state])).toEqual([
    ['One', 'downloaded', 'extracted'],
    ['<b>Two</b>', 'pending', 'extracted'],
    ['Three', 'downloaded', 'pending'],
  ])
  expect(videos[1].video_path).toBeNull()
  expect(videos[2].audio_path).toBeNull()
  // Nothing is counted twice: a second check finds the rest in place.
  expect((await t.api('POST', `/api/playlists/${add.id}/verify`)).json).toMatchObject({ checked: 4, videos_missing: 0, audio_missing: 0 })

  media.resetCounts()
  const job = await t.startJob(add.id, 'both')
  // While it runs the files are moving: no check.
  const busy = await t.api('POST', `/api/playlists/${add.id}/verify`)
  expect(busy.status).toBe(409)
  expect(busy.json.error).toContain('active job')
  const restored = await t.manager.waitFor(job.id)
  expect(restored).toMatchObject({ status: 'completed', download_total: 1, download_completed: 1, extract_total: 1, extract_completed: 1 })
  expect(media.requests('v1').total + media.requests('v3').total).toBe(0)
  expect((await t.api('POST', `/api/playlists/${add.id}/verify`)).json).toMatchObject({ checked: 6, videos_missing: 0, audio_missing: 0 })
  const after: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
  for (const v of after) {
    expect(existsSync(join(t.dataDir, v.video_path))).toBe(true)
    expect(existsSync(join(t.dataDir, v.audio_path))).toBe(true)
  }
  expect((await t.api('POST', '/api/playlists/4242/verify')).status).toBe(404)
})
