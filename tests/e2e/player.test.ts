// The player page in a real browser (Debian's Chromium): the <video> reads the file's
// metadata through the media route's Range answers, and Next goes to the next entry.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { waitUntil } from '../helpers/server-process'
import { type E2eApp, MEDIA_ENV, startApp } from './app'
import { type Browser, launchBrowser, watchErrors } from './browser'

let media: MediaServer
let app: E2eApp
let browser: Browser
let playlistId: number
let ids: number[]

beforeAll(async () => {
  media = await startMediaServer()
  app = await startApp('player', MEDIA_ENV)
  const feed = await media.addFeed('player-e2e', {
    title: 'Player E2E',
    items: [
      { name: 'pe-1', title: 'Three Seconds', seconds: 3, container: 'webm', audioCodec: 'opus' },
      { name: 'pe-2', title: 'Not There', kind: 'missing' },
      { name: 'pe-3', title: 'Two Seconds', seconds: 2, container: 'mp4' },
    ],
  })
  playlistId = (await app.api('POST', '/api/playlists', { url: feed })).id
  const job = (await app.api('POST', `/api/playlists/${playlistId}/jobs`, { type: 'download' })).id
  await waitUntil('the job to end', async () => !['queued', 'running'].includes((await app.api('GET', `/api/jobs/${job}`)).status), 60_000)
  const videos: { id: number; video_path: string }[] = (await app.api('GET', `/api/playlists/${playlistId}`)).videos
  ids = videos.map((v) => v.id)
  // English subtitles beside the first video, as yt-dlp would leave them.
  writeFileSync(join(app.dataDir, videos[0].video_path.replace(/\.webm$/, '.en.vtt')), 'WEBVTT\n\n00:00.000 --> 00:02.000\nHello from the subtitles\n')
  browser = await launchBrowser()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await media?.stop()
})

/** The <video>'s readyState and duration once it has metadata (readyState ≥ 1), or its error code. */
async function metadataOf(page: Page): Promise<{ ready: number; duration: number; error: number | null }> {
  await page.waitForFunction(() => {
    const v = document.querySelector('video')
    return v !== null && (v.readyState >= 1 || v.error !== null)
  })
  return page.evaluate(() => {
    const v = document.querySelector('video') as HTMLVideoElement
    return { ready: v.readyState, duration: v.duration, error: v.error?.code ?? null }
  })
}

test('the video loads its metadata (duration of the fixture) and its subtitles, and Next skips the entry without a video', async () => {
  const page = await browser.context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${app.url}/playlists/${playlistId}/entries/${ids[0]}`)
  const first = await metadataOf(page)
  expect(first.error).toBeNull()
  expect(first.ready).toBeGreaterThanOrEqual(1)
  expect(Math.abs(first.duration - 3)).toBeLessThan(0.3)
  expect(await page.getByRole('link', { name: /^Previous/ }).count()).toBe(0)
  // The default <track> loads through the subtitle route (same origin, text/vtt) and has its cue.
  await page.waitForFunction(() => (document.querySelector('video')?.textTracks[0]?.cues?.length ?? 0) > 0)
  expect(await page.evaluate(() => (document.querySelector('video')?.textTracks[0]?.cues?.[0] as VTTCue | undefined)?.text)).toBe('Hello from the subtitles')

  await Promise.all([page.waitForURL((u) => u.pathname.endsWith(`/entries/${ids[2]}`)), page.getByRole('link', { name: 'Next: Two Seconds' }).click()])
  expect(await page.locator('h1').textContent()).toBe('Two Seconds')
  const second = await metadataOf(page)
  expect(second.error).toBeNull()
  expect(Math.abs(second.duration - 2)).toBeLessThan(0.3)
  expect(await page.getByRole('link', { name: 'Previous: Three Seconds' }).count()).toBe(1)
  expect(errors).toEqual([])
  expect(browser.cspViolations).toEqual([])
  await page.close()
}, 30_000)
