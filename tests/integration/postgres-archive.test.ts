import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { forEachDialect } from '../helpers/dialects'

// The whole app on each store: real yt-dlp and ffmpeg against the fixture site, then the
// API's answers. SQLite's and PostgreSQL's must be the same, timestamps aside.
let media: MediaServer
let feed: string
beforeAll(async () => {
  media = await startMediaServer()
  const items = [
    { name: 'alpha', title: 'Alpha Clip', seconds: 1 },
    { name: 'beta', title: 'beta clip', seconds: 1 },
    { name: 'gamma', title: 'Gamma 100%_done', seconds: 1 },
  ]
  feed = await media.addFeed('dialects', { title: 'Dialects', items })
})
afterAll(() => media?.stop())

/** Timestamps differ from run to run: their presence is what is compared. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, /(_at|_since)$/.test(k) && typeof v === 'string' ? '<time>' : k === 'current' ? [] : normalized(v)]),
    )
  return value
}

const answers: Record<string, object> = {}

forEachDialect('an archive', (dialect) => {
  test('add, a refused duplicate, a "both" job and a refused second one, search, then the API answers', async () => {
    await using t = await testContext(await dialect.env())
    const p = await t.addPlaylist(feed)
    expect((await t.api('POST', '/api/playlists', { url: feed })).status).toBe(409)
    // While a job is active (one download held back), the partial unique index refuses another.
    const release = media.holdBack('gamma')
    const started = await t.startJob(p.id, 'both')
    expect((await t.api('POST', `/api/playlists/${p.id}/jobs`, { type: 'extract' })).status).toBe(409)
    release()
    const done = await t.manager.waitFor(started.id)
    expect(done).toMatchObject({ status: 'completed', download_completed: 3, extract_completed: 3, download_failed: 0, extract_failed: 0 })
    const get = async (path: string) => {
      const r = await t.api('GET', path)
      expect(r.status).toBe(200)
      return r.json
    }
    const detail = await get(`/api/playlists/${p.id}`)
    expect(detail.counts).toMatchObject({ entries: 3, downloaded: 3, extracted: 3, failed: 0 })
    // Search ignores case on both stores, and % and _ match themselves.
    const found = async (q: string) => (await get(`/api/playlists/${p.id}?q=${encodeURIComponent(q)}`)).videos.map((v: { title: string }) => v.title)
    expect(await found('CLIP')).toEqual(['Alpha Clip', 'beta clip'])
    expect(await found('0%_d')).toEqual(['Gamma 100%_done'])
    expect(await found('_')).toEqual(['Gamma 100%_done'])
    answers[dialect.name] = <object>normalized({
      playlists: await get('/api/playlists'),
      playlist: detail,
      jobs: await get('/api/jobs'),
      job: await get(`/api/jobs/${done.id}`),
    })
  })
})

test('SQLite and PostgreSQL give the same API answers', () => {
  if (!answers.postgres) return // skipped above, with the reason in its name
  expect(answers.postgres).toEqual(answers.sqlite)
})
