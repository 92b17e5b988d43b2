// Importing an existing archive: a folder the real yt-dlp wrote from the fixture server (its
// default names, .info.json sidecars), plus renamed, damaged, unknown, hostile and linked files.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { probe } from '../helpers/probe'

let media: MediaServer
let scratch: string
beforeAll(async () => {
  media = await startMediaServer()
  scratch = mkdtempSync(join(tmpdir(), 'yt-serve-import-'))
})
afterAll(async () => {
  await media.stop()
  rmSync(scratch, { recursive: true, force: true })
})

/** Every entry under `dir` (links not followed) with its size and mtime: what "untouched" means. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((rel) => {
      const st = lstatSync(join(dir, rel))
      return `${rel} ${st.isSymbolicLink() ? 'link' : st.size} ${st.mtimeMs}`
    })
    .sort()
}

async function run(cmd: string[]): Promise<void> {
  const p = Bun.spawn(cmd, { stdout: 'pipe', stderr: 'pipe' })
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()])
  if ((await p.exited) !== 0) throw new Error(`${cmd[0]} failed: ${out}${err}`)
}

/** The one file whose name ends so (yt-dlp's own spelling of a title is its business). */
const named = (dir: string, end: string) => readdirSync(dir).filter((n) => n.endsWith(end))[0]

/** A name cannot hold "/", but anything else goes: an option's dash, shell, markup, "..", a newline. */
const HOSTILE = '-rf $(touch pwned) <b>x<\\b> ..\n;rm'

/** What the real yt-dlp leaves: "Title [id].ext" and "Title [id].info.json", here reworked into every case the import meets. */
async function oldArchive(feed: string, dir: string, outside: string): Promise<void> {
  await run(['yt-dlp', '--no-progress', '--write-info-json', '--no-write-playlist-metafiles', '--playlist-items', '1,2,3,4,5,6', '-P', dir, '--', feed])
  const at = (name: string) => join(dir, name)
  // The audio of Alpha, as `yt-dlp -x` would have left it beside the video.
  await run(['ffmpeg', '-v', 'error', '-i', at('Alpha [Alpha0000001].mp4'), '-vn', '-c:a', 'copy', at('Alpha [Alpha0000001].m4a')])
  // Gamma lost the id from its name; its .info.json still says who it is.
  renameSync(at('Gamma [Gamma0000003].mp4'), at('renamed gamma.mp4'))
  renameSync(at('Gamma [Gamma0000003].info.json'), at('renamed gamma.info.json'))
  // Delta carries only its title (the --match title case).
  renameSync(at('Delta song [Delta0000004].mp4'), at('delta_song.mp4'))
  rmSync(at('Delta song [Delta0000004].info.json'))
  // Epsilon was cut short: WebM keeps a readable header, so only reading it through notices.
  const eps = at('Epsilon [Epsilon00005].webm')
  truncateSync(eps, Math.floor(lstatSync(eps).size * 0.4))
  // Zeta's name was written by someone hostile; its id still names the entry.
  renameSync(at(named(dir, ' [Zeta00000006].mp4')), at(`${HOSTILE} [Zeta00000006].mp4`))
  // Eta is a link to a file outside the folder.
  copyFileSync(at('renamed gamma.mp4'), join(outside, 'eta.mp4'))
  symlinkSync(join(outside, 'eta.mp4'), at('Eta [Eta000000007].mp4'))
  // Files no entry has.
  copyFileSync(at('renamed gamma.mp4'), at('Stranger [zzzzzzzzzzz].mp4'))
  writeFileSync(at('notes.txt'), 'my notes')
}

test('a yt-dlp archive: exact matches, a dry run that touches nothing, then adopted files the next job never fetches', async () => {
  const dir = join(scratch, 'old')
  const outside = join(scratch, 'outside')
  mkdirSync(dir)
  mkdirSync(outside)
  await using t = await testContext({ IMPORT_DIRS: scratch })
  const feed = await media.addFeed('old', {
    title: 'Old archive',
    items: [
      { name: 'ia', title: 'Alpha', guid: 'Alpha0000001' },
      { name: 'ib', title: 'Beta: two/parts' },
      { name: 'ic', title: 'Gamma', guid: 'Gamma0000003' },
      { name: 'id', title: 'Delta song', guid: 'Delta0000004' },
      { name: 'ie', title: 'Epsilon', guid: 'Epsilon00005', container: 'webm' },
      { name: 'if', title: '<script>alert(1)</script>', guid: 'Zeta00000006' },
      { name: 'ig', title: 'Eta', guid: 'Eta000000007' },
    ],
  })
  const playlist = await t.addPlaylist(feed)
  await oldArchive(feed, dir, outside)
  const zetaSidecar = named(dir, ' [Zeta00000006].info.json')
  const before = tree(dir)
  const outsideBefore = tree(outside)

  const dry = await t.api('POST', `/api/playlists/${playlist.id}/import`, { dir })
  expect(dry.status).toBe(200)
  const table = (r: any) => r.rows.map((x: any) => [x.file, x.entry?.title ?? null, x.matched_by, x.action])
  expect(table(dry.json)).toEqual([
    [`${HOSTILE} [Zeta00000006].mp4`, '<script>alert(1)</script>', 'id', 'adopt'],
    ['Alpha [Alpha0000001].info.json', null, null, 'unknown'],
    ['Alpha [Alpha0000001].m4a', 'Alpha', 'id', 'adopt'],
    ['Alpha [Alpha0000001].mp4', 'Alpha', 'id', 'adopt'],
    ['Beta： two⧸parts [ib].info.json', null, null, 'unknown'],
    ['Beta： two⧸parts [ib].mp4', 'Beta: two/parts', 'id', 'adopt'],
    ['Epsilon [Epsilon00005].info.json', null, null, 'unknown'],
    ['Epsilon [Epsilon00005].webm', 'Epsilon', 'id', 'refused'],
    ['Eta [Eta000000007].mp4', null, null, 'refused'],
    ['Stranger [zzzzzzzzzzz].mp4', null, null, 'unknown'],
    ['delta_song.mp4', null, null, 'unknown'],
    ['notes.txt', null, null, 'unknown'],
    ['renamed gamma.info.json', null, null, 'unknown'],
    ['renamed gamma.mp4', 'Gamma', 'info.json', 'adopt'],
    [zetaSidecar, null, null, 'unknown'],
  ])
  const detail = (r: any, file: string) => r.rows.find((x: any) => x.file === file).detail
  expect(detail(dry.json, 'Epsilon [Epsilon00005].webm')).toContain('damaged or cut short')
  expect(detail(dry.json, 'Eta [Eta000000007].mp4')).toBe('a symbolic link pointing outside the folder: refused')
  expect(dry.json).toMatchObject({ applied: false, counts: { adopt: 5, adopted: 0, skip: 0, refused: 2, unknown: 8 } })

  // The title fallback, shown for confirmation; still a dry run.
  const byTitle = await t.api('POST', `/api/playlists/${playlist.id}/import`, { dir, match: 'title' })
  expect(table(byTitle.json)).toContainEqual(['delta_song.mp4', 'Delta song', 'title', 'adopt'])
  expect(byTitle.json.counts).toMatchObject({ adopt: 6, unknown: 7 })

  expect(await t.page(`/playlists/${playlist.id}`)).toContain(`hx-post="/playlists/${playlist.id}/import"`)
  // The page's form: the same table, the hostile name escaped, and an Apply button.
  const form = await t.app.handle(
    new Request(`http://localhost/playlists/${playlist.id}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
      body: new URLSearchParams({ dir, match: 'title' }).toString(),
    }),
  )
  const html = await form.text()
  expect(form.status).toBe(200)
  expect(html).toContain('6 files would be adopted')
  expect(html).toContain('&lt;b&gt;x')
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  expect(html).not.toContain('<b>x')
  expect(html).not.toContain('<script>alert(1)')
  expect(html).toContain('data-action="import-apply"')

  // Nothing was touched by any dry run: not the folder, not the link's target, not the archive.
  expect(tree(dir)).toEqual(before)
  expect(tree(outside)).toEqual(outsideBefore)
  expect(existsSync(join(t.dataDir, 'Old archive', 'videos'))).toBe(false)
  expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false)

  const applied = await t.api('POST', `/api/playlists/${playlist.id}/import`, { dir, match: 'title', apply: true })
  expect(applied.status).toBe(200)
  expect(applied.json.counts).toMatchObject({ adopt: 0, adopted: 6, refused: 2, unknown: 7 })
  const dest = (file: string) => applied.json.rows.find((x: any) => x.file === file).destination
  expect(dest('Alpha [Alpha0000001].mp4')).toBe('Old archive/videos/001 - Alpha.mp4')
  expect(dest('Alpha [Alpha0000001].m4a')).toBe('Old archive/audio/001 - Alpha.m4a')
  expect(dest(`${HOSTILE} [Zeta00000006].mp4`)).toBe('Old archive/videos/006 - _script_alert(1)__script_.mp4')
  // Moved: gone from the folder; the rest is as it was, the link and its target too.
  const left = readdirSync(dir).sort()
  expect(left).toEqual(
    [
      'Alpha [Alpha0000001].info.json',
      'Beta： two⧸parts [ib].info.json',
      'Epsilon [Epsilon00005].info.json',
      'Epsilon [Epsilon00005].webm',
      'Eta [Eta000000007].mp4',
      'Stranger [zzzzzzzzzzz].mp4',
      'notes.txt',
      'renamed gamma.info.json',
      zetaSidecar,
    ].sort(),
  )
  expect(tree(outside)).toEqual(outsideBefore)
  expect((await probe(join(t.dataDir, dest('renamed gamma.mp4')))).codecs).toContain('h264')

  const states = async () =>
    ((await t.api('GET', `/api/playlists/${playlist.id}`)).json.videos as any[]).map((v) => [v.title, v.download_state, v.extract_state])
  expect(await states()).toEqual([
    ['Alpha', 'downloaded', 'extracted'],
    ['Beta: two/parts', 'downloaded', 'pending'],
    ['Gamma', 'downloaded', 'pending'],
    ['Delta song', 'downloaded', 'pending'],
    ['Epsilon', 'pending', 'pending'],
    ['<script>alert(1)</script>', 'downloaded', 'pending'],
    ['Eta', 'pending', 'pending'],
  ])

  // The next job fetches only what is missing: the damaged and the linked one.
  media.resetCounts()
  const job = await t.runJob(playlist.id, 'both')
  expect(job).toMatchObject({ status: 'completed', download_total: 2, download_completed: 2, extract_total: 6, extract_completed: 6 })
  for (const name of ['ia', 'ib', 'ic', 'id', 'if']) expect([name, media.requests(name).total]).toEqual([name, 0])
  for (const name of ['ie', 'ig']) expect([name, media.requests(name).full > 0]).toEqual([name, true])
  expect((await states()).every(([, d, x]) => d === 'downloaded' && x === 'extracted')).toBe(true)

  // Imported again: the entries have their files now, so nothing moves (the damaged file is not even read).
  const again = await t.api('POST', `/api/playlists/${playlist.id}/import`, { dir, apply: true })
  expect(again.json.counts).toMatchObject({ adopted: 0, skip: 1, refused: 1 })
  expect(detail(again.json, 'Epsilon [Epsilon00005].webm')).toBe('the archive already has its video')
  expect(tree(outside)).toEqual(outsideBefore)
}, 120_000)

test('the API refuses folders outside IMPORT_DIRS, and says so when import is off', async () => {
  const allowed = join(scratch, 'allowed')
  mkdirSync(join(allowed, 'sub'), { recursive: true })
  symlinkSync(tmpdir(), join(allowed, 'escape'))
  {
    await using off = await testContext()
    const r = await off.api('POST', '/api/playlists/1/import', { dir: allowed })
    expect(r.status).toBe(422)
    expect(r.json.error).toContain('set IMPORT_DIRS')
  }
  await using t = await testContext({ IMPORT_DIRS: allowed })
  const post = (body: unknown, id = 1) => t.api('POST', `/api/playlists/${id}/import`, body)
  for (const dir of ['/etc', `${allowed}/../`, join(allowed, 'escape'), 'relative/path']) {
    const r = await post({ dir })
    expect([dir, r.status]).toEqual([dir, 422])
    expect(typeof r.json.error).toBe('string')
  }
  expect((await post({ dir: join(allowed, 'nope') })).status).toBe(404)
  expect((await post({ dir: join(allowed, 'sub') }, 4242)).status).toBe(404)
  expect((await post({ dir: join(allowed, 'sub'), match: 'guess' })).json.error).toContain('match must be one of')
  expect((await post({ dir: join(allowed, 'sub'), apply: 'yes' })).status).toBe(422)
  expect((await post({})).status).toBe(422)
  // While a job of the playlist runs its files are moving: no import.
  const busy = await t.addPlaylist(await media.addFeed('busy', { title: 'Busy', items: [{ name: 'busy1', title: 'Busy one' }] }))
  const release = media.holdBack('busy1')
  const job = await t.startJob(busy.id, 'download')
  const during = await post({ dir: join(allowed, 'sub') }, busy.id)
  release()
  await t.manager.waitFor(job.id)
  expect([during.status, during.json.job_id]).toEqual([409, job.id])
  expect(during.json.error).toContain('active job')
  // The data dir itself is never a source, even when IMPORT_DIRS would allow it.
  await using inData = await testContext({ IMPORT_DIRS: '/' })
  const r = await inData.api('POST', '/api/playlists/1/import', { dir: inData.dataDir })
  expect(r.status).toBe(422)
  expect(r.json.error).toContain('overlaps the data dir')
})
