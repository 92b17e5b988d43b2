// The OpenAPI document at /api/openapi.json and the reference page at /api/docs, through app.handle.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import pkg from '../../package.json'
import { API_DOCS_CSP } from '../../src/http/api-docs'
import { CONTENT_SECURITY_POLICY } from '../../src/http/headers'
import { testContext, type TestContext } from '../helpers/context'
import { request } from './ui-helpers'

const TOKEN = 'a-token-of-twenty-chars'
let t: TestContext
let authed: TestContext
let doc: any
beforeAll(async () => {
  t = await testContext()
  authed = await testContext({ AUTH_TOKEN: TOKEN })
  const res = await t.api('GET', '/api/openapi.json')
  expect(res.status).toBe(200)
  doc = res.json
})
afterAll(async () => {
  await t.close()
  await authed.close()
})

/** `/api/playlists/:id/jobs` as OpenAPI writes it, without a prefix route's trailing slash. */
const openapiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')

describe('/api/openapi.json', () => {
  test('a valid OpenAPI 3 document with our title, version and auth schemes', async () => {
    const result = await new Validator().validate(doc)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/)
    expect(doc.info).toMatchObject({ title: 'yt-serve API', version: pkg.version })
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(doc.components.securitySchemes.basic).toMatchObject({ type: 'http', scheme: 'basic' })
    expect(doc.security).toEqual([{ bearer: [] }, { basic: [] }])
  })

  test('the main API paths, with their request schemas from models.ts', () => {
    const add = doc.paths['/api/playlists'].post
    expect(Object.keys(add.requestBody.content)).toEqual(['application/json']) // other body types get 415
    expect(add.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: ['url'], properties: { url: { type: 'string' } } })
    expect(add.tags).toEqual(['playlists'])
    expect(doc.paths['/api/playlists'].get).toBeDefined()

    const job = doc.paths['/api/playlists/{id}/jobs'].post
    expect(job.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path', required: true }))
    expect(job.requestBody.content['application/json'].schema.properties.type.enum).toEqual(['download', 'extract', 'both', 'relayout'])

    const settings = doc.paths['/api/playlists/{id}'].patch.requestBody.content['application/json'].schema
    expect(settings.type).toBe('object')
    expect(Object.keys(settings.properties)).toContain('audio_format')

    const detail = doc.paths['/api/playlists/{id}'].get
    expect(detail.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name)).toEqual(expect.arrayContaining(['offset', 'limit', 'filter', 'q']))

    expect(doc.paths['/api/jobs/{id}'].get.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path' }))
    expect(doc.paths['/api/health'].get).toBeDefined()
  })

  test('every /api route is in it; no page, form, asset or media route is, nor the docs themselves', () => {
    const routes = t.app.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS')
    const api = routes.filter((r) => r.path.startsWith('/api/') && r.path !== '/api/openapi.json' && r.path !== '/api/docs')
    const other = routes.filter((r) => !r.path.startsWith('/api/'))
    expect(api.length).toBeGreaterThan(15)
    expect(other.length).toBeGreaterThan(15)
    for (const r of api) expect([r.method, r.path, doc.paths[openapiPath(r.path)]?.[r.method.toLowerCase()] !== undefined]).toEqual([r.method, r.path, true])
    const documented = Object.keys(doc.paths)
    expect(documented.filter((p) => !p.startsWith('/api/'))).toEqual([])
    expect(documented).not.toContain('/api/docs')
    expect(documented).not.toContain('/api/openapi.json')
    expect(JSON.stringify(doc)).not.toMatch(/text\/html|\/assets\//)
  })

  test('behind AUTH_TOKEN it needs the token like the rest of the API', async () => {
    const anonymous = await authed.api('GET', '/api/openapi.json')
    expect(anonymous.status).toBe(401)
    expect(anonymous.json).toEqual({ error: expect.stringContaining('Bearer') })
    const withToken = await authed.api('GET', '/api/openapi.json', undefined, { authorization: `Bearer ${TOKEN}` })
    expect(withToken.status).toBe(200)
    expect(withToken.json.info.title).toBe('yt-serve API')
  })
})

describe('/api/docs', () => {
  test('a page of our own assets only, nothing inline, under its own CSP', async () => {
    const page = await request(t, '/api/docs')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(API_DOCS_CSP)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.text).toContain('data-spec-url="/api/openapi.json"')
    // No inline script or style, no handler attributes, no address outside the app.
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=|https?:/)
    const urls = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])
    expect(urls.length).toBe(4)
    for (const url of urls) {
      expect(url).toMatch(/^\/assets\/[a-z-]+-[a-z0-9]+\.(js|css|svg)$/)
      // Public like the other assets: the browser needs them, they hold nothing about this server.
      const res = await request(authed, url)
      expect([url, res.status]).toEqual([url, 200])
      expect(res.headers.get('cache-control')).toContain('immutable')
      expect(res.headers.get('content-type')).toMatch(/javascript|css|svg/)
    }
    expect(urls.some((u) => /swagger-ui-bundle-/.test(u))).toBe(true)
  })

  test('behind AUTH_TOKEN a signed-out browser goes to the login page; a script still gets the JSON 401', async () => {
    const browser = await authed.app.handle(new Request('http://localhost/api/docs', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } }))
    expect(browser.status).toBe(303)
    expect(browser.headers.get('location')).toBe('/login')
    const script = await authed.api('GET', '/api/docs')
    expect(script.status).toBe(401)
    expect(script.json).toEqual({ error: expect.stringContaining('Bearer') })
    // Only the reference page is a page: the document stays an API answer whatever is accepted.
    const document = await authed.app.handle(new Request('http://localhost/api/openapi.json', { headers: { accept: 'text/html' } }))
    expect(document.status).toBe(401)
  })

  test('every page links to it from the site nav', async () => {
    expect(await t.page('/')).toMatch(/<nav class="site-nav"[\s\S]*<a href="\/api\/docs">API<\/a>/)
  })

  test('its CSP is the site one plus data: images, and keeps the rest', () => {
    const directives = (csp: string) => new Set(csp.split('; '))
    const site = directives(CONTENT_SECURITY_POLICY)
    const docs = directives(API_DOCS_CSP)
    expect([...site].filter((d) => !docs.has(d))).toEqual([])
    expect(API_DOCS_CSP).not.toMatch(/unsafe-eval|\*|https?:/)
  })

  test('other pages keep the site CSP', async () => {
    expect((await request(t, '/')).headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect((await request(t, '/api/openapi.json')).headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  })
})
