import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { makeThumbnail } from '../fixtures/media'
import { isPrivateAddress } from '../../src/library/urls'
import { testContext, type TestContext } from '../helpers/context'
import { probe } from '../helpers/probe'

// Two loopback servers play the outside world: `inside` on 127.0.0.1 is this machine, and
// `outside` on 127.0.0.2 is a public host, because the guard is told so. No request leaves 127.0.0.0/8.
const PUBLIC_ALIAS = '127.0.0.2'
const treatAliasAsPublic = { isPrivate: (ip: string) => ip !== PUBLIC_ALIAS && isPrivateAddress(ip) }

let inside: MediaServer
let outside: MediaServer
beforeAll(async () => {
  inside = await startMediaServer()
  outside = await startMediaServer({ host: PUBLIC_ALIAS })
})
afterAll(async () => {
  await inside.stop()
  await outside.stop()
})

/** ALLOW_PRIVATE_URLS off, with 127.0.0.2 standing in for a public host. */
async function guardedContext(): Promise<TestContext> {
  const t = await testContext({ ALLOW_PRIVATE_URLS: 'false' })
  t.ctx.urlGuard = treatAliasAsPublic
  return t
}

describe('IPv6 spellings of loopback are refused before anything is fetched', () => {
  let t: TestContext
  beforeAll(async () => (t = await testContext({ ALLOW_PRIVATE_URLS: 'false' })))
  afterAll(() => t.close())

  test.each([
    ['IPv4-mapped, dotted', '[::ffff:127.0.0.1]'],
    ['IPv4-mapped, hex', '[::ffff:7f00:1]'],
    ['IPv4-mapped, written out', '[0:0:0:0:0:ffff:7f00:1]'],
    ['IPv4-compatible', '[::127.0.0.1]'],
    ['NAT64', '[64:ff9b::7f00:1]'],
    ['6to4', '[2002:7f00:1::]'],
  ])('%s: %s', async (_, host) => {
    await inside.addFeed('v6', { title: 'V6', items: [{ name: 'v6-a', title: 'a' }] })
    inside.resetCounts()
    const res = await t.api('POST', '/api/playlists', { url: `http://${host}:${inside.port}/feeds/v6.xml` })
    expect(res.status).toBe(422)
    expect(res.json.error).toContain('ALLOW_PRIVATE_URLS')
    expect(inside.feedRequests('v6')).toBe(0)
    expect(inside.requests('v6-a').total).toBe(0)
  })
})

describe('cover art: redirects are followed only to where the guard allows', () => {
  test('a cover that 302s to a private address is never fetched; one that 302s to a public one is embedded', async () => {
    await using t = await guardedContext()
    inside.addRaw('/secret.jpg', await Bun.file(await makeThumbnail()).bytes(), 'image/jpeg')
    const inward = outside.addRedirect('/cover-inward.jpg', `${inside.url}/secret.jpg`)
    // The control: a relative Location on the public host, so the test would see an embedded cover.
    const fine = outside.addRedirect('/cover-fine.jpg', '/thumbs/cover-ok.jpg')
    const feed = await outside.addFeed('covers', {
      title: 'Covers',
      items: [
        { name: 'cover-bad', title: 'Bad', imageUrl: inward },
        { name: 'cover-ok', title: 'Ok', imageUrl: fine, thumbnail: true },
      ],
    })
    const add = await t.addPlaylist(feed)
    const job = await t.runJob(add.id, 'both')
    expect(job).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 2 })
    expect(outside.rawRequests('/cover-inward.jpg')).toBe(1)
    expect(inside.rawRequests('/secret.jpg')).toBe(0)
    expect(outside.rawRequests('/cover-fine.jpg')).toBe(1)
    const [bad, ok]: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    const pictures = async (v: any) => (await probe(join(t.dataDir, v.audio_path))).streams.filter((s) => s.disposition?.attached_pic === 1)
    expect(await pictures(bad)).toHaveLength(0)
    expect(await pictures(ok)).toHaveLength(1)
  })
})

describe('later fetches pass the guard again', () => {
  test('an entry written as IPv4-mapped IPv6 fails with a reason and is never fetched', async () => {
    await using t = await guardedContext()
    await inside.addItem({ name: 'mapped-in' })
    const feed = await outside.addFeed('mapped', {
      title: 'Mapped',
      items: [{ name: 'mapped', title: 'mapped', enclosureUrl: `http://[::ffff:7f00:1]:${inside.port}/media/mapped-in.mp4` }],
    })
    const add = await t.addPlaylist(feed)
    inside.resetCounts()
    const job = await t.runJob(add.id, 'download')
    expect(job).toMatchObject({ status: 'completed', download_failed: 1, download_completed: 0 })
    const [entry]: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    expect(entry.error).toContain('private or local address')
    expect(inside.requests('mapped-in')).toMatchObject({ total: 0, head: 0 })
  })

  test('a playlist whose host now counts as private is not re-indexed: the job fails and says why', async () => {
    await using t = await guardedContext()
    const feed = await outside.addFeed('turned', { title: 'Turned', items: [{ name: 'turned-a', title: 'a' }] })
    const add = await t.addPlaylist(feed)
    // As if its DNS now answered 10.x, or the row predates the guard knowing a spelling.
    t.ctx.urlGuard = { isPrivate: isPrivateAddress }
    outside.resetCounts()
    const job = await t.runJob(add.id, 'both')
    expect(job.status).toBe('failed')
    expect(job.error).toContain('private or local address')
    expect(outside.feedRequests('turned')).toBe(0)
    expect(outside.requests('turned-a').total).toBe(0)
  })
})

describe('scheme-less entry URLs', () => {
  test('an enclosure "127.0.0.1:PORT/media/x.mp4" fails with a reason and is never fetched', async () => {
    await using t = await guardedContext()
    await inside.addItem({ name: 'bare-in' })
    const feed = await outside.addFeed('schemeless', {
      title: 'Schemeless',
      items: [
        { name: 'bare', title: 'bare', enclosureUrl: `${inside.url.replace('http://', '')}/media/bare-in.mp4` },
        { name: 'proper', title: 'proper' },
      ],
    })
    const add = await t.addPlaylist(feed)
    inside.resetCounts()
    const job = await t.runJob(add.id, 'download')
    expect(job).toMatchObject({ status: 'completed', download_failed: 1, download_completed: 1 })
    const [bare, proper]: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
    expect(bare).toMatchObject({ download_state: 'failed' })
    expect(bare.error).toContain('not an absolute http or https URL')
    expect(proper.download_state).toBe('downloaded')
    expect(inside.requests('bare-in').total).toBe(0)
    expect(inside.requests('bare-in').head).toBe(0)
  })
})

describe('one playlist per URL, however it is spelled', () => {
  test('scheme case and a trailing slash find the playlist already added', async () => {
    await using t = await guardedContext()
    const feed = await outside.addFeed('dupe', { title: 'Dupe', items: [{ name: 'dupe-a', title: 'a' }] })
    const add = await t.addPlaylist(feed)
    outside.resetCounts()
    for (const variant of [feed.replace('http://', 'HTTP://'), `${feed}/`, feed.replace('http://', 'Http://') + '//']) {
      const res = await t.api('POST', '/api/playlists', { url: variant })
      expect(res.status).toBe(409)
      expect(res.json).toMatchObject({ error: `this playlist was already added as #${add.id}`, id: add.id })
    }
    expect(outside.feedRequests('dupe')).toBe(0)
    const list: any[] = (await t.api('GET', '/api/playlists')).json
    expect(list).toHaveLength(1)
    expect(list[0].url).toBe(feed) // as given
  })
})
