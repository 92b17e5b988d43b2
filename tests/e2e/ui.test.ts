// The web UI in a real browser: playwright-core drives Debian's Chromium against the real
// server (startServer on port 0) and the fixture media server, with real yt-dlp and ffmpeg.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { parseConfig } from '../../src/config'
import { startServer, type RunningServer } from '../../src/server'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { waitUntil } from '../helpers/server-process'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Lets the test start the audio element without a click.
  '--autoplay-policy=no-user-gesture-required',
]

/** SCREENSHOT=1 also writes docs/screenshot-both.png while the "both" job runs. */
const SCREENSHOT = process.env.SCREENSHOT === '1'

let media: MediaServer
let server: RunningServer
let dataDir: string
let profileDir: string
let context: BrowserContext
const cspViolations: string[] = []

beforeAll(async () => {
  media = await startMediaServer()
  dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-e2e-'))
  profileDir = mkdtempSync(join(tmpdir(), 'yt-serve-e2e-profile-'))
  const config = parseConfig({
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    ALLOW_PRIVATE_URLS: 'true',
    EXTRACT_CONCURRENCY: '1',
    SOCKET_TIMEOUT: '10',
    BATCH_SIZE: '6',
    YTDLP_AUTO_UPDATE: 'off',
  })
  server = await startServer(config, { handleSignals: false })
  // A persistent context is how playwright takes a fresh --user-data-dir.
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 960, height: 760 },
  })
  // Every Content-Security-Policy violation in any page of any test lands here (the
  // listener is injected through the DevTools protocol, which the CSP does not govern).
  await context.exposeBinding('__cspViolation', ({ page }, v: string) => cspViolations.push(`${page.url()}: ${v}`))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ;(window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      )
    })
  })
})

afterAll(async () => {
  await context?.close()
  await server?.stop()
  await media?.stop()
  for (const d of [dataDir, profileDir]) if (d) rmSync(d, { recursive: true, force: true })
})

/** Console errors and uncaught exceptions seen by a page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  return errors
}

describe('home page', () => {
  test('add-playlist errors show inline next to the form; the page never goes blank', async () => {
    const page = await context.newPage()
    watchErrors(page) // 4xx fetches log "Failed to load resource": expected here
    await page.goto(`${server.url}/`)
    const status = page.locator('#add-playlist-status')

    // A URL the browser accepts but the server refuses (not http/https).
    await page.fill('#playlist-url', 'ftp://example.com/list')
    await page.click('#add-playlist button[type=submit]')
    await page.waitForSelector('#add-playlist-status .error')
    expect(await status.textContent()).toMatch(/http|url/i)

    // A well-formed URL yt-dlp cannot read.
    await page.fill('#playlist-url', `${media.url}/feeds/nope.xml`)
    await page.click('#add-playlist button[type=submit]')
    await page.waitForFunction(() => !document.querySelector('#add-playlist')?.classList.contains('htmx-request'), null, { timeout: 30_000 })
    await page.waitForSelector('#add-playlist-status .error')
    expect(await page.locator('#add-playlist').count()).toBe(1)
    expect(await page.locator('#library').count()).toBe(1)
    expect(await page.locator('h2#jobs-heading').isVisible()).toBe(true)
    await page.close()
  })

  test('paste a playlist and Start (Video + audio): both bars, then the completion message; polling stops; audio plays', async () => {
    const items = [
      { name: 'e2e-1', title: 'Aurora – Opening Theme', seconds: 5 },
      { name: 'e2e-2', title: 'Harbour Lights', seconds: 5 },
      { name: 'e2e-3', title: 'Night Train to Lisbon', seconds: 5 },
      { name: 'e2e-4', title: 'Slow Tide', seconds: 5 },
      { name: 'e2e-5', title: 'Paper Moons', seconds: 5 },
      { name: 'e2e-6', title: '<img src=x onerror="window.__xss=1">Hostile & Title', seconds: 5 },
      // BATCH_SIZE is 6: this one waits for the next batch, so the batch line shows.
      { name: 'e2e-7', title: 'Encore', seconds: 5 },
    ]
    const feed = await media.addFeed('e2e-both', { title: 'Morning Mix', items })

    const page = await context.newPage()
    const errors = watchErrors(page)
    const cardRequests: { url: string; at: number }[] = []
    page.on('request', (r) => {
      if (/\/jobs\/\d+\/card$/.test(new URL(r.url()).pathname)) cardRequests.push({ url: r.url(), at: Date.now() })
    })
    await page.goto(`${server.url}/`)
    // An idle page polls nothing.
    expect(await page.locator('[hx-trigger]').count()).toBe(0)

    // Slow the downloads so both phases are seen running together.
    media.setThrottle(60_000)
    // Paste and go: Video + audio is the default choice; Start adds the playlist and starts its job.
    await page.fill('#playlist-url', feed)
    expect(await page.isChecked('#add-playlist input[name=start][value=both]')).toBe(true)
    await page.click('#add-playlist button[type=submit]')
    await page.waitForSelector('#add-playlist-status .notice', { timeout: 30_000 })
    expect(await page.locator('#add-playlist-status').textContent()).toContain('Morning Mix')
    expect(await page.inputValue('#playlist-url')).toBe('')
    const row = page.locator('.playlist-row', { hasText: 'Morning Mix' })
    await row.waitFor()
    expect(await row.locator('.stat-entries dd').textContent()).toBe('7')

    const card = page.locator('.job-card').first()
    await card.waitFor()
    expect(await card.locator('.job-title').textContent()).toBe('Playlist: Morning Mix')
    // The buttons are disabled while the job runs (swapped out-of-band with the card).
    await page.waitForFunction(() => (document.querySelector('.playlist-row button[data-job-type=both]') as HTMLButtonElement | null)?.disabled === true)

    // Both bars at once, each count-based: extraction has finished something while downloads still run.
    await page.waitForFunction(
      () => {
        const c = document.querySelector('.job-card')
        const dl = c?.querySelector('.phase-download[data-status=running] .count')?.textContent ?? ''
        const ex = c?.querySelector('.phase-extract[data-status=running] .count')?.textContent ?? ''
        const [dDone, dTotal] = dl.split('/').map((s) => Number(s.trim()))
        const [eDone] = ex.split('/').map((s) => Number(s.trim()))
        return dTotal === 6 && dDone >= 2 && dDone < 6 && eDone >= 1
      },
      null,
      { timeout: 40_000, polling: 100 },
    )
    expect(await card.locator('.phase-download .phase-label').textContent()).toContain('Downloading')
    expect(await card.locator('.phase-extract .phase-label').textContent()).toContain('Extracting Audio')
    // Icons are inline SVG, not emoji a browser without an emoji font draws as boxes.
    expect(await card.locator('.phase-label svg.icon').count()).toBe(2)
    expect(await card.locator('.phase .bar[role=progressbar]').count()).toBe(2)
    expect(await card.locator('.phase-download .batch-info').textContent()).toMatch(/^\d\/7 total \(\d remaining\)$/)
    // Phases show counts, never percentages.
    expect(await card.locator('.phase-head').allTextContents()).not.toContainEqual(expect.stringMatching(/%/))
    if (SCREENSHOT) {
      await page.waitForSelector('.running-items .item-download')
      await page.screenshot({ path: join(import.meta.dir, '../../docs/screenshot-both.png'), fullPage: true })
      expect(statSync(join(import.meta.dir, '../../docs/screenshot-both.png')).size).toBeLessThan(150_000)
    }
    // Forced back on, a second start is refused: the 409 fragment lands under the buttons
    // (hx-status:4xx), not in #jobs where a new card would go.
    await page.evaluate(() =>
      document.querySelectorAll<HTMLButtonElement>('.playlist-row button').forEach((b) => {
        b.disabled = false
      }),
    )
    await row.locator('button[data-job-type=download]').click()
    await row.locator('.action-message .error').waitFor()
    expect(await row.locator('.action-message').textContent()).toContain('already has an active job')
    expect(await page.locator('#jobs > .error').count()).toBe(0)
    expect(await page.locator('.job-card').count()).toBe(1)
    media.setThrottle(null)

    // The bars go away and the completion message appears.
    await card.locator('.outcome-completed').waitFor({ timeout: 60_000 })
    expect(await card.locator('.outcome-completed').textContent()).toBe('✓ Download and extraction completed')
    expect(await card.locator('.phase').count()).toBe(0)
    expect(await card.getAttribute('hx-trigger')).toBeNull()
    expect(cardRequests.length).toBeGreaterThan(2)

    // Polling stopped by itself: no card request in the next 3 s.
    const before = cardRequests.length
    await page.waitForTimeout(3000)
    expect(cardRequests.length).toBe(before)

    // Counts and buttons followed the job's end without a reload.
    expect(await row.locator('.stat-extracted dd').textContent()).toBe('6')
    expect(await row.locator('button[data-job-type=both]').isDisabled()).toBe(false)
    // The one expected console error: Chromium logs the refused start's 409.
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([])
    errors.length = 0

    // The playlist page: entries, escaped hostile title, an audio player that plays.
    await row.locator('a.playlist-title').click()
    await page.waitForURL(/\/playlists\/\d+$/)
    expect(await page.locator('table.entries tbody tr').count()).toBe(7)
    const hostile = page.locator('table.entries tbody tr').nth(5).locator('.entry-title a')
    expect(await hostile.textContent()).toBe('<img src=x onerror="window.__xss=1">Hostile & Title')
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(await page.locator('.history tbody tr').count()).toBe(1)

    const mediaStatuses: number[] = []
    page.on('response', (r) => {
      if (/\/media\/\d+\/audio$/.test(new URL(r.url()).pathname)) mediaStatuses.push(r.status())
    })
    const audio = page.locator('audio').first()
    const played = await audio.evaluate(async (a: HTMLAudioElement) => {
      a.muted = true
      await a.play()
      const t0 = a.currentTime
      await new Promise((r) => setTimeout(r, 700))
      return { readyState: a.readyState, advanced: a.currentTime > t0, duration: a.duration }
    })
    expect(played.readyState).toBeGreaterThanOrEqual(2)
    expect(played.advanced).toBe(true)
    expect(played.duration).toBeGreaterThan(4)
    // Chromium asks for ranges; the server answers 206.
    expect(mediaStatuses).toContain(206)
    // Seeking works (needs Range support).
    const seeked = await audio.evaluate(async (a: HTMLAudioElement) => {
      a.currentTime = 3
      await new Promise((r) => a.addEventListener('seeked', r, { once: true }))
      return a.currentTime
    })
    expect(seeked).toBeGreaterThanOrEqual(2.9)
    expect(errors).toEqual([])
    // No polling on this page either: the job is over (the entries section only listens for a start).
    expect(await page.locator('[hx-trigger*="every"]').count()).toBe(0)
    // The whole flow ran under the strict Content-Security-Policy without tripping it.
    expect(cspViolations).toEqual([])
    await page.close()
  }, 120_000)
})

describe('playlist page tools', () => {
  test('the entries table follows a job live, keeps a playing track, and stops refreshing after', async () => {
    const items = Array.from({ length: 4 }, (_, i) => ({ name: `live-${i}`, title: `Live ${i + 1}`, seconds: 4 }))
    const feed = await media.addFeed('e2e-live', { title: 'Live Table', items })
    const res = await fetch(`${server.url}/api/playlists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: feed }),
    })
    const playlist = await res.json()

    const page = await context.newPage()
    const errors = watchErrors(page)
    const entryRequests: number[] = []
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === `/playlists/${playlist.id}/entries`) entryRequests.push(Date.now())
    })
    await page.goto(`${server.url}/playlists/${playlist.id}`)
    const section = page.locator('#entries')
    expect(await section.getAttribute('data-live')).toBe('false')
    expect(await page.locator('#entries .state[aria-label="extract: extracted"]').count()).toBe(0)
    expect(await page.locator('.history-section').textContent()).toContain('No jobs yet.')
    // Extract before any download: a notice under the buttons, not a job that "completed".
    await page.locator('.playlist-head button[data-job-type=extract]').click()
    await page.locator('.playlist-head .playlist-actions .action-message .error').waitFor()
    expect(await page.locator('.playlist-head .playlist-actions .action-message').textContent()).toBe('nothing to extract: download first')
    expect(await page.locator('.job-card').count()).toBe(0)

    media.setThrottle(40_000)
    await page.locator('.playlist-head button[data-job-type=both]').click()
    // The start woke the resting section; it now refreshes itself while the job runs.
    await page.locator('#entries[data-live=true]').waitFor({ timeout: 10_000 })
    const firstAudio = page.locator('#entries audio').first()
    await firstAudio.waitFor({ timeout: 40_000 })
    // Start listening while the job goes on: the refreshes must not cut the track off.
    const audioId = await firstAudio.evaluate(async (a: HTMLAudioElement) => {
      ;(a as unknown as { __kept: boolean }).__kept = true
      a.muted = true
      await a.play()
      return a.id
    })
    expect(await section.getAttribute('data-live')).toBe('true')
    const refreshesBefore = entryRequests.length
    media.setThrottle(null)

    // Every row reaches "extracted" without a reload.
    await page.waitForFunction(() => document.querySelectorAll('#entries .state[aria-label="extract: extracted"]').length === 4, null, {
      timeout: 60_000,
      polling: 200,
    })
    await page.locator('#entries[data-live=false]').waitFor({ timeout: 10_000 })
    expect(entryRequests.length).toBeGreaterThan(refreshesBefore)
    const kept = await page.evaluate((id) => {
      const a = document.getElementById(id) as (HTMLAudioElement & { __kept?: boolean }) | null
      return { same: a?.__kept === true, playing: a !== null && (!a.paused || a.ended) }
    }, audioId)
    expect(kept).toEqual({ same: true, playing: true })
    expect(await page.locator('#entries audio').count()).toBe(4)
    // The job history followed the job to its end, without a reload.
    await page.locator('.history-section .history .chip-completed').waitFor({ timeout: 10_000 })
    expect(await page.locator('.history-section .history tbody tr').count()).toBe(1)
    expect(await page.locator('#history').getAttribute('data-live')).toBe('false')

    // The job is over: no more refreshes.
    const settled = entryRequests.length
    await page.waitForTimeout(3000)
    expect(entryRequests.length).toBe(settled)
    expect(await page.locator('[hx-trigger*="every"]').count()).toBe(0)
    // The one expected console error: Chromium logs the refused Extract's 409.
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([])
    await page.close()
  }, 120_000)

  test('Retry failed starts a job whose card finishes and takes the button away; settings save inline', async () => {
    const feed = await media.addFeed('e2e-retry', {
      title: 'Retry Mix',
      items: [
        { name: 'rt-1', title: 'Fine', seconds: 2 },
        { name: 'rt-2', title: 'Flaky', seconds: 2, kind: 'missing' },
      ],
    })
    const api = async (method: string, path: string, body?: unknown) =>
      (
        await fetch(`${server.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json()
    const playlist = await api('POST', '/api/playlists', { url: feed })
    const first = await api('POST', `/api/playlists/${playlist.id}/jobs`, { type: 'download' })
    await waitUntil('the first job to end', async () => !['queued', 'running'].includes((await api('GET', `/api/jobs/${first.id}`)).status), 30_000)
    media.setKind('rt-2', 'video')

    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${server.url}/playlists/${playlist.id}`)
    expect(await page.locator('.stat-failed dd').textContent()).toBe('1')
    await page.locator('button[data-action=retry-failed]').click()
    const card = page.locator('#jobs .job-card').first()
    await card.locator('.outcome-completed').waitFor({ timeout: 30_000 })
    // The finished card re-rendered the buttons out-of-band: nothing left to retry.
    await page.locator('button[data-action=retry-failed]').waitFor({ state: 'detached' })
    expect(await page.locator('.stat-failed dd').textContent()).toBe('0')

    await page.click('.settings-details > summary') // folded until opened
    await page.selectOption('select[name=sync_interval]', 'daily')
    await page.click('form.settings button[type=submit]')
    await page.locator('form.settings .notice').waitFor()
    expect(await page.locator('.sync-status').textContent()).toMatch(/sync: daily · next sync: \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 24 h\)/)

    // Check files: two videos and the retried item's audio (a retry of a download is a "both" job).
    await page.click('button[data-action=verify-files]')
    await page.locator('.verify-files .notice').waitFor()
    expect(await page.locator('.verify-files .notice').textContent()).toBe('All 3 archived files are in place.')
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)
})

describe('Content-Security-Policy and framing', () => {
  test('no violation in any flow above; the policy is really enforced; no other site can frame the UI', async () => {
    expect(cspViolations).toEqual([])
    const page = await context.newPage()
    const res = await page.goto(`${server.url}/`)
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res?.headers()['x-frame-options']).toBe('DENY')
    // The htmx the page loaded still works: its config came from the meta tag.
    expect(await page.evaluate(() => (window as unknown as { htmx: { config: { includeIndicatorCSS: boolean } } }).htmx.config.includeIndicatorCSS)).toBe(false)
    // An injected inline script, inline style and eval are all refused, and reported.
    const ran = await page.evaluate(() => {
      const w = window as unknown as { __inline?: number }
      const s = document.createElement('script')
      s.textContent = 'window.__inline = 1'
      document.head.append(s)
      const d = document.createElement('div')
      d.setAttribute('style', 'color: red')
      document.body.append(d)
      // Later, in a task of the page's own: code run by page.evaluate itself may always eval.
      const evaluated = new Promise<boolean>((resolve) =>
        setTimeout(() => {
          try {
            resolve(new Function('return 1')() === 1)
          } catch {
            resolve(false)
          }
        }),
      )
      return evaluated.then((e) => ({ script: w.__inline === 1, evaluated: e, color: getComputedStyle(d).color }))
    })
    expect(ran).toEqual({ script: false, evaluated: false, color: expect.not.stringMatching(/^rgb\(255, 0, 0\)$/) })
    await waitUntil('the violations to be reported', async () => cspViolations.length >= 3, 10_000)
    expect(cspViolations.join('\n')).toMatch(/script-src-elem blocked inline/)
    expect(cspViolations.join('\n')).toMatch(/style-src-attr blocked inline/)
    expect(cspViolations.join('\n')).toMatch(/script-src blocked eval/)
    cspViolations.length = 0

    // Framed by another page: the browser refuses to render the UI inside it.
    await page.setContent(`<iframe id="victim" src="${server.url}/"></iframe>`)
    const frame = await (await page.waitForSelector('#victim')).contentFrame()
    await waitUntil('the frame to settle', async () => frame !== null && frame.url() !== 'about:blank', 10_000)
    expect(frame!.url()).toBe('chrome-error://chromewebdata/') // Chromium's page for a refused frame
    await page.close()
  }, 30_000)
})
