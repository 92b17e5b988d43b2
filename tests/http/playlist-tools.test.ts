// The playlist page's tools: Retry failed, the settings form, entries gone upstream.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { findPlaylist } from '../../src/db/playlists'
import { updateVideo } from '../../src/db/videos'
import { addPlaylist } from '../../src/playlists/service'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { openingTag, postForm, request, seedJob, seedPlaylist } from './ui-helpers'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})
afterAll(() => t.close())

const videoIds = async (playlistId: number) =>
  (await t.ctx.db.selectFrom('videos').select('id').where('playlist_id', '=', playlistId).orderBy('position').execute()).map((r) => r.id)

/** The page from the element with this id to the end. */
const section = (html: string, id: string) => html.slice(html.indexOf(`id="${id}"`))

const retryButton = /<button[^>]*data-action="retry-failed"[^>]*>/

describe('Retry failed', () => {
  let media: MediaServer
  beforeAll(async () => {
    media = await startMediaServer()
  })
  afterAll(() => media.stop())

  test('the button shows only for playlists with failed items, on the library row and the playlist page', async () => {
    const clean = await seedPlaylist(t, { title: 'Clean' })
    const broken = await seedPlaylist(t, { title: 'Broken' })
    await updateVideo(t.ctx.db, (await videoIds(broken.id))[1], { download_state: 'failed', error: 'HTTP Error 403' })
    const home = (await request(t, '/')).text
    const cleanRow = home.slice(home.indexOf(`id="playlist-${clean.id}"`), home.indexOf(`id="playlist-${broken.id}"`))
    expect(cleanRow).not.toMatch(retryButton)
    const brokenRow = section(home, `playlist-${broken.id}`)
    const button = retryButton.exec(brokenRow)![0]
    expect(button).toContain(`hx-post="/playlists/${broken.id}/retry-failed"`)
    expect(button).toContain('hx-target="#jobs"')
    expect(button).toContain(`hx-status:4xx="target:#playlist-${broken.id}-actions-message swap:innerHTML"`)
    expect(button).not.toContain('disabled')
    expect((await request(t, `/playlists/${clean.id}`)).text).not.toMatch(retryButton)
    expect((await request(t, `/playlists/${broken.id}`)).text).toMatch(retryButton)
  })

  test('disabled while the playlist has a live job; a forced click is a 409 shown inline', async () => {
    const p = await seedPlaylist(t, { title: 'Busy' })
    await updateVideo(t.ctx.db, (await videoIds(p.id))[0], { download_state: 'failed' })
    const job = await seedJob(t, p.id, 'download', { status: 'running', download_status: 'running' })
    const page = (await request(t, `/playlists/${p.id}`)).text
    expect(retryButton.exec(page)![0]).toContain(' disabled')
    const res = await postForm(t, `/playlists/${p.id}/retry-failed`)
    expect(res.status).toBe(409)
    expect(res.text).toMatch(/^<p class="error" role="alert">.*already has an active job.*<\/p>$/)
    await t.manager.cancel(job.id).catch(() => {})
  })

  test('nothing to retry: a 409 "no failed items" fragment', async () => {
    const p = await seedPlaylist(t)
    const res = await postForm(t, `/playlists/${p.id}/retry-failed`)
    expect(res.status).toBe(409)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.text).toBe('<p class="error" role="alert">this playlist has no failed items</p>')
  })

  test('a click starts a real retry job: its card, the buttons disabled out-of-band; afterwards the button is gone', async () => {
    const feed = await media.addFeed('retry', {
      title: 'Retry me',
      items: [
        { name: 'r1', title: 'R1' },
        { name: 'r2', title: 'R2' },
      ],
    })
    const added = await addPlaylist(t.ctx, feed)
    const [first, second] = await videoIds(added.id)
    await updateVideo(t.ctx.db, first, { download_state: 'downloaded', extract_state: 'pending' })
    await updateVideo(t.ctx.db, second, { download_state: 'failed', error: 'HTTP Error 503' })
    const res = await postForm(t, `/playlists/${added.id}/retry-failed`)
    expect(res.status).toBe(200)
    const jobId = Number(/<section id="job-(\d+)"/.exec(res.text)![1])
    expect(openingTag(res.text, `job-${jobId}`)).toContain('hx-trigger="every 1s"')
    expect(openingTag(res.text, `playlist-${added.id}-actions`)).toContain('hx-swap-oob="true"')
    const actions = section(res.text, `playlist-${added.id}-actions`)
    expect(actions.match(/<button[^>]*data-job-type[^>]*>/g)!.every((b) => b.includes(' disabled'))).toBe(true)
    const done = await t.manager.waitFor(jobId)
    expect(done.status).toBe('completed')
    expect(done.download_failed).toBe(0)
    const after = await request(t, `/playlists/${added.id}`)
    expect(after.text).toMatch(/stat-failed"><dt>failed<\/dt><dd>0<\/dd>/)
    expect(after.text).not.toMatch(retryButton)
    // The job's own history row links to its log.
    expect(section(after.text, `history-${jobId}`)).toContain(`<a class="log-link" href="/jobs/${jobId}/log"`)
  }, 30_000)
})

describe('playlist settings', () => {
  const settingsPost = (id: number, fields: Record<string, string>) => postForm(t, `/playlists/${id}/settings`, fields)
  const selected = (html: string, name: string) => {
    const select = new RegExp(`<select name="${name}">(.*?)</select>`).exec(html)![1]
    return [...select.matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1])
  }

  test('the page shows the form with the current values: server defaults, sync off', async () => {
    const p = await seedPlaylist(t, { title: 'Settings' })
    const { text } = await request(t, `/playlists/${p.id}`)
    const form = openingTag(text, `playlist-${p.id}-settings`)
    expect(form).toContain(`hx-post="/playlists/${p.id}/settings"`)
    expect(form).toContain('hx-target="this"')
    expect(form).toContain(`hx-status:4xx="target:#playlist-${p.id}-settings-message swap:innerHTML"`)
    expect(selected(text, 'audio_format')).toEqual([''])
    expect(selected(text, 'audio_quality')).toEqual([''])
    expect(selected(text, 'sync_interval')).toEqual(['off'])
    expect(text).toContain('server default (mp3)')
    expect(text).toContain('Quality (0 best … 9 smallest)')
    for (const f of ['mp3', 'm4a', 'opus', 'flac']) expect(text).toContain(`<option value="${f}">${f}</option>`)
    for (const s of ['off', 'hourly', 'daily', 'weekly']) expect(text).toContain(`<option value="${s}"`)
    expect(text).toContain('sync: off')
    expect(text).not.toContain('next sync')
    // Nothing on the idle page polls (the entries section only listens for a job start).
    expect(text).not.toMatch(/hx-trigger="every/)
  })

  test('saving updates the playlist and re-renders the fragment with "Saved" and the next sync time', async () => {
    const p = await seedPlaylist(t)
    const before = Date.now()
    const res = await settingsPost(p.id, { audio_format: 'opus', audio_quality: '3', sync_interval: 'daily' })
    expect(res.status).toBe(200)
    expect(res.text).toStartWith(`<form id="playlist-${p.id}-settings"`)
    expect(res.text).toContain('<p class="notice" role="status">Saved</p>')
    expect(selected(res.text, 'audio_format')).toEqual(['opus'])
    expect(selected(res.text, 'audio_quality')).toEqual(['3'])
    expect(selected(res.text, 'sync_interval')).toEqual(['daily'])
    const row = (await findPlaylist(t.ctx.db, p.id))!
    expect(row).toMatchObject({ audio_format: 'opus', audio_quality: 3, sync_interval: 'daily' })
    const next = Date.parse(row.next_sync_at!)
    expect(next - before).toBeGreaterThanOrEqual(86_400_000 - 1000)
    expect(res.text).toContain('sync: daily')
    expect(res.text).toContain(`next sync: ${row.next_sync_at!.slice(0, 10)} ${row.next_sync_at!.slice(11, 16)} UTC`)
    expect(res.text).toContain('(in 24 h)')
    // The page shows the same values afterwards.
    const page = (await request(t, `/playlists/${p.id}`)).text
    expect(selected(page, 'audio_format')).toEqual(['opus'])
    expect(page).toContain('next sync: ')
    expect(page).not.toContain('>Saved<')
    // Empty means "back to the server default"; off clears the next sync.
    const reset = await settingsPost(p.id, { audio_format: '', audio_quality: '', sync_interval: 'off' })
    expect(reset.status).toBe(200)
    expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ audio_format: null, audio_quality: null, sync_interval: 'off', next_sync_at: null })
    expect(reset.text).toContain('sync: off')
  })

  test('the same names as the JSON API: a PATCH shows on the page', async () => {
    const p = await seedPlaylist(t)
    const patched = await t.api('PATCH', `/api/playlists/${p.id}`, { audio_format: 'flac', audio_quality: 0, sync_interval: 'weekly' })
    expect(patched.status).toBe(200)
    const page = (await request(t, `/playlists/${p.id}`)).text
    expect(selected(page, 'audio_format')).toEqual(['flac'])
    expect(selected(page, 'audio_quality')).toEqual(['0'])
    expect(selected(page, 'sync_interval')).toEqual(['weekly'])
    expect(page).toContain('(in 7 days)')
  })

  test('a PATCH changes only what it names (no enum default fills the others in)', async () => {
    const p = await seedPlaylist(t)
    await t.api('PATCH', `/api/playlists/${p.id}`, { audio_format: 'opus', sync_interval: 'daily' })
    const before = await findPlaylist(t.ctx.db, p.id)
    for (const patch of [{ audio_quality: 3 }, { max_duration: 600 }, { title_exclude: 'live' }]) {
      expect((await t.api('PATCH', `/api/playlists/${p.id}`, patch)).status).toBe(200)
      expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ audio_format: 'opus', sync_interval: 'daily', next_sync_at: before!.next_sync_at })
    }
    // And a playlist on the server default stays on it.
    const q = await seedPlaylist(t)
    await t.api('PATCH', `/api/playlists/${q.id}`, { audio_quality: 1 })
    expect(await findPlaylist(t.ctx.db, q.id)).toMatchObject({ audio_format: null, audio_quality: 1, sync_interval: 'off' })
  })

  test('invalid values: a 422 fragment for the message line, nothing saved', async () => {
    const p = await seedPlaylist(t)
    const cases: [Record<string, string>, string][] = [
      [{ audio_format: 'wav' }, 'Audio format: one of mp3, m4a, opus, flac, or the server default'],
      [{ audio_quality: '10' }, 'Quality: 0 to 9, or the default'],
      [{ audio_quality: 'best' }, 'Quality: 0 to 9, or the default'],
      [{ sync_interval: 'monthly' }, 'Sync: one of off, hourly, daily, weekly'],
      [{ audio_format: '<script>alert(1)</script>' }, 'Audio format: one of'],
      [{ title_exclude: '(?!x)' }, 'Title not matching: not a valid regular expression: lookahead and lookbehind'],
      [{ title_include: '[' }, 'Title matching: not a valid regular expression'],
      [{ date_after: '2024-13-01' }, 'Uploaded on or after: not a date written YYYY-MM-DD'],
      [{ min_minutes: '10', max_minutes: '5' }, 'At least (minutes): must not be more than the maximum'],
      [{ max_minutes: 'soon' }, 'At most (minutes): a number of minutes, or empty'],
    ]
    for (const [fields, message] of cases) {
      const res = await settingsPost(p.id, { audio_format: '', audio_quality: '', sync_interval: 'off', ...fields })
      expect(res.status).toBe(422)
      expect(res.text).toStartWith('<p class="error" role="alert">')
      expect(res.text).toContain(message)
      expect(res.text).not.toContain('<script>')
    }
    expect(await findPlaylist(t.ctx.db, p.id)).toMatchObject({ audio_format: null, audio_quality: null, sync_interval: 'off' })
    const missing = await settingsPost(424242, { sync_interval: 'off' })
    expect(missing.status).toBe(404)
    expect(missing.text).toContain('playlist 424242 not found')
  })
})

describe('entries gone upstream', () => {
  test('each says since when; the counts line says how many; filters find them', async () => {
    const p = await seedPlaylist(t, { entries: 4 })
    const ids = await videoIds(p.id)
    await updateVideo(t.ctx.db, ids[1], { missing_since: '2026-07-30T10:11:12.000Z' })
    await updateVideo(t.ctx.db, ids[3], { missing_since: '2026-07-31T00:00:00.000Z' })
    const { text } = await request(t, `/playlists/${p.id}`)
    expect(text).toContain('gone upstream since 2026-07-30')
    expect(text).toContain('title="not in the playlist since 2026-07-30 10:11 UTC"')
    expect(text).toContain('gone upstream since 2026-07-31')
    const stats = section(text, `playlist-${p.id}-stats`)
    expect(stats).toMatch(/stat-missing"><dt>gone upstream<\/dt><dd>2<\/dd>/)
    expect(stats).toMatch(/stat-entries"><dt>entries<\/dt><dd>2<\/dd>/)
    const rows = text.match(/<tr id="video-\d+" class="entry missing">/g)
    expect(rows).toHaveLength(2)
    const missing = (await request(t, `/playlists/${p.id}?filter=missing`)).text
    expect(missing.match(/<tr id="video-/g)).toHaveLength(2)
    // None gone: no such count, no such note.
    const clean = await seedPlaylist(t)
    const cleanPage = (await request(t, `/playlists/${clean.id}`)).text
    expect(cleanPage).not.toContain('stat-missing')
    expect(cleanPage).not.toContain('gone upstream since')
  })
})
