import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { addEvent } from '../../src/db/events'
import type { JobRow, JobStatus, JobType } from '../../src/db/types'
import { testContext, type TestContext } from '../helpers/context'
import { openingTag, postForm, request, seedJob, seedPlaylist } from './ui-helpers'

let t: TestContext
const hour = 3600_000
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

// One active job per playlist is the rule, so each seeded job is finished as it is made.
async function finished(playlistId: number, type: JobType, status: JobStatus = 'completed', endedAgo = 60_000): Promise<JobRow> {
  return seedJob(t, playlistId, type, { status, started_at: ago(endedAgo + 1000), finished_at: ago(endedAgo) })
}

let a: number
let b: number
const ids: number[] = []
beforeAll(async () => {
  t = await testContext()
  a = (await seedPlaylist(t, { title: 'Alpha <list>' })).id
  b = (await seedPlaylist(t, { title: 'Beta' })).id
  ids.push((await finished(a, 'download')).id)
  ids.push((await finished(a, 'both', 'failed')).id)
  ids.push((await finished(b, 'extract')).id)
  ids.push((await finished(b, 'both', 'cancelled')).id)
  ids.push((await finished(a, 'both')).id)
})
afterAll(() => t.close())

const listIds = (json: { id: number }[]) => json.map((j) => j.id)

describe('GET /api/jobs: pages and filters', () => {
  test('limit and offset page through the jobs newest first; X-Total-Count has the total', async () => {
    const res = await request(t, '/api/jobs?limit=2&offset=1')
    expect(res.status).toBe(200)
    expect(listIds(JSON.parse(res.text))).toEqual([ids[3], ids[2]])
    expect(res.headers.get('x-total-count')).toBe('5')
    const rest = await request(t, '/api/jobs?limit=2&offset=4')
    expect(listIds(JSON.parse(rest.text))).toEqual([ids[0]])
  })

  test('type, status and playlist_id narrow the list and its total', async () => {
    const both = await request(t, '/api/jobs?type=both')
    expect(listIds(JSON.parse(both.text))).toEqual([ids[4], ids[3], ids[1]])
    expect(both.headers.get('x-total-count')).toBe('3')
    const combined = await request(t, `/api/jobs?type=both&status=completed,failed&playlist_id=${a}`)
    expect(listIds(JSON.parse(combined.text))).toEqual([ids[4], ids[1]])
    expect(combined.headers.get('x-total-count')).toBe('2')
  })

  test('a wrong type or offset is a 4xx with the reason', async () => {
    const bad = await t.api('GET', '/api/jobs?type=upload')
    expect(bad.status).toBe(422)
    expect(bad.json.error).toContain('type must be one of')
    const neg = await t.api('GET', '/api/jobs?offset=-1')
    expect(neg.status).toBe(422)
    expect(neg.json.error).toContain('offset')
  })
})

describe('dismissing a finished job', () => {
  test('POST /api/jobs/:id/dismiss stores when; a live job is a 409, an unknown one a 404', async () => {
    const p = await seedPlaylist(t)
    const done = await finished(p.id, 'download')
    const res = await t.api('POST', `/api/jobs/${done.id}/dismiss`)
    expect(res.status).toBe(200)
    expect(res.json.id).toBe(done.id)
    expect(Date.parse(res.json.dismissed_at)).toBeGreaterThan(Date.now() - 60_000)
    const again = await t.api('POST', `/api/jobs/${done.id}/dismiss`)
    expect(again.json.dismissed_at).toBe(res.json.dismissed_at)

    const live = await seedJob(t, p.id, 'download', { status: 'paused' })
    const refused = await t.api('POST', `/api/jobs/${live.id}/dismiss`)
    expect(refused.status).toBe(409)
    expect(refused.json.error).toContain('still paused')
    expect((await t.api('POST', '/api/jobs/999999/dismiss')).status).toBe(404)
  })

  test('the home page shows finished cards of the last day until dismissed, with a Dismiss button', async () => {
    const p = await seedPlaylist(t, { title: 'Gamma' })
    const old = await finished(p.id, 'download', 'completed', 25 * hour)
    const recent = await finished(p.id, 'download', 'failed', 2 * hour)
    const home = await request(t, '/')
    expect(home.text).toContain(`id="job-${recent.id}"`)
    expect(home.text).not.toContain(`id="job-${old.id}"`)
    const card = home.text.slice(home.text.indexOf(`id="job-${recent.id}"`))
    expect(card.slice(0, card.indexOf('</section>'))).toContain(`hx-post="/jobs/${recent.id}/dismiss"`)

    const out = await postForm(t, `/jobs/${recent.id}/dismiss`)
    expect(out.status).toBe(200)
    expect(out.text).toBe('') // the card swaps itself for nothing
    expect((await request(t, '/')).text).not.toContain(`id="job-${recent.id}"`)
  })
})

describe('the Activity page', () => {
  test('the queue as live cards, the history with playlists and log links, linked from the header', async () => {
    const p = await seedPlaylist(t, { title: 'Queue list' })
    const live = await seedJob(t, p.id, 'both', { status: 'running', download_status: 'running', download_total: 4 })
    const page = await request(t, '/activity')
    expect(page.status).toBe(200)
    expect(page.text).toContain('<a href="/activity">Activity</a>')
    const queue = page.text.slice(page.text.indexOf('id="queue"'), page.text.indexOf('id="history-heading"'))
    expect(openingTag(queue, `job-${live.id}`)).toContain('hx-trigger="every 1s"')
    expect(queue).not.toContain(`id="job-${ids[0]}"`)
    expect(page.text).toContain(`href="/jobs/${ids[0]}/log"`)
    expect(page.text).toContain('Alpha &lt;list&gt;') // titles escaped
    expect(page.text).not.toContain('Alpha <list>')
  })

  test('filters are GET parameters: the filtered view is a link, and the pager keeps them', async () => {
    const page = await request(t, `/activity?type=both&playlist_id=${a}&status=`)
    expect(page.text).toContain(`id="activity-${ids[4]}"`)
    expect(page.text).toContain(`id="activity-${ids[1]}"`)
    expect(page.text).not.toContain(`id="activity-${ids[3]}"`)
    expect(page.text).toContain('<option value="both" selected>')
    // 50 a page: more than that shows a pager whose links carry the filter.
    const p = await seedPlaylist(t)
    for (let i = 0; i < 51; i++) await finished(p.id, 'extract')
    const first = await request(t, `/activity?type=extract&playlist_id=${p.id}`)
    expect(first.text).toContain('1–50 of 51')
    expect(first.text).toContain(`href="/activity?type=extract&playlist_id=${p.id}&offset=50" rel="next"`)
    const second = await request(t, `/activity?type=extract&playlist_id=${p.id}&offset=50`)
    expect(second.text).toContain('51–51 of 51')
  })

  test('a filter value that does not exist is a 422 in words', async () => {
    const res = await request(t, '/activity?status=sleeping')
    expect(res.status).toBe(422)
    expect(res.text).toContain('status must be one of')
  })
})

describe('the job log page', () => {
  test('a live job polls its log every 2 s; a finished one polls nothing; messages are escaped', async () => {
    const p = await seedPlaylist(t)
    const live = await seedJob(t, p.id, 'download', { status: 'running', download_status: 'running' })
    await addEvent(t.ctx.db, live.id, 'info', 'downloaded: <img src=x onerror=alert(1)>')
    const page = await request(t, `/jobs/${live.id}/log`)
    const tag = openingTag(page.text, 'job-log')
    expect(tag).toContain(`hx-get="/jobs/${live.id}/log/live"`)
    expect(tag).toContain('hx-trigger="every 2s"')
    expect(page.text).toContain('downloaded: &lt;img src=x onerror=alert(1)&gt;')
    const part = await request(t, `/jobs/${live.id}/log/live`)
    expect(part.text.startsWith('<div id="job-log"')).toBe(true)
    expect(part.text).not.toContain('<html')

    const done = await request(t, `/jobs/${ids[0]}/log`)
    expect(openingTag(done.text, 'job-log')).not.toContain('hx-trigger')
    expect((await request(t, '/jobs/999999/log/live')).status).toBe(404)
  })
})
