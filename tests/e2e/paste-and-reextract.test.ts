// Paste and go and re-extract in Debian's Chromium against the real server, yt-dlp and ffmpeg
// and the fixture media server: a single video lands in Singles, a URL pasted again links to
// what it already is, and a new audio format offers "Re-extract N files as …" at once.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { waitUntil } from '../helpers/server-process'
import { type E2eApp, MEDIA_ENV, startApp } from './app'
import { launchBrowser, watchErrors, type Browser } from './browser'

let media: MediaServer
let app: E2eApp
let browser: Browser

beforeAll(async () => {
  media = await startMediaServer()
  app = await startApp('paste', { ...MEDIA_ENV, EXTRACT_CONCURRENCY: '1' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await media?.stop()
})

const ended = (jobId: number) =>
  waitUntil(`job ${jobId} to end`, async () => {
    const j = await app.api('GET', `/api/jobs/${jobId}`)
    return ['completed', 'failed', 'cancelled'].includes(j.status) && j
  })

/** Pastes `url` on the home page with the default choices; the status line's notice once it shows. */
async function paste(page: import('playwright-core').Page, url: string) {
  await page.locator('#playlist-url').fill(url)
  await page.locator('#add-playlist button[type=submit]').click()
  const notice = page.locator('#add-playlist-status .notice')
  await notice.waitFor()
  return notice
}

test('a single video lands in Singles; pasted again, the notice says so and links there', async () => {
  const url = await media.addItem({ name: 'e2e-single', title: 'A Single Song', seconds: 1 })
  const page = await browser.context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${app.url}/`)
  const notice = await paste(page, url)
  expect(await notice.textContent()).toMatch(/^Added the video to Singles\. Job #\d+ started: downloading and extracting\.$/)
  const href = await notice.locator('a').getAttribute('href')
  expect(href).toMatch(/^\/playlists\/\d+$/)
  const singles = await app.api('GET', `/api/playlists/${href!.split('/').pop()}`)
  expect(singles).toMatchObject({ title: 'Singles', singles: true })
  // A bare media URL: yt-dlp's generic extractor names the entry after the file.
  expect(singles.videos.map((v: { source_url: string }) => v.source_url)).toEqual([url])
  expect((await ended(singles.jobs[0].id)).status).toBe('completed')

  await page.reload()
  const again = await paste(page, url)
  expect(await again.textContent()).toStartWith(`This video was already added to Singles (#${singles.id}).`)
  await again.locator('a').click()
  await page.waitForURL(`${app.url}${href}`)
  expect(await page.locator('h1').textContent()).toBe('Singles')
  const latest = await app.api('GET', `/api/playlists/${singles.id}`)
  await ended(latest.jobs[0].id)
  expect(errors).toEqual([])
  await page.close()
}, 60_000)

test('a playlist pasted again: the notice links to the playlist it already is', async () => {
  const feed = await media.addFeed('e2e-paste-twice', { title: 'Twice Pasted', items: [{ name: 'e2e-twice-1', title: 'One', seconds: 1 }] })
  const page = await browser.context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${app.url}/`)
  const first = await paste(page, feed)
  expect(await first.textContent()).toMatch(/^Added Twice Pasted \(1 entry\)\. Job #\d+ started/)
  const id = Number((await first.locator('a').getAttribute('href'))!.split('/').pop())
  await ended((await app.api('GET', `/api/playlists/${id}`)).jobs[0].id)

  await page.reload()
  const again = await paste(page, feed)
  expect(await again.textContent()).toStartWith(`This playlist was already added as Twice Pasted (#${id}).`)
  await again.locator('a').click()
  await page.waitForURL(`${app.url}/playlists/${id}`)
  expect(await page.locator('h1').textContent()).toBe('Twice Pasted')
  await ended((await app.api('GET', `/api/playlists/${id}`)).jobs[0].id)
  expect(errors).toEqual([])
  await page.close()
}, 60_000)

test('a new audio format offers re-extraction right after Save; running it replaces the files', async () => {
  const feed = await media.addFeed('e2e-reextract', {
    title: 'Re-extract Me',
    items: [
      { name: 'e2e-rx-1', title: 'First', seconds: 1 },
      { name: 'e2e-rx-2', title: 'Second', seconds: 1 },
    ],
  })
  const playlist = await app.api('POST', '/api/playlists', { url: feed })
  const job = await app.api('POST', `/api/playlists/${playlist.id}/jobs`, { type: 'both' })
  expect((await ended(job.id)).status).toBe('completed')
  const audioDir = join(app.dataDir, playlist.folder, 'audio')
  expect(readdirSync(audioDir).sort()).toEqual(['001 - First.mp3', '002 - Second.mp3'])

  const page = await browser.context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${app.url}/playlists/${playlist.id}`)
  const offer = page.locator('button[data-action=reextract]')
  expect(await offer.count()).toBe(0)
  await page.locator('.settings-details > summary').click()
  await page.selectOption('select[name=audio_format]', 'opus')
  await page.locator('form.settings button[type=submit]').click()
  await page.locator('form.settings .notice').waitFor()
  // No reload: the Save's answer brings the offer with it.
  await offer.waitFor()
  expect(await offer.textContent()).toBe('Re-extract 2 files as opus')

  await offer.click()
  await page.locator('#jobs .job-card').first().waitFor()
  const reextract = (await app.api('GET', `/api/playlists/${playlist.id}`)).jobs[0]
  expect(reextract).toMatchObject({ type: 'extract' })
  expect(await ended(reextract.id)).toMatchObject({ status: 'completed', extract_completed: 2, extract_failed: 0 })
  expect(readdirSync(audioDir).sort()).toEqual(['001 - First.opus', '002 - Second.opus'])
  const after = await app.api('GET', `/api/playlists/${playlist.id}`)
  expect(after.videos.map((v: { audio_path: string }) => v.audio_path.split('.').pop())).toEqual(['opus', 'opus'])
  // Nothing left in another format: the offer is gone once the page shows the finished job.
  await page.reload()
  expect(await offer.count()).toBe(0)
  expect(errors).toEqual([])
  expect(browser.cspViolations).toEqual([])
  await page.close()
}, 60_000)
