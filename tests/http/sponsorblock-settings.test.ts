// The SponsorBlock settings of a playlist: the JSON API and the page's form share one schema
// and one service; the server's SPONSORBLOCK and SPONSORBLOCK_CATEGORIES are the defaults.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { findPlaylist } from '../../src/db/playlists'
import { testContext, type TestContext } from '../helpers/context'
import { postForm, request, seedPlaylist } from './ui-helpers'

let t: TestContext
beforeAll(async () => {
  t = await testContext({ SPONSORBLOCK: 'mark', SPONSORBLOCK_CATEGORIES: 'sponsor,intro' })
})
afterAll(() => t.close())

describe('PATCH /api/playlists/:id', () => {
  test('a mode, categories (normalised) and the video box; null gives the server default back', async () => {
    const p = await seedPlaylist(t)
    expect(p).toMatchObject({ sponsorblock: null, sponsorblock_categories: null, sponsorblock_video: false })
    const res = await t.api('PATCH', `/api/playlists/${p.id}`, {
      sponsorblock: 'remove',
      sponsorblock_categories: ' Sponsor, filler ,sponsor',
      sponsorblock_video: true,
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ sponsorblock: 'remove', sponsorblock_categories: 'sponsor,filler', sponsorblock_video: true })
    const cleared = await t.api('PATCH', `/api/playlists/${p.id}`, { sponsorblock: null, sponsorblock_categories: '' })
    expect(cleared.json).toMatchObject({ sponsorblock: null, sponsorblock_categories: null, sponsorblock_video: true })
  })

  test.each([
    [{ sponsorblock: 'cut' }, 'sponsorblock must be one of: off, mark, remove'],
    [{ sponsorblock_categories: 'sponsor,ads' }, 'sponsorblock_categories has unknown categories (ads)'],
    [{ sponsorblock_video: 'yes' }, 'sponsorblock_video must be true or false'],
  ])('%o is a 422 with a JSON error', async (body, message) => {
    const p = await seedPlaylist(t)
    const res = await t.api('PATCH', `/api/playlists/${p.id}`, body)
    expect(res.status).toBe(422)
    expect(res.json.error).toContain(message)
    expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ sponsorblock: null, sponsorblock_categories: null })
  })
})

describe('the settings form', () => {
  test('shows the server defaults, saves, and says it in the summary', async () => {
    const p = await seedPlaylist(t)
    const page = (await request(t, `/playlists/${p.id}`)).text
    expect(page).toContain('server default (mark as chapters)')
    expect(page).toContain('placeholder="sponsor,intro"')
    expect(page).toContain('SponsorBlock mark')
    const saved = await postForm(t, `/playlists/${p.id}/settings`, {
      sb: '1',
      sponsorblock: 'remove',
      sponsorblock_categories: 'selfpromo',
      sponsorblock_video: 'on',
    })
    expect(saved.status).toBe(200)
    expect(saved.text).toContain('SponsorBlock remove (video too)')
    expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ sponsorblock: 'remove', sponsorblock_categories: 'selfpromo', sponsorblock_video: true })
    // The box unticked in a form that shows it means false; a form without it leaves it be.
    await postForm(t, `/playlists/${p.id}/settings`, { sync_interval: 'off' })
    expect((await findPlaylist(t.ctx.db, p.id))?.sponsorblock_video).toBe(true)
    await postForm(t, `/playlists/${p.id}/settings`, { sb: '1' })
    expect((await findPlaylist(t.ctx.db, p.id))?.sponsorblock_video).toBe(false)
  })

  test('an unknown category is refused in the label’s words', async () => {
    const p = await seedPlaylist(t)
    const res = await postForm(t, `/playlists/${p.id}/settings`, { sponsorblock_categories: 'ads' })
    expect(res.status).toBe(422)
    expect(res.text).toContain('SponsorBlock categories: has unknown categories (ads)')
  })
})
