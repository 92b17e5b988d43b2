// The settings page and its row forms, and GET/PATCH /api/settings, through app.handle.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testContext, type TestContext } from '../helpers/context'
import { request } from './ui-helpers'

const SECRETS = { AUTH_TOKEN: 'a-token-of-twenty-chars', PROXY: 'http://user:pa55word@proxy.example:3128', NOTIFY_URL: 'https://hooks.example/s3cret' }
const BEARER = { authorization: `Bearer ${SECRETS.AUTH_TOKEN}` }
let t: TestContext
beforeAll(async () => {
  t = await testContext({ ...SECRETS, DOWNLOAD_CONCURRENCY: '2' })
})
afterAll(() => t.close())

const authed = (path: string, init: RequestInit = {}) => request(t, path, { ...init, headers: { ...BEARER, ...(init.headers as Record<string, string>) } })
const form = (path: string, fields: Record<string, string> = {}) => {
  const body = new URLSearchParams(fields).toString()
  return authed(path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length), 'hx-request': 'true' },
  })
}

describe('/settings', () => {
  test('every setting with its source; the changeable ones as forms; secrets only as set/not set', async () => {
    const page = await authed('/settings')
    expect(page.status).toBe(200)
    expect(page.text).toContain('<a href="/settings">Settings</a>')
    for (const name of [
      'download_concurrency',
      'extract_concurrency',
      'rate_limit',
      'sleep_between_downloads',
      'download_window',
      'audio_format',
      'audio_quality',
      'notify_url',
    ])
      expect(page.text).toContain(`<form id="setting-${name}"`)
    expect(page.text).toMatch(/id="setting-download_concurrency"[\s\S]*?value="2"[\s\S]*?data-source="env"/)
    // Read-only rows name the variable to set.
    expect(page.text).toMatch(/<tr id="setting-port">[\s\S]*?data-source="default"[\s\S]*?<code>PORT<\/code>/)
    expect(page.text).toMatch(/<tr id="setting-auth_token">[\s\S]*?<td class="setting-value">set<\/td>/)
    for (const secret of ['a-token-of-twenty-chars', 'pa55word', 's3cret', 'proxy.example']) expect(page.text).not.toContain(secret)
    // The cookies upload has its own page: linked from here.
    expect(page.text).toContain('<a href="/settings/cookies">')
  })

  test('a row saves its value: in force at once, its source "database"; Reset goes back to the environment', async () => {
    const saved = await form('/settings/download_concurrency', { value: '5' })
    expect(saved.status).toBe(200)
    expect(saved.text).toStartWith('<form id="setting-download_concurrency"')
    expect(saved.text).toContain('data-source="database"')
    expect(saved.text).toContain('Saved: in force now')
    expect(saved.text).toContain('aria-label="Reset Download concurrency"')
    expect(t.ctx.config.downloadConcurrency).toBe(5)
    const reset = await form('/settings/download_concurrency/reset')
    expect(reset.status).toBe(200)
    expect(reset.text).toContain('data-source="env"')
    expect(reset.text).toContain('Reset to the value from env')
    expect(t.ctx.config.downloadConcurrency).toBe(2)
  })

  test("a bad value: 422 with the startup message in the label's words, nothing changed", async () => {
    const bad = await form('/settings/download_concurrency', { value: '0' })
    expect(bad.status).toBe(422)
    expect(bad.text).toBe('<p class="error" role="alert">Download concurrency must be between 1 and 32, got 0</p>')
    const window = await form('/settings/download_window', { value: 'nightly' })
    expect(window.text).toContain('Download window must look like 01:00-07:00, got &quot;nightly&quot;')
    const fixed = await form('/settings/port', { value: '1' })
    expect(fixed.status).toBe(422)
    expect(fixed.text).toContain('port cannot be changed while the server runs: set PORT and restart')
    expect(t.ctx.config.downloadConcurrency).toBe(2)
  })

  test("a blank secret field turns notifications off (saved), and Reset brings the environment's URL back", async () => {
    const off = await form('/settings/notify_url', { value: '' })
    expect(off.text).toContain('placeholder="not set"')
    expect(t.ctx.config.notifyUrl).toBeNull()
    await form('/settings/notify_url/reset')
    expect(t.ctx.config.notifyUrl).toBe(SECRETS.NOTIFY_URL)
  })

  test('the cookies upload keeps its own route under /settings/cookies', async () => {
    const res = await form('/settings/cookies', {})
    expect(res.status).toBe(400)
    expect(res.text).toContain('cookies file')
  })
})

describe('/api/settings', () => {
  test('GET: name, value, source, variable, changeable for each; needs the token like the rest of the API', async () => {
    expect((await request(t, '/api/settings')).status).toBe(401)
    const res = await authed('/api/settings')
    const { settings } = JSON.parse(res.text) as { settings: any[] }
    expect(settings.find((s) => s.name === 'download_concurrency')).toEqual({
      name: 'download_concurrency',
      label: 'Download concurrency',
      value: 2,
      source: 'env',
      variable: 'DOWNLOAD_CONCURRENCY',
      changeable: true,
      secret: false,
      per_node: true,
      hint: expect.any(String),
    })
    expect(settings.find((s) => s.name === 'proxy')).toMatchObject({ value: 'set', source: 'env', changeable: false, secret: true })
    expect(res.text).not.toContain('pa55word')
  })

  test('PATCH: 422 JSON with the startup message; null resets', async () => {
    const patch = (body: unknown) =>
      authed('/api/settings', {
        method: 'PATCH',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'content-length': String(JSON.stringify(body).length) },
      })
    const bad = await patch({ rate_limit: 'fast' })
    expect(bad.status).toBe(422)
    expect(JSON.parse(bad.text)).toEqual({ error: 'RATE_LIMIT must be bytes per second like 500K or 2M, got "fast"' })
    const typed = await patch({ sleep_between_downloads: true })
    expect(typed.status).toBe(422)
    const ok = await patch({ sleep_between_downloads: 1.5, audio_format: 'opus' })
    expect(ok.status).toBe(200)
    expect(t.ctx.config.sleepBetweenDownloads).toBe(1.5)
    expect(JSON.parse(ok.text).settings.find((s: any) => s.name === 'audio_format')).toMatchObject({ value: 'opus', source: 'database' })
    const reset = await patch({ sleep_between_downloads: null, audio_format: null })
    expect(JSON.parse(reset.text).settings.find((s: any) => s.name === 'audio_format')).toMatchObject({ value: 'mp3', source: 'default' })
  })

  test('is in the OpenAPI document with its schemas', async () => {
    const doc = JSON.parse((await authed('/api/openapi.json')).text)
    const patch = doc.paths['/api/settings'].patch
    expect(Object.keys(patch.requestBody.content['application/json'].schema.properties)).toContain('download_concurrency')
    expect(doc.paths['/api/settings'].get).toBeDefined()
  })
})
