import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'

// Real yt-dlp and ffmpeg against the fixture media server on 127.0.0.1.
let media: MediaServer
let t: TestContext
beforeAll(async () => {
  media = await startMediaServer()
  t = await testContext({ EXTRACT_CONCURRENCY: '2' })
})
afterAll(async () => {
  await t?.close()
  await media.stop()
})

test('a real "both" job logs one line per item and phase: downloaded, extracted, or failed with the reason', async () => {
  const items = [
    { name: 'log0', title: 'Log <b>0</b>', seconds: 2 },
    { name: 'log1', title: 'Log 1', seconds: 2 },
    { name: 'gone', title: 'Gone one', kind: 'missing' as const },
  ]
  const feed = await media.addFeed('job-log', { title: 'Job log', items })
  const add = await t.api('POST', '/api/playlists', { url: feed })
  expect(add.status).toBe(201)
  const created = await t.api('POST', `/api/playlists/${add.json.id}/jobs`, { type: 'both' })
  expect(created.status).toBe(202)
  const done = await t.manager.waitFor(created.json.id)
  expect(done).toMatchObject({ status: 'completed', download_completed: 2, download_failed: 1, extract_completed: 2 })

  const log = await t.api('GET', `/api/jobs/${created.json.id}/log`)
  const messages: string[] = log.json.map((e: { message: string }) => e.message)
  const about = (title: string) => messages.filter((m) => m.includes(title))
  expect(about('Log <b>0</b>')).toEqual(['downloaded: Log <b>0</b>', 'extracted: Log <b>0</b>'])
  expect(about('Log 1')).toEqual(['downloaded: Log 1', 'extracted: Log 1'])
  const gone = about('Gone one')
  expect(gone).toHaveLength(1)
  expect(gone[0]).toStartWith('download failed: Gone one: ')
  // The item lines come before the summary, which stays the last word.
  expect(messages.at(-1)).toMatch(/^finished: 2 downloaded, 2 extracted, 1 failed/)

  // On the page the titles are text, not markup.
  const page = await t.app.handle(new Request(`http://localhost/jobs/${created.json.id}/log`)).then((r) => r.text())
  expect(page).toContain('downloaded: Log &lt;b&gt;0&lt;/b&gt;')
}, 60_000)
