// The settings page in Debian's Chromium against the real server: a value saved from its row
// reads "database" at once and after a reload, a bad one is refused inline in words, Reset
// goes back to the environment's value.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { type E2eApp, startApp } from './app'
import { launchBrowser, watchErrors, type Browser } from './browser'

let app: E2eApp
let browser: Browser

beforeAll(async () => {
  app = await startApp('settings', { DOWNLOAD_CONCURRENCY: '1' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

test('change a value, see it saved as "database", a bad value refused inline, a reload keeps it, Reset undoes it', async () => {
  const page = await browser.context.newPage()
  const errors = watchErrors(page)
  await page.goto(`${app.url}/`)
  await page.locator('.site-nav a', { hasText: 'Settings' }).click()
  await page.waitForURL(`${app.url}/settings`)
  const row = page.locator('#setting-download_concurrency')
  const input = row.locator('input[name=value]')
  const source = row.locator('.setting-source')
  expect(await input.inputValue()).toBe('1')
  expect(await source.textContent()).toBe('env')

  await input.fill('3')
  await row.locator('button', { hasText: 'Save' }).click()
  await row.locator('.notice', { hasText: 'Saved: in force now' }).waitFor()
  expect(await source.textContent()).toBe('database')
  const api = (await (await fetch(`${app.url}/api/settings`)).json()) as { settings: { name: string; value: unknown; source: string }[] }
  expect(api.settings.find((s) => s.name === 'download_concurrency')).toMatchObject({ value: 3, source: 'database' })

  await input.fill('0')
  await row.locator('button', { hasText: 'Save' }).click()
  const message = page.locator('#setting-download_concurrency-message .error')
  await message.waitFor()
  expect(await message.textContent()).toBe('Download concurrency must be between 1 and 32, got 0')

  await page.reload()
  expect(await input.inputValue()).toBe('3')
  expect(await source.textContent()).toBe('database')

  await row.locator('button', { hasText: 'Reset' }).click()
  await row.locator('.notice', { hasText: 'Reset to the value from env' }).waitFor()
  expect(await input.inputValue()).toBe('1')
  expect(await source.textContent()).toBe('env')
  expect(await row.locator('button', { hasText: 'Reset' }).count()).toBe(0)

  expect(errors.filter((e) => !e.includes('422'))).toEqual([])
  expect(browser.cspViolations).toEqual([])
  await page.close()
}, 60_000)
