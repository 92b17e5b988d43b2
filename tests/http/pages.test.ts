import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { updateVideo } from '../../src/db/videos'
import { testContext, type TestContext } from '../helpers/context'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { entry, openingTag, postForm, request, seedJob, seedPlaylist } from './ui-helpers'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})
afterAll(() => t.close())

const XSS = '<script>alert(1)</script>'

describe('home page', () => {
  test('an empty library: the form, no jobs, and nothing that polls', async () => {
    const res = await request(t, '/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.text).toStartWith('<!doctype html>')
    expect(res.text).toContain('<form id="add-playlist" hx-post="/playlists"')
    expect(res.text).toContain('No playlists yet')
    expect(res.text).not.toContain('hx-trigger')
  })

  test('assets come from the app itself, versioned, cached for a year', async () => {
    const { text } = await request(t, '/')
    const css = /<link rel="stylesheet" href="(\/assets\/app-[a-z0-9]+\.css)"/.exec(text)?.[1]
    const js = /<script src="(\/assets\/htmx-4\.0\.1\.min\.js)"/.exec(text)?.[1]
    expect(css).toBeDefined()
    expect(js).toBeDefined()
    expect(text).not.toMatch(/<script src="https?:/)
    const cssRes = await request(t, css!)
    expect(cssRes.status).toBe(200)
    expect(cssRes.headers.get('content-type')).toContain('text/css')
    expect(cssRes.headers.get('cache-control')).toContain('immutable')
    expect(cssRes.text).toContain('prefers-color-scheme: dark')
    const jsRes = await request(t, js!)
    expect(jsRes.status).toBe(200)
    expect(jsRes.headers.get('content-type')).toContain('javascript')
    expect(jsRes.text).toStartWith('var htmx=')
    expect((await request(t, '/assets/app-stale.css')).status).toBe(404)
    // An icon of its own, so browsers do not log a 404 for /favicon.ico.
    const icon = /<link rel="icon" href="(\/assets\/favicon-[a-z0-9]+\.svg)" type="image\/svg\+xml"/.exec(text)?.[1]
    const iconRes = await request(t, icon!)
    expect([iconRes.status, iconRes.headers.get('content-type')]).toEqual([200, 'image/svg+xml'])
    expect(iconRes.text).toStartWith('<svg')
    const legacy = await request(t, '/favicon.ico')
    expect([legacy.status, legacy.headers.get('location')]).toEqual([301, icon!])
  })

  test('playlists with their counts; buttons disabled only while the playlist has a live job', async () => {
    const idle = await seedPlaylist(t, { title: 'Idle list', entries: 4 })
    const busy = await seedPlaylist(t, { title: 'Busy list', entries: 2 })
    await updateVideo(t.ctx.db, 1, { download_state: 'downloaded', extract_state: 'extracted' })
    await updateVideo(t.ctx.db, 2, { download_state: 'failed', error: 'HTTP 404' })
    const job = await seedJob(t, busy.id, 'both', { status: 'running', download_status: 'running', extract_status: 'running', download_total: 2 })
    const { text } = await request(t, '/')
    const idleRow = text.slice(text.indexOf(`id="playlist-${idle.id}"`), text.indexOf(`id="playlist-${busy.id}"`))
    const busyRow = text.slice(text.indexOf(`id="playlist-${busy.id}"`))
    expect(idleRow).toContain('Idle list')
    expect(idleRow).toMatch(/<dt>entries<\/dt><dd>4<\/dd>/)
    expect(idleRow).toMatch(/<dt>downloaded<\/dt><dd>1<\/dd>/)
    expect(idleRow).toMatch(/<dt>extracted<\/dt><dd>1<\/dd>/)
    expect(idleRow).toMatch(/stat-failed warn"><dt>failed<\/dt><dd>1<\/dd>/)
    expect(idleRow.match(/<button[^>]*data-job-type="(download|extract|both)"[^>]*>/g)!.every((b) => !b.includes('disabled'))).toBe(true)
    const busyButtons = busyRow.match(/<button[^>]*data-job-type="(download|extract|both)"[^>]*>/g)!
    expect(busyButtons).toHaveLength(3)
    expect(busyButtons.every((b) => b.includes(' disabled'))).toBe(true)
    // The live job has a card that polls; only that card does.
    expect(openingTag(text, `job-${job.id}`)).toContain('hx-trigger="every 1s"')
    expect(text.match(/hx-trigger=/g)).toHaveLength(1)
    await t.manager.cancel(job.id).catch(() => {})
  })
})

describe('everything remote is escaped', () => {
  test('titles, uploader names, errors and URLs', async () => {
    const p = await seedPlaylist(t, {
      title: XSS,
      uploader: '<img src=x onerror=alert(2)>',
      url: 'https://media.example/list?a=1&b="><script>alert(3)</script>',
      entries: [entry(1, { title: XSS, uploader: '<b>up</b>', source_url: 'https://media.example/v?x="><script>alert(4)</script>' })],
    })
    const v = (await t.ctx.db.selectFrom('videos').select('id').where('playlist_id', '=', p.id).executeTakeFirstOrThrow()).id
    await updateVideo(t.ctx.db, v, { download_state: 'failed', error: '<script>alert(5)</script>' })
    const job = await seedJob(t, p.id, 'both', {
      status: 'running',
      download_status: 'running',
      current: JSON.stringify([{ video_id: v, title: XSS, phase: 'download', percent: 1 }]),
    })
    for (const path of ['/', `/playlists/${p.id}`, `/jobs/${job.id}/card`]) {
      // Inside a quoted attribute only '"' can break out, and Kita escapes it (&#34;).
      const text = (await request(t, path)).text.replace(/="[^"]*"/g, '=""')
      expect(text).not.toContain('<script>alert')
      expect(text).not.toContain('<img src=x')
      expect(text).not.toContain('<b>up</b>')
      expect(text).not.toContain('<i>batch</i>')
      expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
    const page = (await request(t, `/playlists/${p.id}`)).text
    expect(page).toContain('&lt;script&gt;alert(5)&lt;/script&gt;')
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;')
    expect(page).toContain('href="https://media.example/v?x=&#34;><script>alert(4)</script>"')
    expect(page).toContain('href="https://media.example/list?a=1&b=&#34;><script>alert(3)</script>"')
    await t.manager.cancel(job.id).catch(() => {})
  })

  test('non-http links are not rendered as links', async () => {
    const p = await seedPlaylist(t, { entries: [entry(1, { title: 'js', source_url: 'javascript:alert(1)' })] })
    const { text } = await request(t, `/playlists/${p.id}`)
    expect(text).not.toContain('href="javascript:')
    expect(text).toContain('<span>js</span>')
  })

  test('xss-scan finds nothing in views/ and src/', async () => {
    const files = [...new Bun.Glob('views/**/*.tsx').scanSync('.'), ...new Bun.Glob('src/**/*.tsx').scanSync('.')]
    expect(files.length).toBeGreaterThan(5)
    // Run under Bun, not the machine's node: Node 18 cannot require() the CLI's ESM dependencies.
    const cli = require.resolve('@kitajs/ts-html-plugin/dist/cli.js')
    const proc = Bun.spawn([process.execPath, cli, ...files], { stdout: 'pipe', stderr: 'pipe' })
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    expect(`${out}${err}`).toContain('No XSS vulnerabilities found')
    expect(code).toBe(0)
    // A type-check of every view: about 20 s on a quiet machine, three times that under load.
  }, 180_000)
})

describe('playlist page', () => {
  let big: number
  beforeAll(async () => {
    const p = await seedPlaylist(t, { title: 'Huge', entries: 5000 })
    big = p.id
    const ids = (await t.ctx.db.selectFrom('videos').select('id').where('playlist_id', '=', big).orderBy('position').execute()).map((r) => r.id)
    await updateVideo(t.ctx.db, ids[9], { download_state: 'failed', error: 'HTTP Error 403: Forbidden' })
    await updateVideo(t.ctx.db, ids[19], { missing_since: new Date().toISOString() })
    await updateVideo(t.ctx.db, ids[0], {
      download_state: 'downloaded',
      extract_state: 'extracted',
      video_path: 'Huge/videos/a.mp4',
      audio_path: 'Huge/audio/a.mp3',
    })
  })

  test('5,000 entries are paginated: 100 rows per page, in playlist order', async () => {
    const { status, text } = await request(t, `/playlists/${big}`)
    expect(status).toBe(200)
    expect(text.match(/<tr id="video-/g)).toHaveLength(100)
    expect(text).toContain('1–100 of 5000')
    expect(text).toContain(`href="/playlists/${big}?offset=100#entries" rel="next"`)
    const positions = [...text.matchAll(/<tr id="video-\d+"[^>]*><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]))
    expect(positions).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    const last = await request(t, `/playlists/${big}?offset=4900`)
    expect(last.text.match(/<tr id="video-/g)).toHaveLength(100)
    expect(last.text).toContain('4901–5000 of 5000')
    expect(last.text).not.toContain('rel="next"')
    expect(last.text).toContain('rel="prev"')
  })

  test('per-phase state icons, the failure reason, a player and a download link for extracted items', async () => {
    const { text } = await request(t, `/playlists/${big}`)
    expect(text).toContain('aria-label="download: downloaded"')
    expect(text).toContain('aria-label="extract: extracted"')
    expect(text).toContain('aria-label="download: failed"')
    expect(text).toContain('HTTP Error 403: Forbidden')
    expect(text).toContain('gone upstream')
    expect(text.match(/<audio /g)).toHaveLength(1)
    // The player's id lets a morph keep it (and its playback) across refreshes.
    expect(text).toMatch(/<audio id="audio-(\d+)" controls="" preload="none" src="\/media\/\1\/audio"/)
    expect(text).toMatch(/href="\/media\/\d+\/audio\?download=1" download=""/)
  })

  test('filters: failed and gone upstream', async () => {
    const failed = await request(t, `/playlists/${big}?filter=failed`)
    expect(failed.text.match(/<tr id="video-/g)).toHaveLength(1)
    expect(failed.text).toContain('HTTP Error 403')
    expect(failed.text).toMatch(/class="filter active" aria-current="page" data-filter="failed"/)
    const missing = await request(t, `/playlists/${big}?filter=missing`)
    expect(missing.text.match(/<tr id="video-/g)).toHaveLength(1)
    expect(missing.text).toContain('<td class="num">20</td>')
    expect((await request(t, `/playlists/${big}?filter=bogus`)).status).toBe(422)
  })

  test('search: title or uploader, literal, within the filter, kept by the pager and filter links', async () => {
    const hit = await request(t, `/playlists/${big}?q=entry 4999`)
    expect(hit.text.match(/<tr id="video-/g)).toHaveLength(1)
    expect(hit.text).toContain('<td class="num">4999</td>')
    // A substring: "Entry 12" also finds 120–129 and 1200–1299 (111 rows), paginated with the search kept.
    const many = await request(t, `/playlists/${big}?q=Entry 12`)
    expect(many.text).toContain('1–100 of 111')
    expect(many.text).toContain(`href="/playlists/${big}?q=Entry+12&offset=100#entries" rel="next"`)
    expect(many.text).toContain(`href="/playlists/${big}?filter=failed&q=Entry+12#entries"`)
    expect(many.text).toMatch(/<input type="search" name="q" value="Entry 12"/)
    // % and _ are literal, not wildcards; the echoed search is escaped.
    expect((await request(t, `/playlists/${big}?q=${encodeURIComponent('%')}`)).text).toContain('No entries here.')
    const hostile = await request(t, `/playlists/${big}?q=${encodeURIComponent('"><script>x</script>')}`)
    // The quote is escaped, so the text stays inside the attribute (the only place it appears).
    expect(hostile.text).toContain('<input type="search" name="q" value="&#34;><script>x</script>" maxlength="200"')
    expect(hostile.text.split('<script>x</script>')).toHaveLength(2)
    // Uploaders are searched too, ignoring case.
    const third = (await t.ctx.db.selectFrom('videos').select('id').where('playlist_id', '=', big).where('position', '=', 3).executeTakeFirstOrThrow()).id
    await updateVideo(t.ctx.db, third, { uploader: 'Zed Quux' })
    expect((await request(t, `/playlists/${big}?q=quux`)).text.match(/<tr id="video-/g)).toHaveLength(1)
    // Within a filter; the API takes it too.
    expect((await request(t, `/playlists/${big}?filter=failed&q=entry 10`)).text.match(/<tr id="video-/g)).toHaveLength(1)
    const api = await t.api('GET', `/api/playlists/${big}?q=entry 4999`)
    expect([api.json.videos_total, api.json.q]).toEqual([1, 'entry 4999'])
    expect((await request(t, `/playlists/${big}?q=${'x'.repeat(201)}`)).status).toBe(422)
  })

  test('job history, newest first', async () => {
    const p = await seedPlaylist(t, { title: 'History' })
    await seedJob(t, p.id, 'download', { status: 'completed', download_status: 'completed', download_total: 3, download_completed: 3 })
    await seedJob(t, p.id, 'extract', { status: 'failed', extract_status: 'failed', error: 'ffmpeg missing' })
    const { text } = await request(t, `/playlists/${p.id}`)
    const rows = [...text.matchAll(/<tr id="history-(\d+)">/g)].map((m) => Number(m[1]))
    expect(rows).toHaveLength(2)
    expect(rows[0]).toBeGreaterThan(rows[1])
    expect(text).toContain('ffmpeg missing')
  })

  test('the entries section refreshes itself only while a job of the playlist is live', async () => {
    const p = await seedPlaylist(t, { title: 'Live entries', entries: 3 })
    const resting = await request(t, `/playlists/${p.id}`)
    expect(openingTag(resting.text, 'entries')).toContain('hx-trigger="entries-changed from:body"')
    expect(openingTag(resting.text, 'entries')).not.toContain('every')
    const job = await seedJob(t, p.id, 'both', { status: 'running', download_status: 'running', extract_status: 'running' })
    const live = await request(t, `/playlists/${p.id}?filter=pending`)
    const tag = openingTag(live.text, 'entries')
    expect(tag).toContain(`hx-get="/playlists/${p.id}/entries?filter=pending"`)
    expect(tag).toContain('hx-trigger="every 2s"')
    expect(tag).toContain('hx-swap="outerMorph"')
    // The fragment is the section alone, in the same state.
    const fragment = await request(t, `/playlists/${p.id}/entries?filter=pending`)
    expect(fragment.status).toBe(200)
    expect(fragment.text).toStartWith('<section id="entries"')
    expect(fragment.text.match(/<tr id="video-/g)).toHaveLength(3)
    expect(openingTag(fragment.text, 'entries')).toContain('hx-trigger="every 2s"')
    // Once the job has ended, the next refresh carries no timer: polling stops.
    await t.ctx.db.updateTable('jobs').set({ status: 'completed' }).where('id', '=', job.id).execute()
    const ended = await request(t, `/playlists/${p.id}/entries?filter=pending`)
    expect(openingTag(ended.text, 'entries')).not.toContain('every')
    expect((await request(t, `/playlists/${p.id}/entries?offset=-1`)).status).toBe(422)
    expect((await request(t, '/playlists/424242/entries')).status).toBe(404)
  })

  test('the job history wakes on a job start, follows the live job, and rests once it ends', async () => {
    const p = await seedPlaylist(t, { title: 'Live history', entries: 2 })
    const resting = await request(t, `/playlists/${p.id}`)
    expect(resting.text).toContain('No jobs yet.')
    const tag = openingTag(resting.text, 'history')
    expect(tag).toContain(`hx-get="/playlists/${p.id}/history"`)
    expect(tag).toContain('hx-trigger="entries-changed from:body"')
    expect(tag).not.toContain('every')
    // What the start's `entries-changed` fetches: the new job, and a timer while it is live.
    const job = await seedJob(t, p.id, 'both', { status: 'running', download_status: 'running', download_total: 12, download_completed: 2 })
    const live = await request(t, `/playlists/${p.id}/history`)
    expect(live.status).toBe(200)
    expect(live.text).toStartWith('<section id="history"')
    expect(openingTag(live.text, 'history')).toContain('hx-trigger="every 2s"')
    expect(live.text).toContain(`<tr id="history-${job.id}">`)
    expect(live.text).toContain('chip-running')
    // A page opened mid-job polls too, so "running 2/12" does not stay forever.
    expect(openingTag((await request(t, `/playlists/${p.id}`)).text, 'history')).toContain('hx-trigger="every 2s"')
    await t.ctx.db.updateTable('jobs').set({ status: 'completed', download_status: 'completed', download_completed: 12 }).where('id', '=', job.id).execute()
    const ended = await request(t, `/playlists/${p.id}/history`)
    expect(ended.text).toContain('chip-completed')
    expect(ended.text).toContain('12 / 12')
    expect(openingTag(ended.text, 'history')).toContain('hx-trigger="entries-changed from:body"')
    expect((await request(t, '/playlists/424242/history')).status).toBe(404)
  })

  test('links to the exports: M3U and the podcast feed', async () => {
    const { text } = await request(t, `/playlists/${big}`)
    expect(text).toContain(`<a href="/playlists/${big}/playlist.m3u8" download="playlist.m3u8">an M3U playlist</a>`)
    expect(text).toContain(`<a href="/playlists/${big}/podcast.xml" rel="alternate" type="application/rss+xml">a podcast feed</a>`)
    const feed = await request(t, `/playlists/${big}/podcast.xml`)
    expect(feed.status).toBe(200)
    expect(feed.text).toStartWith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"')
    expect((await request(t, '/playlists/424242/podcast.xml')).status).toBe(404)
  })

  test('an unknown playlist is a full 404 page', async () => {
    const res = await request(t, '/playlists/424242')
    expect(res.status).toBe(404)
    expect(res.text).toStartWith('<!doctype html>')
    expect(res.text).toContain('playlist 424242 not found')
  })
})

describe('form endpoints', () => {
  let media: MediaServer
  beforeAll(async () => {
    media = await startMediaServer()
  })
  afterAll(() => media.stop())

  test('bad URL: a 422 error fragment for the form', async () => {
    const res = await postForm(t, '/playlists', { url: 'not a url' })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.text).toMatch(/^<p class="error" role="alert">.+<\/p>$/)
  })

  test('missing field: a 422 fragment, not JSON', async () => {
    const res = await postForm(t, '/playlists', {})
    expect(res.status).toBe(422)
    expect(res.text).toStartWith('<p class="error"')
  })

  test('unreadable playlist: 422 fragment', async () => {
    const res = await postForm(t, '/playlists', { url: `${media.url}/feeds/absent.xml` })
    expect(res.status).toBe(422)
    expect(res.text).toStartWith('<p class="error"')
  }, 30_000)

  test('success: a notice, the library out-of-band, the input cleared; a duplicate is a 409 fragment', async () => {
    const feed = await media.addFeed('forms', {
      title: 'Form <Feed>',
      items: [
        { name: 'f1', title: 'One' },
        { name: 'f2', title: 'Two' },
      ],
    })
    const res = await postForm(t, '/playlists', { url: feed })
    expect(res.status).toBe(200)
    // A plain add (no `start`): the notice links to the playlist.
    expect(res.text).toMatch(/<p class="notice" role="status">Added <a href="\/playlists\/\d+">Form &lt;Feed&gt;<\/a><span> \(2 entries\).<\/span><\/p>/)
    expect(openingTag(res.text, 'library')).toContain('hx-swap-oob="true"')
    expect(res.text).toContain('Form &lt;Feed&gt;</a>')
    expect(openingTag(res.text, 'playlist-url')).toContain('hx-swap-oob="true"')
    const again = await postForm(t, '/playlists', { url: feed })
    expect(again.status).toBe(409)
    expect(again.text).toContain('already added')
  }, 30_000)

  test('starting a job returns its card and the buttons out-of-band; a bad type is a 422 fragment', async () => {
    const p = await seedPlaylist(t, { title: 'Start me', url: `${media.url}/feeds/start.xml` })
    await media.addFeed('start', { title: 'Start me', items: [{ name: 's1', title: 'S1' }] })
    // Something to extract (its file is not there, so the item fails at once; no network).
    const first = (await t.ctx.db.selectFrom('videos').select('id').where('playlist_id', '=', p.id).orderBy('position').executeTakeFirstOrThrow()).id
    await updateVideo(t.ctx.db, first, { download_state: 'downloaded' })
    const res = await postForm(t, `/playlists/${p.id}/jobs`, { type: 'extract' })
    expect(res.status).toBe(200)
    // Wakes the playlist page's entries section, which then refreshes while the job runs.
    expect(res.headers.get('hx-trigger')).toBe('entries-changed')
    const jobId = Number(/id="job-(\d+)"/.exec(res.text)![1])
    expect(res.text).toContain('Playlist: <a')
    const actions = res.text.slice(res.text.indexOf(`id="playlist-${p.id}-actions"`))
    expect(openingTag(res.text, `playlist-${p.id}-actions`)).toContain('hx-swap-oob="true"')
    expect(actions).toContain('data-job-type="both"')
    await t.manager.waitFor(jobId)
    const bad = await postForm(t, `/playlists/${p.id}/jobs`, { type: 'everything' })
    expect(bad.status).toBe(422)
    expect(bad.text).toContain('type must be one of')
  }, 30_000)

  test('pause, resume and cancel a real job through the card buttons', async () => {
    const items = Array.from({ length: 3 }, (_, i) => ({ name: `pc${i}`, title: `PC ${i}`, seconds: 4 }))
    const feed = await media.addFeed('controls', { title: 'Controls', items })
    using _slow = media.throttled(20_000)
    const added = await postForm(t, '/playlists', { url: feed })
    expect(added.status).toBe(200)
    const pid = Number(/href="\/playlists\/(\d+)">Controls<\/a>/.exec(added.text)![1])
    const started = await postForm(t, `/playlists/${pid}/jobs`, { type: 'both' })
    const jobId = Number(/id="job-(\d+)"/.exec(started.text)![1])
    expect(started.text).toMatch(new RegExp(`id="playlist-${pid}-actions" hx-swap-oob="true"`))
    expect(started.text.slice(started.text.indexOf(`id="playlist-${pid}-actions"`)).match(/<button[^>]*disabled/g)).toHaveLength(3)
    const paused = await postForm(t, `/jobs/${jobId}/pause`)
    expect(paused.status).toBe(200)
    expect(paused.text).toContain('data-status="paused"')
    expect(paused.text).toContain('data-action="resume"')
    expect(openingTag(paused.text, `job-${jobId}`)).toContain('hx-trigger="every 1s"')
    const resumed = await postForm(t, `/jobs/${jobId}/resume`)
    expect(resumed.text).toContain('data-status="running"')
    const cancelled = await postForm(t, `/jobs/${jobId}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.text).toContain('Cancelled')
    expect(cancelled.text).not.toContain('hx-trigger')
    const buttons = cancelled.text.slice(cancelled.text.indexOf(`id="playlist-${pid}-actions"`)).match(/<button[^>]*>/g)!
    expect(buttons.every((b) => !b.includes('disabled'))).toBe(true)
  }, 60_000)

  test('several live jobs: each card polls only its own URL', async () => {
    const a = await seedPlaylist(t)
    const b = await seedPlaylist(t)
    const ja = await seedJob(t, a.id, 'download', { status: 'running', download_status: 'running' })
    const jb = await seedJob(t, b.id, 'extract', { status: 'running', extract_status: 'running' })
    const { text } = await request(t, '/')
    expect(openingTag(text, `job-${ja.id}`)).toContain(`hx-get="/jobs/${ja.id}/card"`)
    expect(openingTag(text, `job-${jb.id}`)).toContain(`hx-get="/jobs/${jb.id}/card"`)
    const polled = [...text.matchAll(/hx-get="(\/jobs\/\d+\/card)"/g)].map((m) => m[1])
    expect(new Set(polled).size).toBe(polled.length)
  })

  test('a second start while a job is live: a 409 fragment for the line under the buttons', async () => {
    const p = await seedPlaylist(t)
    await seedJob(t, p.id, 'both', { status: 'running' })
    const res = await postForm(t, `/playlists/${p.id}/jobs`, { type: 'both' })
    expect(res.status).toBe(409)
    expect(res.text).toContain('already has an active job')
    const { text } = await request(t, '/')
    expect(openingTag(text, `playlist-${p.id}-actions-message`)).toBeDefined()
    expect(text).toContain(`hx-status:4xx="target:#playlist-${p.id}-actions-message swap:innerHTML"`)
  })

  test('Extract before any download: a 409 notice, no job, no folder', async () => {
    const p = await seedPlaylist(t, { title: 'Never downloaded' })
    const res = await postForm(t, `/playlists/${p.id}/jobs`, { type: 'extract' })
    expect(res.status).toBe(409)
    expect(res.text).toBe('<p class="error" role="alert">nothing to extract: download first</p>')
    expect(res.headers.get('hx-trigger')).toBeNull()
    expect(await t.ctx.db.selectFrom('jobs').select('id').where('playlist_id', '=', p.id).execute()).toEqual([])
    expect(existsSync(join(t.dataDir, p.folder))).toBe(false)
  })
})
