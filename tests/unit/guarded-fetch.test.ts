import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { guardedFetch, MAX_REDIRECTS } from '../../src/library/guarded-fetch'
import { isPrivateAddress, type UrlGuard } from '../../src/library/urls'

// 127.0.0.2 plays a public host, 127.0.0.1 this machine: nothing leaves loopback.
const guard: UrlGuard = { allowPrivate: false, isPrivate: (ip) => ip !== '127.0.0.2' && isPrivateAddress(ip) }

describe('guardedFetch', () => {
  const hits: string[] = []
  let outside: ReturnType<typeof Bun.serve>
  let inside: ReturnType<typeof Bun.serve>
  let out = ''
  let ins = ''
  beforeAll(() => {
    outside = Bun.serve({
      hostname: '127.0.0.2',
      port: 0,
      fetch(req) {
        const { pathname, searchParams } = new URL(req.url)
        hits.push(`outside${pathname}`)
        const to = searchParams.get('to')
        if (pathname === '/hops') {
          const n = Number(searchParams.get('n'))
          return n > 0 ? new Response(null, { status: 302, headers: { location: `/hops?n=${n - 1}` } }) : new Response('arrived')
        }
        if (to !== null) return new Response(null, { status: Number(searchParams.get('status') ?? 302), headers: { location: to } })
        return new Response('public')
      },
    })
    inside = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch(req) {
        hits.push(`inside${new URL(req.url).pathname}`)
        return new Response('secret')
      },
    })
    out = `http://127.0.0.2:${outside.port}`
    ins = `http://127.0.0.1:${inside.port}`
  })
  afterAll(() => {
    outside.stop(true)
    inside.stop(true)
  })

  test('relative and absolute Locations on allowed hosts are followed', async () => {
    expect(await (await guardedFetch(`${out}/r?to=/plain`, guard)).text()).toBe('public')
    expect(await (await guardedFetch(`${out}/r?to=${encodeURIComponent(`${out}/abs`)}&status=307`, guard)).text()).toBe('public')
  })

  test.each([
    ['loopback', () => `${ins}/secret`],
    ['loopback, IPv4-mapped', () => `http://[::ffff:7f00:1]:${inside.port}/secret`],
    ['protocol-relative to loopback', () => `//127.0.0.1:${inside.port}/secret`],
    ['metadata', () => 'http://169.254.169.254/latest/meta-data/'],
  ])('a redirect to %s is refused before it is requested', async (_, target) => {
    hits.length = 0
    for (const status of [301, 302, 303, 307, 308])
      await expect(guardedFetch(`${out}/r?status=${status}&to=${encodeURIComponent(target())}`, guard)).rejects.toThrow('private or local address')
    expect(hits.filter((h) => h.startsWith('inside'))).toEqual([])
  })

  test('other schemes and credentials in a Location are refused', async () => {
    await expect(guardedFetch(`${out}/r?to=${encodeURIComponent('file:///etc/passwd')}`, guard)).rejects.toThrow('only http and https')
    await expect(guardedFetch(`${out}/r?to=${encodeURIComponent(`http://u:p@127.0.0.2:${outside.port}/`)}`, guard)).rejects.toThrow('credentials')
  })

  test(`at most ${MAX_REDIRECTS} redirects`, async () => {
    expect(await (await guardedFetch(`${out}/hops?n=${MAX_REDIRECTS}`, guard)).text()).toBe('arrived')
    hits.length = 0
    await expect(guardedFetch(`${out}/hops?n=${MAX_REDIRECTS + 1}`, guard)).rejects.toThrow('redirects')
    expect(hits).toHaveLength(MAX_REDIRECTS + 1)
  })

  test('the first URL passes the same guard', async () => {
    hits.length = 0
    await expect(guardedFetch(`${ins}/secret`, guard)).rejects.toThrow('ALLOW_PRIVATE_URLS')
    expect(hits).toEqual([])
  })
})

test('every fetch in src/ goes through guardedFetch, except the operator-set NOTIFY_URL and MEDIA_SERVER_URL and the loopback health probe', () => {
  const root = join(import.meta.dir, '../../src')
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f))
  const callers = files.filter((f) => /(^|[^\w.])fetch\(/.test(readFileSync(join(root, f), 'utf8'))).map((f) => relative(root, join(root, f)))
  expect(callers.sort()).toEqual(['cli/server-probe.ts', 'jobs/media-server.ts', 'jobs/notify.ts', 'library/guarded-fetch.ts'])
})
