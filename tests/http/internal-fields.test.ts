import { afterAll, beforeAll, expect, test } from 'bun:test'
import { findVideo } from '../../src/db/videos'
import { testContext, type TestContext } from '../helpers/context'
import { entry, request, seedPlaylist } from './ui-helpers'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})
afterAll(() => t.close())

test("smuggled_data (yt-dlp's payload for the download argv) stays in the database, out of API answers and pages", async () => {
  const smuggled = '{"referer":"https://secret-page.example/"}'
  const p = await seedPlaylist(t, { entries: [entry(1, { smuggled_data: smuggled }), entry(2)] })
  const detail = await t.api('GET', `/api/playlists/${p.id}`)
  expect(detail.status).toBe(200)
  expect(detail.json.videos).toHaveLength(2)
  for (const v of detail.json.videos) expect(Object.keys(v)).not.toContain('smuggled_data')
  expect(JSON.stringify(detail.json)).not.toContain('secret-page')
  expect((await request(t, `/playlists/${p.id}`)).text).not.toContain('secret-page')
  // The download still finds it.
  expect((await findVideo(t.ctx.db, detail.json.videos[0].id))?.smuggled_data).toBe(smuggled)
})
