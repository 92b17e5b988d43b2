// Subtitles and chapters as playlist settings: the API and the form share the names, a
// playlist's own value wins over the server default, and bad language lists are refused.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { findPlaylist } from '../../src/db/playlists'
import { mediaExtrasOf } from '../../src/playlists/media-extras'
import { testContext, type TestContext } from '../helpers/context'
import { postForm, request, seedPlaylist } from './ui-helpers'

let t: TestContext
beforeAll(async () => {
  t = await testContext({ SUBTITLES: 'en', CHAPTERS: 'true' })
})
afterAll(() => t.close())

const selected = (html: string, name: string) => {
  const select = new RegExp(`<select name="${name}">(.*?)</select>`).exec(html)![1]
  return [...select.matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1])
}

test('PATCH: language lists are normalised, switches take true, false or null (the default); the effective values follow', async () => {
  const p = await seedPlaylist(t)
  const fresh = (await t.api('GET', `/api/playlists/${p.id}`)).json
  expect(fresh).toMatchObject({ subtitles: null, auto_subtitles: null, chapters: null, split_chapters: null })
  expect(mediaExtrasOf((await findPlaylist(t.ctx.db, p.id))!, t.ctx.config)).toEqual({
    subtitles: { kind: 'langs', langs: ['en'] },
    auto_subtitles: false,
    chapters: true,
    split_chapters: false,
  })
  const set = await t.api('PATCH', `/api/playlists/${p.id}`, { subtitles: ' de, pt-BR ,de', auto_subtitles: true, chapters: false, split_chapters: true })
  expect(set.status).toBe(200)
  expect(set.json).toMatchObject({ subtitles: 'de,pt-BR', auto_subtitles: true, chapters: false, split_chapters: true })
  expect(mediaExtrasOf((await findPlaylist(t.ctx.db, p.id))!, t.ctx.config)).toEqual({
    subtitles: { kind: 'langs', langs: ['de', 'pt-BR'] },
    auto_subtitles: true,
    chapters: false,
    split_chapters: true,
  })
  expect((await t.api('PATCH', `/api/playlists/${p.id}`, { subtitles: 'OFF' })).json.subtitles).toBe('off')
  const reset = await t.api('PATCH', `/api/playlists/${p.id}`, { subtitles: null, auto_subtitles: null, chapters: null, split_chapters: null })
  expect(reset.json).toMatchObject({ subtitles: null, auto_subtitles: null, chapters: null, split_chapters: null })
})

test('PATCH: a bad language list or switch is a 422 saying why, and nothing is saved', async () => {
  const p = await seedPlaylist(t)
  const cases: [Record<string, unknown>, string][] = [
    [{ subtitles: 'en,,de' }, 'subtitles has an empty language between commas'],
    [{ subtitles: 'all,en' }, 'subtitles "all" cannot be combined with languages'],
    [{ subtitles: 'en.*' }, 'subtitles "en.*" is not a language tag like en or pt-BR'],
    [{ subtitles: '--exec=touch /tmp/x' }, 'subtitles "--exec=touch /tmp/x" is not a language tag like en or pt-BR'],
    [{ subtitles: 5 }, 'subtitles must be off, all or language tags like en,de'],
    [{ split_chapters: 'yes' }, 'split_chapters must be true, false or null'],
  ]
  for (const [patch, error] of cases) {
    const res = await t.api('PATCH', `/api/playlists/${p.id}`, patch)
    expect(res.status).toBe(422)
    expect(res.json.error).toBe(error)
  }
  expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ subtitles: null, split_chapters: null })
})

test('the form: the server defaults shown, saved values selected, a bad language list in words', async () => {
  const p = await seedPlaylist(t)
  const page = (await request(t, `/playlists/${p.id}`)).text
  expect(page).toContain('placeholder="server default (en); off, all, or en,de"')
  expect(page).toContain('<option value="" selected>default (on)</option>') // CHAPTERS=true
  expect(selected(page, 'split_chapters')).toEqual([''])
  const base = { audio_format: '', audio_quality: '', sync_interval: 'off' }
  const saved = await postForm(t, `/playlists/${p.id}/settings`, { ...base, subtitles: 'en,de', auto_subtitles: 'on', chapters: 'off', split_chapters: 'on' })
  expect(saved.status).toBe(200)
  expect(saved.text).toContain('value="en,de"')
  expect(selected(saved.text, 'auto_subtitles')).toEqual(['on'])
  expect(selected(saved.text, 'chapters')).toEqual(['off'])
  expect(saved.text).toContain('subtitles en,de (+auto) · split chapters')
  expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ subtitles: 'en,de', auto_subtitles: true, chapters: false, split_chapters: true })
  const bad = await postForm(t, `/playlists/${p.id}/settings`, { ...base, subtitles: 'en,<b>x</b>' })
  expect(bad.status).toBe(422)
  expect(bad.text).toContain('Subtitles: &quot;&lt;b&gt;x&lt;/b&gt;&quot; is not a language tag like en or pt-BR')
  expect((await postForm(t, `/playlists/${p.id}/settings`, { ...base, chapters: 'maybe' })).text).toContain('Chapters: on, off or the default')
  expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ subtitles: 'en,de' })
})
