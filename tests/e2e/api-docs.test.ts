// The API reference at /api/docs in Debian's Chromium: the vendored Swagger UI renders the
// document, "Try it out" reaches the API, and nothing is fetched from anywhere but the server.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { type E2eApp, startApp } from './app'
import { launchBrowser, watchErrors, type Browser } from './browser'

let app: E2eApp
let browser: Browser

beforeAll(async () => {
  app = await startApp('docs')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

test('/api/docs renders the reference offline, under its CSP, and Try it out calls the API', async () => {
  const page = await browser.context.newPage()
  const errors = watchErrors(page)
  const requested: string[] = []
  page.on('request', (r) => requested.push(r.url()))
  await page.goto(`${app.url}/api/docs`)

  // The operations of the generated document, grouped by resource.
  await page.locator('.opblock-tag[data-tag="playlists"]').waitFor()
  await page.locator('.opblock-tag[data-tag="jobs"]').waitFor()
  const jobs = page.locator('.opblock-post .opblock-summary-path[data-path="/api/playlists/{id}/jobs"]')
  await jobs.waitFor()
  expect(await page.locator('.info .title').textContent()).toContain('yt-serve API')

  // Try it out on GET /api/playlists: the request goes to this server and its answer is shown.
  const list = page.locator('#operations-playlists-getApiPlaylists')
  await list.locator('.opblock-summary').click()
  await list.locator('button.try-out__btn').click()
  await list.locator('button.execute').click()
  await list.locator('.live-responses-table .response-col_status', { hasText: '200' }).waitFor()

  // The request body of POST /api/playlists/{id}/jobs, its example drawn from the schema in models.ts.
  const create = page.locator('#operations-playlists-postApiPlaylistsByIdJobs')
  await create.locator('.opblock-summary').click()
  const body = create.locator('.opblock-section-request-body', { hasText: '"priority"' })
  await body.waitFor()
  expect(await body.textContent()).toMatch(/application\/json.*"type": "download",\s*"priority": "normal"/s)

  // Every request (the page, its assets, the document, the tried call) stayed on the test server.
  expect(requested.length).toBeGreaterThanOrEqual(5)
  expect(requested.filter((u) => !u.startsWith(`${app.url}/`))).toEqual([])
  expect(requested).toContain(`${app.url}/api/openapi.json`)
  expect(requested.some((u) => u.startsWith(`${app.url}/api/playlists`))).toBe(true)
  expect(browser.cspViolations).toEqual([])
  expect(errors).toEqual([])
  await page.close()
}, 60_000)
