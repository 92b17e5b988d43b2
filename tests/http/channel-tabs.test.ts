import { afterAll, beforeAll, expect, test } from 'bun:test'
import { findPlaylist, updatePlaylist } from '../../src/db/playlists'
import { testContext, type TestContext } from '../helpers/context'
import { postForm, request, seedPlaylist } from './ui-helpers'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})
afterAll(() => t.close())

test('a channel playlist: Shorts and Live are off by default and set per playlist (API and form)', async () => {
  const p = await seedPlaylist(t, { url: 'https://www.youtube.com/@lofiarchive' })
  await updatePlaylist(t.ctx.db, p.id, { extractor: 'youtube:tab' })
  expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ include_shorts: false, include_live: false })

  const patched = await t.api('PATCH', `/api/playlists/${p.id}`, { include_shorts: true })
  expect(patched.status).toBe(200)
  // One name, one type: PATCH takes booleans and every answer gives them back as booleans, never SQLite's 0/1.
  expect(patched.json).toMatchObject({ include_shorts: true, include_live: false })
  expect((await t.api('GET', `/api/playlists/${p.id}`)).json).toMatchObject({ include_shorts: true, include_live: false })
  const listed = (await t.api('GET', '/api/playlists')).json.find((x: { id: number }) => x.id === p.id)
  expect(listed).toMatchObject({ include_shorts: true, include_live: false })
  expect((await t.api('PATCH', `/api/playlists/${p.id}`, { include_live: 'yes' })).status).toBe(422)

  const page = await request(t, `/playlists/${p.id}`)
  expect(page.text).toContain('channel tabs')
  expect(page.text).toMatch(/<input type="checkbox" name="include_shorts" checked/)

  // The form sends ticked boxes only; its hidden "tabs" field makes an unticked one mean off.
  const saved = await postForm(t, `/playlists/${p.id}/settings`, { tabs: '1', include_live: 'on', sync_interval: 'off' })
  expect(saved.status).toBe(200)
  expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ include_shorts: false, include_live: true })
  // A form without the boxes (an older page) leaves them alone.
  await postForm(t, `/playlists/${p.id}/settings`, { sync_interval: 'off' })
  expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ include_shorts: false, include_live: true })
})

test('other playlists show no tab boxes', async () => {
  const p = await seedPlaylist(t)
  expect((await request(t, `/playlists/${p.id}`)).text).not.toContain('channel tabs')
})
