// Managing playlists in a real browser (Debian's Chromium via playwright-core) against the real
// server and the fixture media server: delete with and without the files, rename, and the
// collapsed settings form's round trip.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync } from 'node:fs'
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
  app = await startApp('manage', { ...MEDIA_ENV, EXTRACT_CONCURRENCY: '1' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
  await media?.stop()
})

/** A playlist of two short items, downloaded for real: its folder holds two videos. */
async function downloadedPlaylist(name: string, title: string): Promise<{ id: number; folder: string; dir: string }> {
  const feed = await media.addFeed(name, {
    title,
    items: [
      { name: `${name}-1`, title: 'First', seconds: 1 },
      { name: `${name}-2`, title: 'Second', seconds: 1 },
    ],
  })
  const playlist = await app.api('POST', '/api/playlists', { url: feed })
  const job = await app.api('POST', `/api/playlists/${playlist.id}/jobs`, { type: 'download' })
  const done = await waitUntil('the download to end', async () => {
    const j = await app.api('GET', `/api/jobs/${job.id}`)
    return ['completed', 'failed', 'cancelled'].includes(j.status) && j
  })
  expect(done.status).toBe('completed')
  const dir = join(app.dataDir, playlist.folder)
  return { id: playlist.id, folder: playlist.folder, dir }
}

/** Every file under `dir`, as paths relative to it. */
const filesIn = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())

describe('delete', () => {
  test('keep the files: the library says so, the playlist is gone, the files stay', async () => {
    const p = await downloadedPlaylist('del-keep', 'Keep My Files')
    expect(filesIn(p.dir).length).toBeGreaterThanOrEqual(2)
    const before = filesIn(p.dir).length
    const page = await browser.context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${app.url}/playlists/${p.id}`)
    const keep = page.locator('button[data-action=delete-keep-files]')
    expect(await keep.isVisible()).toBe(false) // folded until asked for
    await page.locator('.playlist-delete > summary').click()
    await keep.click()
    await page.waitForURL(`${app.url}/`)
    const notice = page.locator('.flash-notice')
    expect(await notice.textContent()).toBe(`Deleted “Keep My Files”. Its files stay in ${p.folder}/.`)
    expect(await page.locator('.playlist-row', { hasText: 'Keep My Files' }).count()).toBe(0)
    expect(filesIn(p.dir).length).toBe(before)
    expect((await fetch(`${app.url}/api/playlists/${p.id}`)).status).toBe(404)
    // Once only: a reload shows no notice.
    await page.reload()
    expect(await page.locator('.flash-notice').count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)

  test('delete the files too: the folder is gone from the disk', async () => {
    const p = await downloadedPlaylist('del-wipe', 'Wipe Me')
    const count = filesIn(p.dir).length
    const page = await browser.context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${app.url}/playlists/${p.id}`)
    await page.locator('.playlist-delete > summary').click()
    await page.locator('button[data-action=delete-with-files]').click()
    await page.waitForURL(`${app.url}/`)
    expect(await page.locator('.flash-notice').textContent()).toMatch(new RegExp(`^Deleted “Wipe Me” and its ${count} files \\(.+\\)\\.$`))
    expect(existsSync(p.dir)).toBe(false)
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)

  test('refused while a job runs: the reason shows inline and nothing is deleted', async () => {
    const feed = await media.addFeed('del-busy', { title: 'Busy List', items: [{ name: 'del-busy-1', title: 'Slow', seconds: 1, kind: 'stall' }] })
    const playlist = await app.api('POST', '/api/playlists', { url: feed })
    const page = await browser.context.newPage()
    await page.goto(`${app.url}/playlists/${playlist.id}`)
    const job = await app.api('POST', `/api/playlists/${playlist.id}/jobs`, { type: 'download' })
    await page.locator('.playlist-delete > summary').click()
    await page.locator('button[data-action=delete-with-files]').click()
    const message = page.locator(`#playlist-${playlist.id}-delete-message .error`)
    await message.waitFor()
    expect(await message.textContent()).toBe(`a job of this playlist is running (#${job.id}); cancel it first, or wait for it to end`)
    expect(page.url()).toBe(`${app.url}/playlists/${playlist.id}`)
    expect((await fetch(`${app.url}/api/playlists/${playlist.id}`)).status).toBe(200)
    await app.api('POST', `/api/jobs/${job.id}/cancel`)
    await page.close()
  }, 60_000)
})

describe('rename and settings', () => {
  test('rename inline: the heading changes, the folder does not; an empty name is refused in words', async () => {
    const feed = await media.addFeed('rename', { title: 'Old Name', items: [{ name: 'rename-1', title: 'One', seconds: 1 }] })
    const playlist = await app.api('POST', '/api/playlists', { url: feed })
    const page = await browser.context.newPage()
    await page.goto(`${app.url}/playlists/${playlist.id}`)
    await page.locator('.rename > summary').click()
    const input = page.locator('.rename-form input[name=title]')
    await input.fill('   ')
    // The browser's own check (required) lets spaces through; the server refuses them.
    await page.locator('.rename-form button[type=submit]').click()
    await page.locator(`#playlist-${playlist.id}-name-message .error`).waitFor()
    expect(await page.locator(`#playlist-${playlist.id}-name-message`).textContent()).toBe('Name: must not be empty')
    await input.fill('Evening Mix')
    await page.locator('.rename-form button[type=submit]').click()
    await page.locator('.playlist-name .notice').waitFor()
    expect(await page.locator('h1').textContent()).toBe('Evening Mix')
    await page.reload()
    expect(await page.locator('h1').textContent()).toBe('Evening Mix')
    expect((await app.api('GET', `/api/playlists/${playlist.id}`)).folder).toBe(playlist.folder)
    await page.close()
  }, 60_000)

  test('settings fold under a summary; an invalid pattern shows the human error; Save round-trips', async () => {
    const feed = await media.addFeed('settings', { title: 'Settings List', items: [{ name: 'settings-1', title: 'One', seconds: 1 }] })
    const playlist = await app.api('POST', '/api/playlists', { url: feed })
    const page = await browser.context.newPage()
    await page.goto(`${app.url}/playlists/${playlist.id}`)
    const summary = page.locator('.settings-summary')
    expect(await summary.textContent()).toBe('mp3 · sync off · no filters')
    const exclude = page.locator('input[name=title_exclude]')
    expect(await exclude.isVisible()).toBe(false)
    await page.locator('.settings-details > summary').click()
    await exclude.fill('(live')
    await page.locator('form.settings button[type=submit]').click()
    const error = page.locator(`#playlist-${playlist.id}-settings-message .error`)
    await error.waitFor()
    expect(await error.textContent()).toStartWith('Title not matching: not a valid regular expression')
    expect((await app.api('GET', `/api/playlists/${playlist.id}`)).title_exclude).toBeNull()

    await exclude.fill('live')
    await page.selectOption('select[name=sync_interval]', 'daily')
    await page.selectOption('select[name=audio_format]', 'opus')
    await page.locator('form.settings button[type=submit]').click()
    await page.locator('form.settings .notice').waitFor()
    expect(await summary.textContent()).toBe('opus · syncs daily · 1 filter')
    expect(await page.locator(`#playlist-${playlist.id}-settings-message .error`).count()).toBe(0)
    await page.reload()
    expect(await page.locator('.settings-details').getAttribute('open')).toBeNull()
    expect(await summary.textContent()).toBe('opus · syncs daily · 1 filter')
    expect(await app.api('GET', `/api/playlists/${playlist.id}`)).toMatchObject({ title_exclude: 'live', sync_interval: 'daily', audio_format: 'opus' })
    await page.close()
  }, 60_000)

  test('no Content-Security-Policy violation in any of the flows above', () => {
    expect(browser.cspViolations).toEqual([])
  })
})
