// The Activity page, the live job log, finished cards that survive a reload until dismissed,
// and the opt-in browser notification, in a real browser (Debian's Chromium via playwright-core)
// against the real server, yt-dlp and ffmpeg, and the fixture media server.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Page } from 'playwright-core'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { waitUntil } from '../helpers/server-process'
import { type E2eApp, MEDIA_ENV, startApp } from './app'
import { launchBrowser, watchErrors, type Browser } from './browser'

let media: MediaServer
let app: E2eApp

beforeAll(async () => {
  media = await startMediaServer()
  app = await startApp('activity', { ...MEDIA_ENV, EXTRACT_CONCURRENCY: '1' })
})

afterAll(async () => {
  await app?.close()
  await media?.stop()
})

/** A playlist of short items; `hold` keeps one download in flight until released. */
async function playlist(name: string, title: string, count: number) {
  const items = Array.from({ length: count }, (_, i) => ({ name: `${name}-${i + 1}`, title: `${title} ${i + 1}`, seconds: 1 }))
  const feed = await media.addFeed(name, { title, items })
  return app.api('POST', '/api/playlists', { url: feed })
}

const ended = (id: number) =>
  waitUntil(`job ${id} to end`, async () => ['completed', 'failed', 'cancelled'].includes((await app.api('GET', `/api/jobs/${id}`)).status))

/** Records every Notification the page constructs, keeping the real one working. */
async function recordNotifications(browser: Browser) {
  await browser.context.addInitScript(() => {
    const Real = window.Notification
    if (!Real) return
    const w = window as unknown as { __notes: string[] }
    w.__notes = []
    const Recording = function (this: unknown, title: string, options?: NotificationOptions) {
      w.__notes.push(title)
      return new Real(title, options)
    } as unknown as typeof Notification
    Object.defineProperty(Recording, 'permission', { get: () => Real.permission })
    Recording.requestPermission = Real.requestPermission.bind(Real)
    window.Notification = Recording
  })
}
const notes = (page: Page) => page.evaluate(() => (window as unknown as { __notes: string[] }).__notes)

describe('with notifications granted', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
    await browser.context.grantPermissions(['notifications'], { origin: app.url })
    await recordNotifications(browser)
  })
  afterAll(() => browser?.close())

  test('a live log, the queue, a notification when the job ends, and a finished card kept until dismissed', async () => {
    const p = await playlist('act', 'Activity Mix', 3)
    const home = await browser.context.newPage()
    const errors = watchErrors(home)
    await home.goto(app.url)
    const toggle = home.getByRole('button', { name: 'Notify me when jobs end' })
    await toggle.click()
    await home.getByRole('button', { name: 'Notifications on (turn off)' }).waitFor()

    // The last item stays in flight until the log has shown the others live.
    const release = media.holdBack('act-3')
    const job = await app.api('POST', `/api/playlists/${p.id}/jobs`, { type: 'both' })
    await home.reload()
    await home.locator(`#job-${job.id}[data-status="running"]`).waitFor()

    const activity = await browser.context.newPage()
    await activity.goto(`${app.url}/activity`)
    await activity.locator(`#queue #job-${job.id}`).waitFor()
    await activity.locator(`#activity-${job.id} a.log-link`).click()
    await activity.waitForURL(`**/jobs/${job.id}/log`)
    // Lines appear while the job still runs, without a reload.
    await activity.getByRole('cell', { name: 'extracted: Activity Mix 1' }).waitFor()
    await activity.getByRole('cell', { name: 'downloaded: Activity Mix 2' }).waitFor()
    expect(await activity.locator('#job-log').getAttribute('data-status')).toBe('running')
    expect(await activity.locator('#job-log').getAttribute('hx-trigger')).toBe('every 2s')
    release()
    await activity.getByRole('cell', { name: /^finished: 3 downloaded, 3 extracted, 0 failed/ }).waitFor()
    // The final render carries no timer: the polling has ended.
    await activity.locator('#job-log[data-status="completed"]').waitFor()
    expect(await activity.locator('#job-log').getAttribute('hx-trigger')).toBeNull()

    // The home page's card turned final, and the browser was told.
    await home.locator(`#job-${job.id}[data-status="completed"]`).waitFor()
    await waitUntil('the notification', async () => (await notes(home)).length > 0)
    expect(await notes(home)).toEqual([`Job #${job.id} completed`])

    // The finished card survives a reload, and Dismiss takes it away for good.
    await home.reload()
    const card = home.locator(`#job-${job.id}`)
    await card.waitFor()
    expect(await notes(home)).toEqual([]) // a card already finished at load tells nothing
    await card.getByRole('button', { name: 'Dismiss' }).click()
    await card.waitFor({ state: 'detached' })
    await home.reload()
    await home.locator('#jobs').waitFor()
    expect(await home.locator(`#job-${job.id}`).count()).toBe(0)
    // The history still has it.
    await activity.goto(`${app.url}/activity?status=completed`)
    await activity.locator(`#activity-${job.id}`).waitFor()
    expect(errors).toEqual([])
    expect(browser.cspViolations).toEqual([])
  }, 120_000)
})

describe('with notifications not allowed', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
    await recordNotifications(browser)
  })
  afterAll(() => browser?.close())

  test('asking is refused, the page says so, and a job that ends makes no notification', async () => {
    const p = await playlist('quiet', 'Quiet Mix', 1)
    const home = await browser.context.newPage()
    const errors = watchErrors(home)
    await home.goto(app.url)
    await home.getByRole('button', { name: 'Notify me when jobs end' }).click()
    // Headless Chromium answers the request itself: not granted.
    const permission = await waitUntil('the permission answer', async () => {
      const p = await home.evaluate(() => Notification.permission)
      return p !== 'granted' && (await home.locator('#notify-toggle[aria-pressed="false"]').count()) === 1 && p
    })
    expect(permission).not.toBe('granted')
    const release = media.holdBack('quiet-1')
    const job = await app.api('POST', `/api/playlists/${p.id}/jobs`, { type: 'both' })
    await home.reload()
    await home.locator(`#job-${job.id}[data-status="running"]`).waitFor()
    release()
    await ended(job.id)
    await home.locator(`#job-${job.id}[data-status="completed"]`).waitFor()
    expect(await notes(home)).toEqual([])
    expect(errors).toEqual([])
    expect(browser.cspViolations).toEqual([])
  }, 120_000)
})
