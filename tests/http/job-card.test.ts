import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { ItemProgress } from '../../src/db/types'
import { testContext, type TestContext } from '../helpers/context'
import { openingTag, request, seedJob, seedPlaylist } from './ui-helpers'

let t: TestContext
beforeAll(async () => {
  t = await testContext()
})
afterAll(() => t.close())

const card = (id: number) => request(t, `/jobs/${id}/card`)

describe('live job card', () => {
  test('running "both" job: header, both count bars, batch line, running items, controls, polls itself', async () => {
    const p = await seedPlaylist(t, { title: 'My Music' })
    const current: ItemProgress[] = [
      { video_id: 1, title: 'Song A', phase: 'download', percent: 42.7, downloaded_bytes: 1000, total_bytes: 2000, speed: 1536, eta: 65 },
      { video_id: 2, title: 'Song B', phase: 'extract', percent: 10 },
    ]
    const job = await seedJob(t, p.id, 'both', {
      status: 'running',
      download_status: 'running',
      download_total: 10,
      download_completed: 5,
      download_failed: 2,
      batch_total: 100,
      batch_done_before: 20,
      extract_status: 'running',
      extract_total: 5,
      extract_completed: 3,
      current: JSON.stringify(current),
    })
    const res = await card(job.id)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = res.text
    const tag = openingTag(html, `job-${job.id}`)
    expect(tag).toContain(`hx-get="/jobs/${job.id}/card"`)
    expect(tag).toContain('hx-trigger="every 1s"')
    expect(tag).toContain('hx-swap="outerHTML"')
    expect(tag).toContain('hx-status:5xx="swap:none"')
    expect(html).toContain('Playlist: <a href="/playlists/')
    expect(html).toContain('>My Music</a>')
    // Each label is an inline SVG icon and text, no emoji: it needs no emoji font.
    expect(html).toMatch(/<svg class="icon icon-download" aria-hidden="true"[^>]*>.*?<\/svg><span>Downloading<\/span>/)
    expect(html).not.toMatch(/\p{Extended_Pictographic}/u)
    expect(html).toMatch(/<span class="count">5 \/ 10<\/span>/)
    expect(html).toContain('25/100 total (75 remaining)')
    expect(html).toMatch(/<svg class="icon icon-extract" aria-hidden="true"[^>]*>.*?<\/svg><span>Extracting Audio<\/span>/)
    expect(html).toMatch(/<span class="count">3 \/ 5<\/span>/)
    expect(html).toContain('<span class="warn"> · 2 failed</span>')
    // Bars are count-based: no percentage in the phase lines.
    for (const head of html.match(/<div class="phase-head">.*?<\/div>/g) ?? []) expect(head).not.toContain('%')
    expect(html).toContain('<rect class="bar-done" width="50.0%" height="100%"></rect>')
    expect(html).not.toContain('style=') // the Content-Security-Policy allows no inline styles
    // Running items: title, percent, speed, ETA for downloads; percent for extractions.
    expect(html).toMatch(/item-download.*Song A.*42%.*1\.5 KiB\/s.*ETA 1:05/)
    expect(html).toMatch(/item-extract.*Song B.*10%/)
    expect(html).not.toMatch(/item-extract.*Song B.*ETA/)
    expect(html).toContain('data-action="pause"')
    expect(html).toContain('data-action="cancel"')
    // A live card leaves the playlist's buttons alone; its counts and the pool banner ride along.
    expect(html.match(/hx-swap-oob="[^"]*"/g)).toEqual(['hx-swap-oob="true"', 'hx-swap-oob="outerMorph"'])
    expect(openingTag(html, `playlist-${job.playlist_id}-stats`)).toContain('hx-swap-oob="true"')
    expect(openingTag(html, 'download-pool')).toContain('hx-swap-oob="outerMorph"')
  })

  test('a completed phase drops out while the other still shows', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'both', {
      status: 'running',
      download_status: 'completed',
      download_total: 4,
      download_completed: 4,
      extract_status: 'running',
      extract_total: 4,
      extract_completed: 2,
    })
    const { text } = await card(job.id)
    expect(text).not.toContain('phase-download')
    expect(text).toContain('phase-extract')
    expect(text).toContain('hx-trigger="every 1s"')
  })

  test('download-only job shows only the download bar; extract-only only the extraction bar', async () => {
    const p1 = await seedPlaylist(t)
    const d = await seedJob(t, p1.id, 'download', { status: 'running', download_status: 'running', download_total: 3, download_completed: 1 })
    const dl = (await card(d.id)).text
    expect(dl).toContain('phase-download')
    expect(dl).not.toContain('phase-extract')
    const p2 = await seedPlaylist(t)
    const e = await seedJob(t, p2.id, 'extract', { status: 'running', extract_status: 'running', extract_total: 10, extract_completed: 8 })
    const ex = (await card(e.id)).text
    expect(ex).not.toContain('phase-download')
    expect(ex).toMatch(/<span class="count">8 \/ 10<\/span>/)
  })

  test('paused: bars stay, marked paused; Resume instead of Pause', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'both', {
      status: 'paused',
      download_status: 'paused',
      download_total: 3,
      extract_status: 'paused',
      extract_total: 3,
    })
    const { text } = await card(job.id)
    expect(text).toContain('(paused)')
    expect(text).toContain('data-action="resume"')
    expect(text).not.toContain('data-action="pause"')
    expect(text).toContain('hx-trigger="every 1s"')
  })

  test('queued job waits with both bars pending', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'both', {})
    const { text } = await card(job.id)
    expect(text).toContain('data-status="queued"')
    expect(text.match(/class="phase /g)?.length).toBe(2)
    expect(text).toContain('waiting')
  })
})

describe('finished job card: the final render carries no trigger', () => {
  const finished = async (type: 'both' | 'download' | 'extract', patch: Record<string, unknown>) => {
    const p = await seedPlaylist(t, { title: 'Done list' })
    const job = await seedJob(t, p.id, type, { finished_at: new Date().toISOString(), ...patch })
    const res = await card(job.id)
    expect(res.status).toBe(200)
    expect(res.text).not.toContain('hx-trigger')
    expect(res.text).not.toContain('hx-get')
    expect(res.text).not.toContain('class="phase ')
    return { html: res.text, job, p }
  }

  test('both, completed', async () => {
    const { html, p } = await finished('both', {
      status: 'completed',
      download_status: 'completed',
      extract_status: 'completed',
      download_total: 3,
      download_completed: 3,
      extract_total: 3,
      extract_completed: 3,
    })
    expect(html).toContain('✓ Download and extraction completed')
    expect(html).not.toMatch(/<p class="outcome[\s\S]*failed[\s\S]*<\/p>/)
    // Out-of-band: the playlist's counts and its re-enabled buttons.
    expect(openingTag(html, `playlist-${p.id}-stats`)).toContain('hx-swap-oob="true"')
    const actions = html.slice(html.indexOf(`id="playlist-${p.id}-actions"`))
    expect(openingTag(html, `playlist-${p.id}-actions`)).toContain('hx-swap-oob="true"')
    expect(actions).toContain('data-job-type="both"')
    expect(actions).not.toMatch(/<button[^>]*disabled/)
  })

  test('download, completed with failures', async () => {
    const { html } = await finished('download', {
      status: 'completed',
      download_status: 'completed',
      download_total: 5,
      download_completed: 3,
      download_failed: 2,
    })
    expect(html).toContain('✓ Download completed')
    expect(html).toContain('<span class="warn"> · 2 failed</span>')
  })

  test('extract, completed', async () => {
    const { html } = await finished('extract', { status: 'completed', extract_status: 'completed', extract_total: 2, extract_completed: 2 })
    expect(html).toContain('✓ Extraction completed')
  })

  test('extract of an up-to-date playlist: says nothing new, not "Extraction completed"', async () => {
    const { html } = await finished('extract', { status: 'completed', extract_status: 'completed', extract_total: 0 })
    expect(html).toContain('✓ Nothing new to extract')
    expect(html).not.toContain('Extraction completed')
  })

  test('failed: the error, escaped', async () => {
    const { html } = await finished('both', { status: 'failed', download_status: 'failed', error: 'yt-dlp said <b>no</b> & left' })
    expect(html).toContain('✗ Failed')
    expect(html).toContain('yt-dlp said &lt;b&gt;no&lt;/b&gt; &amp; left')
    expect(html).not.toContain('<b>no</b>')
  })

  test('cancelled', async () => {
    const { html } = await finished('both', { status: 'cancelled', download_status: 'running', extract_status: 'running' })
    expect(html).toContain('Cancelled')
    // No job controls left; only the Dismiss that takes a finished card off the home page.
    expect([...html.matchAll(/data-action="([a-z]+)"/g)].map((m) => m[1])).toEqual(['dismiss'])
  })

  test('interrupted: the reason and a Resume button', async () => {
    const { html, job } = await finished('both', { status: 'interrupted', error: 'the server stopped while this job was running' })
    expect(html).toContain('Interrupted')
    expect(html).toContain('the server stopped')
    expect(html).toContain(`hx-post="/jobs/${job.id}/resume"`)
  })
})

describe('card errors', () => {
  test('unknown job: 404 HTML fragment', async () => {
    const res = await card(99999)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.text).toContain('<p class="error" role="alert">job 99999 not found</p>')
  })

  test('cancel of a finished job: 409 fragment', async () => {
    const p = await seedPlaylist(t)
    const job = await seedJob(t, p.id, 'both', { status: 'completed' })
    const res = await request(t, `/jobs/${job.id}/cancel`, { method: 'POST', headers: { 'hx-request': 'true' } })
    expect(res.status).toBe(409)
    expect(res.text).toContain('class="error"')
  })
})
