// Job cards' extras and the site-wide status: Prioritise, the job log, interrupted jobs
// on the home page, the download pool banner and the cookies line.
import { afterAll, afterEach, beforeAll, describe, expect, spyOn, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { addEvent } from '../../src/db/events'
import { findJob, updateJob } from '../../src/db/jobs'
import type { DownloadPoolState } from '../../src/jobs/scheduler'
import { startMediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { openingTag, postForm, request, seedJob, seedPlaylist } from './ui-helpers'
import { waitUntil } from '../helpers/server-process'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})
afterAll(() => t.close())

const XSS = '<script>alert(1)</script>'
/** Seeded "live" rows have no run in the manager (cancel would 409): end them by hand. */
const endSeeded = (id: number) => updateJob(t.ctx.db, id, { status: 'cancelled' })
const prioritise = /<button[^>]*data-action="priority"[^>]*>/

describe('Prioritise', () => {
  test('on queued, running and paused cards of normal priority; never on finished or high-priority ones', async () => {
    for (const status of ['queued', 'running', 'paused'] as const) {
      const p = await seedPlaylist(t)
      const job = await seedJob(t, p.id, 'both', { status })
      const html = (await request(t, `/jobs/${job.id}/card`)).text
      const button = prioritise.exec(html)![0]
      expect(button).toContain(`hx-post="/jobs/${job.id}/priority"`)
      expect(button).toContain('hx-vals="{&#34;priority&#34;:&#34;high&#34;}"')
      expect(button).toContain(`hx-target="#job-${job.id}"`)
      expect(html).not.toContain('high priority')
    }
    for (const status of ['completed', 'failed', 'cancelled', 'interrupted'] as const) {
      const p = await seedPlaylist(t)
      const job = await seedJob(t, p.id, 'both', { status })
      expect((await request(t, `/jobs/${job.id}/card`)).text).not.toMatch(prioritise)
    }
    const p = await seedPlaylist(t)
    const high = await seedJob(t, p.id, 'download', { status: 'running', priority: 'high' })
    const html = (await request(t, `/jobs/${high.id}/card`)).text
    expect(html).not.toMatch(prioritise)
    expect(html).toContain('<span class="chip chip-high">high priority</span>')
  })

  test('the POST raises the priority and answers with the card showing the badge', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'both', { status: 'paused' })
    const res = await postForm(t, `/jobs/${job.id}/priority`, { priority: 'high' })
    expect(res.status).toBe(200)
    expect(openingTag(res.text, `job-${job.id}`)).toContain('hx-trigger="every 1s"')
    expect(res.text).toContain('high priority')
    expect(res.text).not.toMatch(prioritise)
    expect((await findJob(t.ctx.db, job.id))!.priority).toBe('high')
    expect((await t.api('GET', `/api/jobs/${job.id}`)).json.priority).toBe('high')
  })

  test('bad value or unknown job: an error fragment', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'both', { status: 'running' })
    const bad = await postForm(t, `/jobs/${job.id}/priority`, { priority: 'urgent' })
    expect(bad.status).toBe(422)
    expect(bad.text).toMatch(/^<p class="error" role="alert">priority must be one of: normal, high<\/p>$/)
    const gone = await postForm(t, '/jobs/999999/priority', { priority: 'high' })
    expect(gone.status).toBe(404)
    expect(gone.text).toContain('job 999999 not found')
  })
})

describe('job log', () => {
  test('every card and history row links to the log', async () => {
    const p = await seedPlaylist(t)
    const live = await seedJob(t, p.id, 'both', { status: 'running' })
    const card = (await request(t, `/jobs/${live.id}/card`)).text
    expect(card).toContain(`<a class="log-link" href="/jobs/${live.id}/log"`)
    await endSeeded(live.id)
    const done = await seedJob(t, p.id, 'extract', { status: 'completed' })
    expect((await request(t, `/jobs/${done.id}/card`)).text).toContain(`href="/jobs/${done.id}/log"`)
    const page = (await request(t, `/playlists/${p.id}`)).text
    const history = page.slice(page.indexOf('class="history"'))
    expect(history).toContain(`href="/jobs/${done.id}/log"`)
    expect(history).toContain(`href="/jobs/${live.id}/log"`)
  })

  test('the page lists the events in order, with time, coloured level and escaped message', async () => {
    const p = await seedPlaylist(t, { title: `List ${XSS}` })
    const job = await seedJob(t, p.id, 'both', { status: 'failed', error: `yt-dlp: ${XSS}`, finished_at: '2026-08-01T10:00:09.000Z' })
    await addEvent(t.ctx.db, job.id, 'info', 'both job created')
    await addEvent(t.ctx.db, job.id, 'warn', 'rate limited on <b>x</b>')
    await addEvent(t.ctx.db, job.id, 'error', `ERROR: [generic] ${XSS} & "quotes"`)
    const res = await request(t, `/jobs/${job.id}/log`)
    expect(res.status).toBe(200)
    expect(res.text).toStartWith('<!doctype html>')
    expect(res.text).toContain(`<h1>Job #${job.id} log</h1>`)
    expect(res.text).toContain(`href="/playlists/${p.id}"`)
    const rows = [
      ...res.text.matchAll(
        /<tr id="event-\d+" class="event event-(\w+)"><td class="time">([\d-]+ [\d:]+)<\/td><td><span class="level level-(\w+)">(\w+)<\/span><\/td><td class="event-message">(.*?)<\/td><\/tr>/g,
      ),
    ]
    expect(rows.map((r) => r[1])).toEqual(['info', 'warn', 'error'])
    expect(rows.map((r) => r[4])).toEqual(['info', 'warn', 'error'])
    expect(rows[0][2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    expect(rows[1][5]).toBe('rate limited on &lt;b&gt;x&lt;/b&gt;')
    expect(rows[2][5]).toBe('ERROR: [generic] &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;')
    expect(res.text).not.toContain('<script>alert')
    expect(res.text).not.toContain('<b>x</b>')
    expect(res.text).toContain('finished 2026-08-01 10:00 UTC')
    expect(res.text).not.toContain('hx-trigger')
  })

  test('a job without events, and an unknown job (a full 404 page)', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'download', { status: 'completed' })
    expect((await request(t, `/jobs/${job.id}/log`)).text).toContain('No events recorded.')
    const res = await request(t, '/jobs/777777/log')
    expect(res.status).toBe(404)
    expect(res.text).toStartWith('<!doctype html>')
    expect(res.text).toContain('job 777777 not found')
  })

  test('a real job logs what it did', async () => {
    const media = await startMediaServer()
    try {
      const feed = await media.addFeed('logged', {
        title: 'Logged',
        items: [
          { name: 'g1', title: 'G1' },
          { name: 'g2', title: 'G2', kind: 'missing' },
        ],
      })
      const add = await t.addPlaylist(feed)
      const job = await t.api('POST', `/api/playlists/${add.id}/jobs`, { type: 'download' })
      await t.manager.waitFor(job.json.id)
      const { text } = await request(t, `/jobs/${job.json.id}/log`)
      expect(text).toContain('download job created')
      expect(text).toContain('finished: 1 downloaded')
      expect(text).toMatch(/class="event event-(warn|error)"/)
    } finally {
      await media.stop()
    }
  }, 30_000)
})

describe('interrupted jobs on the home page', () => {
  test('listed under "Needs attention" with Resume, not among the running jobs; no section when there are none', async () => {
    // Its own context: recover() below interrupts every running row.
    await using it = await testContext()
    expect((await request(it, '/')).text).not.toContain('Needs attention')
    const p = await seedPlaylist(it, { title: 'Cut off' })
    // As after a restart: the job was running when the server stopped.
    const job = await seedJob(it, p.id, 'both', { status: 'running', download_status: 'running', started_at: new Date().toISOString() })
    await it.manager.recover({ startQueued: false })
    expect((await findJob(it.ctx.db, job.id))!.status).toBe('interrupted')
    const { text } = await request(it, '/')
    const attention = text.slice(text.indexOf('id="needs-attention"'), text.indexOf('id="jobs-heading"'))
    expect(attention).toContain('<h2 id="attention-heading">Needs attention</h2>')
    expect(attention).toContain(`<section id="job-${job.id}"`)
    expect(attention).toContain(`hx-post="/jobs/${job.id}/resume"`)
    expect(attention).toContain('>Cut off</a>')
    const jobs = text.slice(text.indexOf('<div id="jobs"'), text.indexOf('id="library"'))
    expect(jobs).not.toContain(`job-${job.id}`)
    // Nothing polls: the interrupted card is idle.
    expect(text).not.toContain('hx-trigger')
    // Its playlist's buttons stay enabled (an interrupted job is not active).
    expect(text.slice(text.indexOf(`id="playlist-${p.id}-actions"`)).match(/<button[^>]*data-job-type="both"[^>]*>/)![0]).not.toContain('disabled')
    // Resume from there: the card comes back live, in place.
    const resumed = await postForm(it, `/jobs/${job.id}/resume`)
    expect(resumed.status).toBe(200)
    expect(openingTag(resumed.text, `job-${job.id}`)).toContain('hx-trigger="every 1s"')
    await it.manager.cancel(job.id)
    expect((await request(it, '/')).text).not.toContain('Needs attention')
  })
})

describe('download pool banner', () => {
  let spy: ReturnType<typeof spyOn> | null = null
  afterEach(() => {
    spy?.mockRestore()
    spy = null
  })
  const pool = (state: Partial<DownloadPoolState>) => {
    spy = spyOn(t.manager, 'downloadPool').mockReturnValue({
      paused: false,
      reason: null,
      until: null,
      consecutive_rate_limits: 0,
      disk_free_bytes: null,
      window: null,
      window_opens_at: null,
      ...state,
    })
  }

  test('idle: an empty slot on every page, no banner', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'download', { status: 'completed' })
    for (const path of ['/', `/playlists/${p.id}`, `/jobs/${job.id}/log`, '/playlists/55555']) {
      const { text } = await request(t, path)
      expect(text).toContain('<main class="page"><div id="download-pool" class="pool-idle"></div>')
      expect(text).not.toContain('Resume downloads')
    }
  })

  test('backing off: a quiet note with the time, no button', async () => {
    const until = new Date(Date.now() + 90_000).toISOString()
    pool({ until, reason: 'Rate limited by the site: downloads wait 90 s before trying again.', consecutive_rate_limits: 1 })
    const { text } = await request(t, '/')
    expect(openingTag(text, 'download-pool')).toBe('<div id="download-pool" class="pool-banner pool-backoff" role="status">')
    expect(text).toContain(`Rate limited by the site: downloads wait until ${until.slice(0, 10)} ${until.slice(11, 16)} UTC (in 90 s).`)
    expect(text).not.toContain('Resume downloads')
  })

  test('outside DOWNLOAD_WINDOW: a quiet note with the window and its next opening', async () => {
    const opens = new Date(Date.now() + 3 * 3600_000).toISOString()
    pool({ window: '01:00–07:00', window_opens_at: opens })
    const { text } = await request(t, '/')
    expect(openingTag(text, 'download-pool')).toBe('<div id="download-pool" class="pool-banner pool-window" role="status">')
    expect(text).toContain(`Outside the download window (01:00–07:00, server time): downloads start ${opens.slice(0, 10)} ${opens.slice(11, 16)} UTC (in 3 h).`)
    expect(text).not.toContain('Resume downloads')
  })

  test('paused: on every page a banner with the reason (escaped) and Resume downloads; polled cards bring it along', async () => {
    pool({ paused: true, reason: `Downloads paused: ${XSS}`, consecutive_rate_limits: 3, until: new Date(Date.now() + 5000).toISOString() })
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'download', { status: 'running' })
    for (const path of ['/', `/playlists/${p.id}`, `/jobs/${job.id}/log`]) {
      const { text } = await request(t, path)
      expect(openingTag(text, 'download-pool')).toBe('<div id="download-pool" class="pool-banner pool-paused" role="alert">')
      expect(text).toContain('Downloads paused: &lt;script&gt;alert(1)&lt;/script&gt;')
      const button = /<button[^>]*data-action="resume-downloads"[^>]*>Resume downloads<\/button>/.exec(text)![0]
      expect(button).toContain('hx-post="/downloads/resume"')
      expect(button).toContain('hx-target="#download-pool"')
      expect(text).not.toContain('wait until')
    }
    const card = (await request(t, `/jobs/${job.id}/card`)).text
    expect(openingTag(card, 'download-pool')).toBe('<div id="download-pool" class="pool-banner pool-paused" role="alert" hx-swap-oob="outerMorph">')
    await endSeeded(job.id)
  })

  test('Resume downloads calls the manager and answers with the empty slot', async () => {
    pool({ paused: true, reason: 'Downloads paused.' })
    const resume = spyOn(t.manager, 'resumeDownloads')
    try {
      const res = await postForm(t, '/downloads/resume')
      expect(res.status).toBe(200)
      expect(resume).toHaveBeenCalledTimes(1)
      expect(res.text).toBe('<div id="download-pool" class="pool-idle"></div>')
    } finally {
      resume.mockRestore()
    }
  })

  test('a real pause (repeated 429s): the banner shows; Resume downloads clears it and the job completes', async () => {
    const media = await startMediaServer()
    const rt = await testContext({ RATE_LIMIT_BACKOFF_SECONDS: '0.2' })
    try {
      const feed = await media.addFeed('blocked-ui', {
        title: 'Blocked',
        items: [
          { name: 'b1', title: 'b1', kind: 'error429' },
          { name: 'b2', title: 'b2' },
        ],
      })
      const add = await rt.addPlaylist(feed)
      const job = await rt.startJob(add.id, 'download')
      await waitUntil('the pool to pause', async () => rt.manager.downloadPool().paused, 30_000)
      const page = (await request(rt, '/')).text
      expect(openingTag(page, 'download-pool')).toContain('pool-paused')
      expect(page).toContain('too many requests')
      const card = (await request(rt, `/jobs/${job.id}/card`)).text
      expect(card).toContain('pool-paused')
      media.setKind('b1', 'video')
      const res = await postForm(rt, '/downloads/resume')
      expect(res.text).toBe('<div id="download-pool" class="pool-idle"></div>')
      expect((await request(rt, '/')).text).not.toContain('pool-paused')
      expect(await rt.manager.waitFor(job.id)).toMatchObject({ status: 'completed', download_completed: 2 })
    } finally {
      await rt.close()
      await media.stop()
    }
  }, 60_000)
})

describe('cookies status line', () => {
  test('"cookies: not set" by default', async () => {
    const { text } = await request(t, '/')
    expect(text).toContain('<a class="cookies-status" href="/settings/cookies">cookies: not set</a>')
    // And the free space where the archive lives.
    expect(text).toMatch(/<span class="disk-status"> · disk: [\d.]+ [KMGT]iB free<\/span>/)
  })

  test('"cookies: set" when COOKIES_FILE is set, never its path or content', async () => {
    const path = join(t.dataDir, 'secret-cookies.txt')
    writeFileSync(path, '# Netscape HTTP Cookie File\n.example.com\tTRUE\t/\tFALSE\t0\tSID\tsecret-session-value\n')
    await using ct = await testContext({ COOKIES_FILE: path })
    const { text } = await request(ct, '/')
    expect(text).toContain('<a class="cookies-status" href="/settings/cookies">cookies: set</a>')
    expect(text).not.toContain('secret-cookies')
    expect(text).not.toContain('secret-session-value')
    expect((await request(ct, '/jobs/1/log')).text).not.toContain('secret')
  })
})
