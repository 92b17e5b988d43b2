// Accessibility and the phone layout in a real browser: axe-core on every page in light
// and dark mode, tap-target sizes, and the playlist page at 390×844. The server runs with
// AUTH_TOKEN so the login page is one of the pages; the playlist has entries from a real
// job (real yt-dlp and ffmpeg against the fixture media server).
//
// SCREENSHOTS=1 also writes docs/screenshot-{desktop-light,desktop-dark,mobile}.png.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import axe from 'axe-core'
import type { BrowserContext, Page } from 'playwright-core'
import { parseConfig } from '../../src/config'
import { startServer, type RunningServer } from '../../src/server'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { waitUntil } from '../helpers/server-process'
import { type Browser, launchBrowser } from './browser'

const TOKEN = 'a11y-test-token-of-some-length'
const SCREENSHOTS = process.env.SCREENSHOTS === '1'
const DOCS = join(import.meta.dir, '../../docs')
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 860 }

let media: MediaServer
let server: RunningServer
let dataDir: string
let browser: Browser
let context: BrowserContext
let playlistId: number
let jobId: number
let firstEntryId: number

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return res.json()
}

beforeAll(async () => {
  media = await startMediaServer()
  dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-a11y-'))
  server = await startServer(
    parseConfig({
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      AUTH_TOKEN: TOKEN,
      ALLOW_PRIVATE_URLS: 'true',
      SOCKET_TIMEOUT: '10',
      YTDLP_AUTO_UPDATE: 'off',
    }),
    { handleSignals: false },
  )
  const items = [
    { name: 'a11y-1', title: 'Aurora – Opening Theme', seconds: 3 },
    { name: 'a11y-2', title: 'Harbour Lights', seconds: 3 },
    { name: 'a11y-3', title: 'Night Train to Lisbon', seconds: 3 },
    { name: 'a11y-4', title: 'Gone Missing', seconds: 3, kind: 'missing' as const },
  ]
  const feed = await media.addFeed('a11y-mix', { title: 'Morning Mix', items })
  playlistId = (await api('POST', '/api/playlists', { url: feed })).id
  jobId = (await api('POST', `/api/playlists/${playlistId}/jobs`, { type: 'both' })).id
  await waitUntil('the job to end', async () => !['queued', 'running'].includes((await api('GET', `/api/jobs/${jobId}`)).status), 60_000)
  firstEntryId = (await api('GET', `/api/playlists/${playlistId}`)).videos[0].id
  browser = await launchBrowser(DESKTOP)
  context = browser.context
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await media?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

/** The browser signs in through the login form once; its session cookie serves every later page. */
let signedIn = false
async function openSignedIn(path: string, viewport = DESKTOP): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize(viewport)
  if (!signedIn) {
    await page.goto(`${server.url}/login`)
    await page.fill('#token', TOKEN)
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('button[type=submit]')])
    signedIn = true
  }
  await page.goto(`${server.url}${path}`)
  return page
}

interface Violation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * axe-core's serious and critical findings on the page as it is. The source goes in
 * through the DevTools protocol (page.evaluate), which the page's CSP does not govern.
 */
async function axeViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axe.source)
  const results = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))
  })
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** Every page the UI has, as a signed-in user sees it (the login page is checked on its own). */
const PAGES: { name: string; path: () => string; ready?: (page: Page) => Promise<void> }[] = [
  {
    name: 'home with the yt-dlp panel',
    path: () => '/',
    ready: async (page) => {
      await page.locator('#ytdlp').waitFor()
      await page.locator('.playlist-row').first().waitFor()
    },
  },
  {
    name: 'playlist with entries, settings open',
    path: () => `/playlists/${playlistId}`,
    ready: async (page) => {
      await page.locator('#entries tbody tr').first().waitFor()
      // Every fold open, so axe sees the forms too.
      for (const summary of await page.locator('.playlist-head summary').all()) await summary.click()
      await page.locator('select[name=sync_interval]').waitFor()
    },
  },
  {
    name: 'entry player',
    path: () => `/playlists/${playlistId}/entries/${firstEntryId}`,
    ready: async (page) => void (await page.locator('video').waitFor()),
  },
  { name: 'job log', path: () => `/jobs/${jobId}/log`, ready: async (page) => void (await page.locator('table.events').waitFor()) },
  { name: 'settings', path: () => '/settings' },
  { name: 'cookies', path: () => '/settings/cookies' },
  { name: 'not found', path: () => '/playlists/999999' },
]

describe('axe-core: no serious or critical violation', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`login page (${scheme})`, async () => {
      // Before openSignedIn ran, so the session cookie is not there yet.
      const page = await context.newPage()
      await page.emulateMedia({ colorScheme: scheme })
      await page.goto(`${server.url}/login`)
      await page.locator('#token').waitFor()
      expect(await axeViolations(page)).toEqual([])
      await page.close()
    })
  }

  for (const scheme of ['light', 'dark'] as const) {
    for (const p of PAGES) {
      test(`${p.name} (${scheme})`, async () => {
        const page = await openSignedIn(p.path())
        await page.emulateMedia({ colorScheme: scheme })
        await p.ready?.(page)
        expect(await page.locator('h1').count()).toBe(1)
        expect(await axeViolations(page)).toEqual([])
        await page.close()
      }, 30_000)
    }
  }

  test('home with a live job card (bars, running items, controls), light and dark', async () => {
    const items = Array.from({ length: 3 }, (_, i) => ({ name: `a11y-live-${i}`, title: `Live ${i + 1}`, seconds: 4 }))
    const live = await api('POST', '/api/playlists', { url: await media.addFeed('a11y-live', { title: 'Evening Mix', items }) })
    // Held, not just throttled: the axe runs take seconds under load, and the job must still be live after them.
    const holds = items.map((i) => media.holdBack(i.name))
    try {
      const job = await api('POST', `/api/playlists/${live.id}/jobs`, { type: 'both' })
      const page = await openSignedIn('/')
      await page.locator(`#job-${job.id} .running-items .item`).first().waitFor({ timeout: 30_000 })
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme })
        expect({ scheme, violations: await axeViolations(page) }).toEqual({ scheme, violations: [] })
      }
      expect(await page.getByRole('button', { name: `Pause job #${job.id} of Evening Mix`, exact: true }).count()).toBe(1)
      await api('POST', `/api/jobs/${job.id}/cancel`)
      await page.close()
    } finally {
      for (const release of holds) release()
    }
  }, 60_000)

  test('the check can fail: a page with an unnamed button and low contrast has violations', async () => {
    const page = await openSignedIn('/')
    await page.evaluate(() => {
      const b = document.createElement('button')
      b.className = 'btn'
      document.querySelector('main')?.append(b)
    })
    expect((await axeViolations(page)).map((v) => v.id)).toContain('button-name')
    await page.close()
  })
})

describe('names and icons', () => {
  test('job buttons name their playlist; players name their entry; the state icons have a legend; no emoji', async () => {
    const page = await openSignedIn(`/playlists/${playlistId}`)
    expect(await page.getByRole('button', { name: 'Download Morning Mix', exact: true }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Both Morning Mix', exact: true }).count()).toBe(1)
    expect(await page.locator('audio').first().getAttribute('aria-label')).toBe('Aurora – Opening Theme')
    const legend = page.locator('#entries .state-legend')
    expect(await legend.textContent()).toContain('failed')
    expect(await legend.locator('svg.icon').count()).toBe(6)
    // Icons are SVG: nothing on the page needs an emoji font.
    expect(await page.evaluate(() => /\p{Extended_Pictographic}/u.test(document.body.textContent ?? ''))).toBe(false)
    await page.close()
  })
})

/** Boxes of the visible elements matching `selector` that are smaller than `min`×`min` CSS px. */
async function smallTargets(page: Page, selector: string, min: number, dimension: 'both' | 'height' = 'both') {
  return page.evaluate(
    ({ selector, min, dimension }) =>
      Array.from(document.querySelectorAll<HTMLElement>(selector))
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => ({ el: `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}"`, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.height < min - 0.01 || (dimension === 'both' && r.width < min - 0.01))
        .map(({ el, r }) => `${el}: ${Math.round(r.width)}×${Math.round(r.height)}`),
    { selector, min, dimension },
  )
}

/** Buttons and links that stand on their own (links inside a sentence are exempt in WCAG 2.5.8). */
const TARGETS = [
  'button',
  'summary',
  '.btn',
  '.filter',
  '.log-link',
  '.file-link',
  '.pager a',
  '.crumbs a',
  '.playlist-title',
  '.brand',
  '.cookies-status',
  '.clear-search',
  'input:not([type=hidden])',
  'select',
].join(', ')

describe('tap targets', () => {
  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    test(`at least 24×24 CSS px on every page (${name})`, async () => {
      for (const p of PAGES) {
        const page = await openSignedIn(p.path(), viewport)
        await p.ready?.(page)
        expect({ page: p.name, small: await smallTargets(page, TARGETS, 24) }).toEqual({ page: p.name, small: [] })
        await page.close()
      }
    }, 60_000)
  }

  test('primary actions are at least 44 px tall on a phone', async () => {
    for (const path of ['/', `/playlists/${playlistId}`]) {
      const page = await openSignedIn(path, PHONE)
      const primary = '.playlist-actions .btn, .btn-primary, #add-playlist button[type=submit]'
      expect(await page.locator(primary).count()).toBeGreaterThan(0)
      expect(await smallTargets(page, primary, 44, 'height')).toEqual([])
      await page.close()
    }
  })
})

describe('phone layout (390×844)', () => {
  test('the playlist page: entries start within the first screen, no sideways scroll, the Log link is visible', async () => {
    const page = await openSignedIn(`/playlists/${playlistId}`, PHONE)
    const firstEntry = await page.locator('#entries tbody tr').first().boundingBox()
    if (process.env.A11Y_DEBUG)
      console.log(
        await page.evaluate(() =>
          Array.from(document.querySelectorAll('header, main > *, .playlist-head > *'))
            .map((e) => `${e.tagName}.${e.className}: ${Math.round(e.getBoundingClientRect().height)}`)
            .join('\n'),
        ),
      )
    expect(firstEntry).not.toBeNull()
    expect(firstEntry!.y + firstEntry!.height).toBeLessThanOrEqual(PHONE.height)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    // The first screen, as a phone opens the page.
    if (SCREENSHOTS) await screenshot(page, 'mobile', false)
    // Job history reflows to cards: the row's Log link is on screen, not past a sideways scroll.
    const log = page.locator('.history .log-link').first()
    await log.scrollIntoViewIfNeeded()
    const box = await log.boundingBox()
    expect(box).not.toBeNull()
    expect(box!.x).toBeGreaterThanOrEqual(0)
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width)
    expect(await page.evaluate(() => document.querySelector('.history')!.closest('.table-wrap')!.scrollWidth)).toBeLessThanOrEqual(
      await page.evaluate(() => document.querySelector('.history')!.closest('.table-wrap')!.clientWidth),
    )
    await page.close()
  })

  test('no page scrolls sideways on a phone', async () => {
    for (const p of PAGES) {
      const page = await openSignedIn(p.path(), PHONE)
      await p.ready?.(page)
      const wide = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }))
      // A11Y_DEBUG=1 names what sticks out, when something does.
      if (process.env.A11Y_DEBUG && wide.scroll > wide.view)
        console.log(
          await page.evaluate(() =>
            Array.from(document.querySelectorAll('body *'))
              .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
              .slice(-12)
              .map(
                (e) =>
                  `${e.tagName}.${e.className}[${e.getAttribute('name') ?? ''}]: ${Math.round(e.getBoundingClientRect().left)}+${Math.round(e.getBoundingClientRect().width)}`,
              )
              .join('\n'),
          ),
        )
      expect({ page: p.name, ...wide, fits: wide.scroll <= PHONE.width }).toEqual({ page: p.name, scroll: wide.scroll, view: PHONE.width, fits: true })
      await page.close()
    }
  }, 60_000)
})

async function screenshot(page: Page, name: string, fullPage: boolean) {
  const path = join(DOCS, `screenshot-${name}.png`)
  await page.screenshot({ path, fullPage })
  expect(statSync(path).size).toBeLessThan(300_000)
}

describe.if(SCREENSHOTS)('screenshots for docs/', () => {
  test('desktop, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await openSignedIn(`/playlists/${playlistId}`)
      await page.emulateMedia({ colorScheme: scheme })
      await page.locator('#entries tbody tr').first().waitFor()
      await screenshot(page, `desktop-${scheme}`, false)
      await page.close()
    }
  })
})

test('no page above tripped the Content-Security-Policy (axe goes in through DevTools, icons are plain SVG)', () => {
  expect(browser.cspViolations).toEqual([])
})
