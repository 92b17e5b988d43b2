// Work a client can ask for that must not take the whole server with it: a hostile
// title filter, and a flood of playlists to index.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { renderRss } from '../fixtures/rss'
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process'

let media: MediaServer
const dirs: string[] = []
beforeAll(async () => (media = await startMediaServer()))
afterAll(async () => {
  await media.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'yt-serve-limits-'))
  dirs.push(d)
  return d
}

/** A feed of `n` entries served as fixed bytes: indexing reads only the feed, so no media is generated. */
function bigFeed(name: string, n: number, title: (i: number) => string): string {
  const link = `${media.url}/feeds/${name}.xml`
  const items = Array.from({ length: n }, (_, i) => ({
    title: title(i),
    enclosureUrl: `${media.url}/media/${name}-${i}.mp4`,
    enclosureType: 'video/mp4',
    enclosureLength: 1000,
    guid: `${name}-${i}`,
    durationSeconds: 2,
  }))
  return media.addRaw(`/feeds/${name}.xml`, renderRss({ title: name, link, items }), 'application/rss+xml; charset=utf-8')
}

async function timedHealth(server: ServerProcess): Promise<{ status: number; ms: number }> {
  const t0 = performance.now()
  const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(5000) }).catch(() => null)
  return { status: res?.status ?? 0, ms: performance.now() - t0 }
}

describe('title filters', () => {
  test('a catastrophic pattern saved on 60 entries leaves /api/health answering within 1 s', async () => {
    const server = await startServerProcess({ DATA_DIR: tempDataDir() })
    try {
      // 40 characters without a "Z": a backtracking engine needs ~2^40 steps per title.
      const url = bigFeed('redos', 60, (i) => `${'a'.repeat(36)}${String(i).padStart(4, '0')}`)
      const add = await server.json('POST', '/api/playlists', { url })
      expect(add.status).toBe(201)
      expect(add.json.added).toBe(60)
      expect((await timedHealth(server)).status).toBe(200) // tool versions probed and cached

      const patch = server.json('PATCH', `/api/playlists/${add.json.id}`, { title_include: '^((.)+)+Z' })
      const health = await timedHealth(server)
      expect(health.status).toBe(200)
      expect(health.ms).toBeLessThan(1000)
      const saved = await patch
      expect(saved.status).toBe(200)
      const detail = (await server.json('GET', `/api/playlists/${add.json.id}`)).json
      expect(detail.counts.skipped).toBe(60)
      expect(detail.videos[0].skip_reason).toBe('title does not match /^((.)+)+Z/')

      const refused = await server.json('PATCH', `/api/playlists/${add.json.id}`, { title_exclude: '(live)\\1' })
      expect(refused.status).toBe(422)
      expect(refused.json.error).toMatch(/^title_exclude is not a valid regular expression: back-references/)
    } finally {
      // A server frozen by the pattern (the bug) would never act on SIGTERM.
      server.proc.kill('SIGKILL')
      await server.proc.exited
    }
  }, 60_000)
})

describe('indexing', () => {
  test('12 parallel adds on a slow site: 2 yt-dlp indexes at a time, 8 wait, 2 get 503 with Retry-After', async () => {
    const server = await startServerProcess({ DATA_DIR: tempDataDir(), INDEX_CONCURRENCY: '2' })
    const feed = await media.addFeed('slow-index', { title: 'Slow', items: [{ name: 'slow-1', title: 'one' }] })
    media.resetCounts()
    const release = media.holdFeeds()
    try {
      // Distinct URLs (the query is ignored by the fixture), so none is a duplicate of another.
      const adds = Array.from({ length: 12 }, (_, i) =>
        fetch(`${server.url}/api/playlists`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: `${feed}?n=${i}` }),
        }),
      )
      const refused: Response[] = []
      for (const p of adds) void p.then((r) => r.status === 503 && refused.push(r))
      await waitUntil('two refusals and two held indexes', async () => refused.length === 2 && media.feedsInFlight().now === 2)
      for (const r of refused) {
        expect(r.headers.get('retry-after')).toBe('5')
        expect((await r.json()).error).toMatch(/^too busy: 2 playlist indexes running and 8 waiting; try again in 5 s/)
      }
      release()
      const statuses = (await Promise.all(adds)).map((r) => r.status).sort()
      expect(statuses).toEqual([...Array(10).fill(201), 503, 503])
      // Every queued add was indexed, never more than two at once.
      expect(media.feedsInFlight().peak).toBe(2)
      expect((await server.json('GET', '/api/playlists')).json).toHaveLength(10)
    } finally {
      release()
      server.proc.kill('SIGTERM')
      await server.proc.exited
    }
  }, 60_000)
})
