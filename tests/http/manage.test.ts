// Managing a playlist from the page and the API: rename, delete (keep or delete the files),
// undo Prioritise, and the collapsed settings form.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findJob } from '../../src/db/jobs'
import { findPlaylist } from '../../src/db/playlists'
import { addPlaylist, reindexPlaylist } from '../../src/playlists/service'
import { startMediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { openingTag, postForm, request, seedJob, seedPlaylist } from './ui-helpers'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})
afterAll(() => t.close())

/** Seeded "live" rows have no run in the manager: end them by hand. */
const endSeeded = (id: number) => t.ctx.db.updateTable('jobs').set({ status: 'cancelled' }).where('id', '=', id).execute()

/** A playlist folder with two files in DATA_DIR, as a download would leave it. */
function fillFolder(folder: string): string {
  const dir = join(t.dataDir, folder)
  mkdirSync(join(dir, 'audio'), { recursive: true })
  writeFileSync(join(dir, 'video.mp4'), 'x'.repeat(1000))
  writeFileSync(join(dir, 'audio', 'song.mp3'), 'y'.repeat(500))
  return dir
}

describe('rename', () => {
  test('PATCH {"title"} renames, trimmed; the folder keeps its name', async () => {
    const p = await seedPlaylist(t, { title: 'Upstream' })
    const res = await t.api('PATCH', `/api/playlists/${p.id}`, { title: '  My Mix  ' })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ id: p.id, title: 'My Mix', folder: p.folder, renamed: true })
    expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ title: 'My Mix', folder: p.folder })
    expect((await request(t, `/playlists/${p.id}`)).text).toContain('<h1>My Mix</h1>')
  })

  test('empty, blank, too long or not a string: 422 with the reason, nothing changed', async () => {
    const p = await seedPlaylist(t, { title: 'Keep Me' })
    const cases: [unknown, string][] = [
      ['', 'title must not be empty'],
      ['   ', 'title must not be empty'],
      ['x'.repeat(201), 'title must be at most 200 characters'],
      [42, 'title must be a string'],
    ]
    for (const [title, error] of cases) {
      const res = await t.api('PATCH', `/api/playlists/${p.id}`, { title })
      expect(res.status).toBe(422)
      expect(res.json).toEqual({ error })
    }
    expect((await t.api('PATCH', `/api/playlists/${p.id}`, { title: 'x'.repeat(200) })).status).toBe(200)
    expect((await t.api('PATCH', '/api/playlists/999999', { title: 'Ghost' })).status).toBe(404)
  })

  test('the page form swaps the heading; errors use the label', async () => {
    const p = await seedPlaylist(t, { title: 'Before' })
    const page = (await request(t, `/playlists/${p.id}`)).text
    const form = /<form class="rename-form"[^>]*>/.exec(page)![0]
    expect(form).toContain(`hx-post="/playlists/${p.id}/title"`)
    expect(form).toContain(`hx-target="#playlist-${p.id}-name"`)
    expect(page).toContain(`<summary aria-label="Rename Before">Rename</summary>`)

    const ok = await postForm(t, `/playlists/${p.id}/title`, { title: '<b>After</b>' })
    expect(ok.status).toBe(200)
    expect(ok.text).toStartWith(`<div class="playlist-name" id="playlist-${p.id}-name">`)
    expect(ok.text).toContain('<h1>&lt;b&gt;After&lt;/b&gt;</h1>')
    expect(ok.text).toContain('Renamed')
    const bad = await postForm(t, `/playlists/${p.id}/title`, { title: ' ' })
    expect(bad.status).toBe(422)
    expect(bad.text).toBe('<p class="error" role="alert">Name: must not be empty</p>')
    expect((await findPlaylist(t.ctx.db, p.id))!.title).toBe('<b>After</b>')
  })

  test('a sync keeps the chosen name; an unrenamed playlist follows the upstream title', async () => {
    const media = await startMediaServer()
    try {
      const items = [{ name: 'rn-1', title: 'One', seconds: 1 }]
      const renamedFeed = await media.addFeed('rn-a', { title: 'Upstream A', items })
      const plainFeed = await media.addFeed('rn-b', { title: 'Upstream B', items })
      const renamed = await addPlaylist(t.ctx, renamedFeed)
      const plain = await addPlaylist(t.ctx, plainFeed)
      await t.api('PATCH', `/api/playlists/${renamed.id}`, { title: 'Mine' })
      await media.addFeed('rn-a', { title: 'Upstream A2', items })
      await media.addFeed('rn-b', { title: 'Upstream B2', items })
      await reindexPlaylist(t.ctx, renamed)
      await reindexPlaylist(t.ctx, plain)
      expect((await findPlaylist(t.ctx.db, renamed.id))!.title).toBe('Mine')
      expect((await findPlaylist(t.ctx.db, plain.id))!.title).toBe('Upstream B2')
    } finally {
      await media.stop()
    }
  }, 30_000)
})

describe('delete from the page', () => {
  test('the page offers both answers under "Delete…"', async () => {
    const p = await seedPlaylist(t, { title: 'Doomed' })
    const page = (await request(t, `/playlists/${p.id}`)).text
    expect(openingTag(page, `playlist-${p.id}-delete`)).toBe(`<details class="playlist-delete" id="playlist-${p.id}-delete">`)
    const keep = /<button[^>]*data-action="delete-keep-files"[^>]*>/.exec(page)![0]
    const wipe = /<button[^>]*data-action="delete-with-files"[^>]*>/.exec(page)![0]
    for (const b of [keep, wipe]) expect(b).toContain(`hx-post="/playlists/${p.id}/delete"`)
    expect(keep).toContain('hx-vals="{&#34;delete_files&#34;:&#34;false&#34;}"')
    expect(wipe).toContain('hx-vals="{&#34;delete_files&#34;:&#34;true&#34;}"')
    expect(page).not.toContain('hx-confirm')
  })

  test('keep the files: gone from the library, folder untouched, the library says so once', async () => {
    const p = await seedPlaylist(t, { title: 'Keeper' })
    const dir = fillFolder(p.folder)
    const res = await postForm(t, `/playlists/${p.id}/delete`, { delete_files: 'false' })
    expect(res.status).toBe(200)
    expect(res.headers.get('hx-redirect')).toBe('/')
    expect(await findPlaylist(t.ctx.db, p.id)).toBeUndefined()
    expect(existsSync(join(dir, 'video.mp4'))).toBe(true)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toContain('HttpOnly; SameSite=Strict')
    const home = await request(t, '/', { headers: { cookie: cookie.split(';')[0] } })
    expect(home.text).toContain(`<p class="notice flash-notice" role="status">Deleted “Keeper”. Its files stay in ${p.folder}/.</p>`)
    expect(home.headers.get('set-cookie')).toContain('Max-Age=0')
    expect((await request(t, '/')).text).not.toContain('flash-notice')
  })

  test('delete the files too: the folder is gone and the notice counts what went', async () => {
    const p = await seedPlaylist(t, { title: 'Wiped' })
    const dir = fillFolder(p.folder)
    // Without htmx (a plain form post) the answer is a redirect.
    const res = await request(t, `/playlists/${p.id}/delete`, {
      method: 'POST',
      body: 'delete_files=true',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '17' },
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/')
    expect(existsSync(dir)).toBe(false)
    const home = (await request(t, '/', { headers: { cookie: res.headers.get('set-cookie')!.split(';')[0] } })).text
    expect(home).toContain('Deleted “Wiped” and its 2 files (1.5 KiB).')
  })

  test('no choice made, a running job, an unknown playlist: refused, nothing deleted', async () => {
    const p = await seedPlaylist(t, { title: 'Busy' })
    const dir = fillFolder(p.folder)
    const none = await postForm(t, `/playlists/${p.id}/delete`, {})
    expect(none.status).toBe(422)
    expect(none.text).toContain('choose whether to keep the files or delete them too')
    const job = await seedJob(t, p.id, 'download', { status: 'running' })
    const busy = await postForm(t, `/playlists/${p.id}/delete`, { delete_files: 'true' })
    expect(busy.status).toBe(409)
    expect(busy.text).toBe(`<p class="error" role="alert">a job of this playlist is running (#${job.id}); cancel it first, or wait for it to end</p>`)
    expect(busy.headers.get('hx-redirect')).toBeNull()
    const api = await t.api('DELETE', `/api/playlists/${p.id}?delete_files=true`)
    expect(api.status).toBe(409)
    expect(api.json).toMatchObject({ job_id: job.id })
    expect(await findPlaylist(t.ctx.db, p.id)).toBeDefined()
    expect(existsSync(join(dir, 'video.mp4'))).toBe(true)
    await endSeeded(job.id)
    expect((await postForm(t, '/playlists/999999/delete', { delete_files: 'false' })).status).toBe(404)
    expect((await t.api('DELETE', '/api/playlists/999999')).status).toBe(404)
  })
})

describe('undo Prioritise', () => {
  const undo = /<button[^>]*data-action="deprioritise"[^>]*>/

  test('a high-priority card offers "Normal priority"; a normal one does not', async () => {
    const p = await seedPlaylist(t)
    const high = await seedJob(t, p.id, 'both', { status: 'running', priority: 'high' })
    const button = undo.exec((await request(t, `/jobs/${high.id}/card`)).text)![0]
    expect(button).toContain(`hx-post="/jobs/${high.id}/priority"`)
    expect(button).toContain('hx-vals="{&#34;priority&#34;:&#34;normal&#34;}"')
    await endSeeded(high.id)
    const normal = await seedJob(t, p.id, 'both', { status: 'running' })
    expect((await request(t, `/jobs/${normal.id}/card`)).text).not.toMatch(undo)
    await endSeeded(normal.id)
  })

  test('the button and the API put the job back to normal; a finished job is a 409', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'both', { status: 'paused', priority: 'high' })
    const res = await postForm(t, `/jobs/${job.id}/priority`, { priority: 'normal' })
    expect(res.status).toBe(200)
    expect(res.text).not.toContain('high priority')
    expect(res.text).toContain('data-action="priority"')
    expect((await findJob(t.ctx.db, job.id))!.priority).toBe('normal')
    expect((await t.api('POST', `/api/jobs/${job.id}/priority`, { priority: 'high' })).json.priority).toBe('high')
    const back = await t.api('POST', `/api/jobs/${job.id}/priority`, { priority: 'normal' })
    expect(back.status).toBe(200)
    expect(back.json.priority).toBe('normal')
    await endSeeded(job.id)
    const done = await t.api('POST', `/api/jobs/${job.id}/priority`, { priority: 'normal' })
    expect(done.status).toBe(409)
  })
})

describe('collapsed settings', () => {
  test('folded by default under a summary in words; open again after Save', async () => {
    const p = await seedPlaylist(t)
    const page = (await request(t, `/playlists/${p.id}`)).text
    expect(page).toContain('<details class="settings-details"><summary>')
    expect(page).toContain('<span class="muted settings-summary">mp3 · sync off · no filters</span>')
    const saved = await postForm(t, `/playlists/${p.id}/settings`, { audio_format: 'opus', audio_quality: '3', sync_interval: 'daily', title_exclude: 'live' })
    expect(saved.status).toBe(200)
    expect(saved.text).toContain('<details class="settings-details" open><summary>')
    expect(saved.text).toContain('opus q3 · syncs daily · 1 filter')
    // One Save, at the end of the form.
    expect(saved.text.match(/type="submit"/g)).toHaveLength(1)
  })

  test('library layout and file names: a bad template is refused in the label’s words; a new layout is saved (no files, so no job)', async () => {
    const p = await seedPlaylist(t)
    const bad = await postForm(t, `/playlists/${p.id}/settings`, { name_template: '{title}/{id}' })
    expect(bad.status).toBe(422)
    expect(bad.text).toContain('File names: not a valid template: a template names one file')
    const saved = await postForm(t, `/playlists/${p.id}/settings`, { library_layout: 'jellyfin', name_template: '{upload_date} {title}' })
    expect(saved.status).toBe(200)
    expect(saved.text).toContain('jellyfin layout')
    expect(saved.text).not.toContain('moving the files')
    expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ library_layout: 'jellyfin', name_template: '{upload_date} {title}' })
  })

  test('a channel says whether Shorts and Live are indexed', async () => {
    const p = await seedPlaylist(t, { url: 'https://www.youtube.com/@someone' })
    await t.ctx.db.updateTable('playlists').set({ extractor: 'youtube:tab', include_shorts: 1 }).where('id', '=', p.id).execute()
    expect((await request(t, `/playlists/${p.id}`)).text).toContain('mp3 · sync off · no filters · shorts on · live off')
  })
})
