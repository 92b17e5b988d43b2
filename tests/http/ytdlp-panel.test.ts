// The home page's yt-dlp panel and stale banner, with a real update from a local release.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import { writeYtdlpState } from '../../src/db/ytdlp'
import { buildZipapp, startReleaseServer, versionDaysAgo, type ReleaseServer } from '../fixtures/ytdlp-release'
import { testContext, type TestContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'
import { openingTag, postForm, request } from './ui-helpers'

let rel: ReleaseServer
let t: TestContext
const NEW = versionDaysAgo(5)

beforeAll(async () => {
  rel = startReleaseServer()
  t = await testContext({ YTDLP_RELEASES_URL: rel.releasesUrl, JS_RUNTIME: 'none', REMOTE_COMPONENTS: '' })
  rel.addRelease('yt-dlp', NEW, { 'yt-dlp': await buildZipapp(join(t.dataDir, 'zipapp'), NEW) })
}, 30_000)
afterAll(async () => {
  rel.stop()
  await t.close()
})

test('a stale yt-dlp: a banner links to the panel; the panel shows version, age, source, channel, last check', async () => {
  const { text } = await request(t, '/')
  expect(text).toMatch(
    /<div class="pool-banner ytdlp-stale" role="alert"><p>The yt-dlp in use \(2023\.03\.04\) was released \d+ days ago: YouTube and other sites break old versions\.<\/p><a class="btn btn-primary btn-small" href="#ytdlp">Update yt-dlp<\/a>/,
  )
  expect(openingTag(text, 'ytdlp')).toBe('<section id="ytdlp" class="ytdlp-panel" aria-labelledby="ytdlp-heading">')
  expect(text).toMatch(/<dt>Version<\/dt><dd>2023\.03\.04 \(\d+ days old\)<\/dd>/)
  expect(text).toContain('<dd>system (PATH): no managed yt-dlp is installed (yt-serve ytdlp update installs one)</dd>')
  expect(text).toContain('<dd>stable (yt-dlp), auto-update daily</dd>')
  expect(text).toContain('<dt>Last check</dt><dd>never</dd>')
  expect(text).toContain('hx-post="/ytdlp/update"')
})

test('an error from the last check is shown, escaped', async () => {
  await writeYtdlpState(t.ctx.db, { error: '<script>alert(1)</script> cannot reach it', checked_at: '2026-12-01T10:00:00.000Z' })
  const { text } = await request(t, '/ytdlp')
  expect(text).toContain('<dd class="ytdlp-error">&lt;script&gt;alert(1)&lt;/script&gt; cannot reach it</dd>')
  expect(text).toContain('<dd>2026-12-01 10:00 UTC</dd>')
  expect(text).not.toContain('<script>alert')
})

test('"Update now": the panel polls its progress, then shows the new version; the banner is gone', async () => {
  rel.setLatest('yt-dlp', NEW)
  const started = await postForm(t, '/ytdlp/update')
  expect(started.status).toBe(200)
  expect(openingTag(started.text, 'ytdlp')).toContain('hx-trigger="every 1s"')
  expect(started.text).toMatch(/<p class="ytdlp-progress" role="status">(checking the release…|downloading: .*|testing the download…)<\/p>/)
  const done = await waitUntil('the update to finish', async () => {
    const p = await request(t, '/ytdlp')
    return p.text.includes('hx-trigger') ? undefined : p.text
  })
  expect(done).toContain(`<dd>${NEW} (5 days old)</dd>`)
  expect(done).toContain(`<dd>managed by yt-serve: the managed yt-dlp in ${t.dataDir}/bin</dd>`)
  expect(done).not.toContain('ytdlp-error')
  expect((await request(t, '/')).text).not.toContain('ytdlp-stale')
})
