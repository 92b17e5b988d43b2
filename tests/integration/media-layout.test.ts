import { afterAll, beforeAll, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { recordMove } from '../../src/db/file-moves'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { parseXml } from '../helpers/xml'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

const HOSTILE_SHOW = 'Show <&> ]]> "Night"'
const HOSTILE_TITLE = 'Ep & <b>one</b> ]]>\u0001'
const DESCRIPTION = 'First line\nA & B <i>x</i> ]]> end'

/** Every file under a folder, relative to it, sorted. */
function tree(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : out.push(relative(dir, join(d, e.name)))
  }
  if (existsSync(dir)) walk(dir)
  return out.sort()
}

const videosOf = async (t: TestContext, id: number): Promise<any[]> => (await t.api('GET', `/api/playlists/${id}`)).json.videos

async function verified(t: TestContext, id: number, checked: number) {
  expect((await t.api('POST', `/api/playlists/${id}/verify`)).json).toMatchObject({ checked, videos_missing: 0, audio_missing: 0 })
}

test('a "both" job on a jellyfin playlist lays it out as a show: seasons, episodes, NFOs, artwork and a music folder', async () => {
  await using t = await testContext({ AUDIO_FORMAT: 'mp3', LIBRARY_LAYOUT: 'jellyfin' })
  const feed = await media.addFeed('layout-jf', {
    title: HOSTILE_SHOW,
    items: [
      { name: 'jf-a', title: HOSTILE_TITLE, seconds: 2, thumbnail: true, description: DESCRIPTION, pubDate: 'Tue, 02 Jan 2024 10:00:00 GMT' },
      { name: 'jf-b', title: 'Undated', seconds: 2 },
    ],
  })
  const add = await t.addPlaylist(feed)
  expect(add.library_layout).toBe('jellyfin')
  expect(await t.runJob(add.id, 'both')).toMatchObject({ status: 'completed', download_completed: 2, extract_completed: 2 })
  const [a, b] = await videosOf(t, add.id)
  const folder: string = add.folder
  const show = 'Show _&_ ]]_ _Night_'

  expect(a.video_path).toBe(`${folder}/Season 2024/${show} - S2024E001 - Ep & _b_one__b_ ]]_ [${a.source_id}].mp4`)
  expect(a.thumbnail_path).toBe(a.video_path.replace(/\.mp4$/, '-thumb.jpg'))
  expect(a.audio_path).toBe(`${folder}/01 - Ep & _b_one__b_ ]]_.mp3`)
  expect(a.description).toBe(DESCRIPTION)
  expect(b.video_path).toBe(`${folder}/Season 00/${show} - S00E002 - Undated [${b.source_id}].mp4`)
  expect(b.thumbnail_path).toBeNull()

  const nfo = parseXml(readFileSync(join(t.dataDir, a.video_path.replace(/\.mp4$/, '.nfo')), 'utf8'))
  expect(nfo).toMatchObject({
    root: 'episodedetails',
    title: 'Ep & <b>one</b> ]]>',
    showtitle: HOSTILE_SHOW,
    season: '2024',
    episode: '1',
    plot: DESCRIPTION,
    aired: '2024-01-02',
    runtime: '1',
    uniqueid: a.source_id,
    thumb: a.thumbnail_path.replace(/^.*\//, ''),
  })
  expect(parseXml(readFileSync(join(t.dataDir, b.video_path.replace(/\.mp4$/, '.nfo')), 'utf8'))).toMatchObject({ season: '0', episode: '2' })
  expect(parseXml(readFileSync(join(t.dataDir, folder, 'tvshow.nfo'), 'utf8'))).toMatchObject({ root: 'tvshow', title: HOSTILE_SHOW })
  const thumb = readFileSync(join(t.dataDir, a.thumbnail_path))
  for (const art of ['poster.jpg', 'fanart.jpg', 'folder.jpg']) expect(Buffer.compare(readFileSync(join(t.dataDir, folder, art)), thumb)).toBe(0)

  // Nothing else: no plain folders, no temporary files; the M3U and the media route follow the stored paths.
  expect(tree(join(t.dataDir, folder)).filter((f) => !f.startsWith('.staging'))).toEqual(
    [
      a.video_path,
      a.thumbnail_path,
      a.video_path.replace(/\.mp4$/, '.nfo'),
      a.audio_path,
      b.video_path,
      b.video_path.replace(/\.mp4$/, '.nfo'),
      b.audio_path,
      `${folder}/tvshow.nfo`,
      `${folder}/poster.jpg`,
      `${folder}/fanart.jpg`,
      `${folder}/folder.jpg`,
      `${folder}/playlist.m3u8`,
    ]
      .map((p) => p.slice(folder.length + 1))
      .sort(),
  )
  expect(readFileSync(join(t.dataDir, folder, 'playlist.m3u8'), 'utf8')).toContain('\n01 - Ep & _b_one__b_ ]]_.mp3\n')
  expect((await t.app.handle(new Request(`http://localhost/media/${a.id}/audio`))).status).toBe(200)
  await verified(t, add.id, 4)
})

test('relayout plain → jellyfin → plain moves every file (never copies), leaves nothing behind, and renames by a template', async () => {
  await using t = await testContext({ AUDIO_FORMAT: 'mp3' })
  const feed = await media.addFeed('layout-trip', {
    title: 'Round Trip',
    items: [
      { name: 'rt-a', title: 'Alpha', seconds: 1, thumbnail: true, pubDate: 'Tue, 02 Jan 2024 10:00:00 GMT' },
      { name: 'rt-b', title: 'Beta', seconds: 1, pubDate: 'Wed, 03 Jan 2024 10:00:00 GMT' },
      { name: 'rt-c', title: 'Gamma', seconds: 1, thumbnail: true },
    ],
  })
  const add = await t.addPlaylist(feed)
  expect(add.library_layout).toBe('plain')
  await t.runJob(add.id, 'both')
  const dir = join(t.dataDir, add.folder)
  const plainTree = tree(dir)
  const plain = await videosOf(t, add.id)
  expect(plain[0].video_path).toBe(`${add.folder}/videos/001 - Alpha.mp4`)
  const inode = (rel: string) => statSync(join(t.dataDir, rel)).ino
  const inodes = plain.flatMap((v) => [v.video_path, v.audio_path, v.thumbnail_path].filter(Boolean).map(inode))
  const files = inodes.length
  expect(files).toBe(8)

  // Refused with the reason, before anything moves.
  const bad = await t.api('PATCH', `/api/playlists/${add.id}`, { name_template: '{title}/{nope}' })
  expect(bad.status).toBe(422)
  expect(bad.json.error).toContain('name_template is not a valid template')
  expect((await t.api('PATCH', `/api/playlists/${add.id}`, { library_layout: 'kodi' })).status).toBe(422)

  const toShow = await t.api('PATCH', `/api/playlists/${add.id}`, { library_layout: 'jellyfin' })
  expect(toShow.status).toBe(200)
  expect(toShow.json.library_layout).toBe('jellyfin')
  const job = await t.manager.waitFor(toShow.json.relayout_job_id)
  expect(job).toMatchObject({ type: 'relayout', status: 'completed', move_total: files, move_completed: files })
  const shown = await videosOf(t, add.id)
  expect(shown[0].video_path).toBe(`${add.folder}/Season 2024/Round Trip - S2024E001 - Alpha [${shown[0].source_id}].mp4`)
  expect(shown[2].video_path).toStartWith(`${add.folder}/Season 00/Round Trip - S00E003 - Gamma`)
  expect(shown[0].audio_path).toBe(`${add.folder}/01 - Alpha.mp3`)
  // The same files, renamed: the same inodes, one name each.
  expect(shown.flatMap((v) => [v.video_path, v.audio_path, v.thumbnail_path].filter(Boolean).map(inode))).toEqual(inodes)
  for (const sub of ['videos', 'audio', 'thumbnails']) expect(existsSync(join(dir, sub))).toBe(false)
  expect(tree(dir).filter((f) => f.endsWith('.nfo'))).toHaveLength(4)
  expect(existsSync(join(dir, 'poster.jpg'))).toBe(true)
  await verified(t, add.id, 6)

  // The job card and the API show one bar: "Moving files".
  expect(await t.page(`/jobs/${job.id}/card`)).toContain('Files moved')

  const back = await t.api('PATCH', `/api/playlists/${add.id}`, { library_layout: 'plain' })
  expect(await t.manager.waitFor(back.json.relayout_job_id)).toMatchObject({ status: 'completed', move_total: files, move_completed: files })
  expect(await videosOf(t, add.id)).toEqual(plain.map((v: any) => ({ ...v, updated_at: expect.any(String) })))
  expect(tree(dir)).toEqual(plainTree)
  await verified(t, add.id, 6)

  // A template renames through the same job; the same again moves nothing.
  const renamed = await t.api('PATCH', `/api/playlists/${add.id}`, { name_template: '{upload_date} {title} [{id}]' })
  await t.manager.waitFor(renamed.json.relayout_job_id)
  const named = await videosOf(t, add.id)
  expect(named[0].video_path).toBe(`${add.folder}/videos/2024-01-02 Alpha [${named[0].source_id}].mp4`)
  expect(named[0].audio_path).toBe(`${add.folder}/audio/2024-01-02 Alpha [${named[0].source_id}].mp3`)
  expect(named[0].thumbnail_path).toBe(`${add.folder}/thumbnails/2024-01-02 Alpha [${named[0].source_id}].jpg`)
  expect((await t.api('PATCH', `/api/playlists/${add.id}`, { name_template: '{upload_date} {title} [{id}]' })).json.relayout_job_id).toBeNull()
  const again = await t.runJob(add.id, 'relayout')
  expect(again).toMatchObject({ status: 'completed', move_total: 0 })
  await verified(t, add.id, 6)
})

test('moves recorded before a crash are finished when the file moved, undone when it did not', async () => {
  await using t = await testContext({ AUDIO_FORMAT: 'mp3' })
  const feed = await media.addFeed('layout-settle', {
    title: 'Settle',
    items: [
      { name: 'st-a', title: 'A', seconds: 1 },
      { name: 'st-b', title: 'B', seconds: 1 },
    ],
  })
  const add = await t.addPlaylist(feed)
  const job = await t.runJob(add.id, 'both')
  const [a, b] = await videosOf(t, add.id)
  // A crash after the rename (a) and one before it (b), both recorded.
  const moved = `${add.folder}/videos/moved.mp4`
  await recordMove(t.ctx.db, { job_id: job.id, video_id: a.id, field: 'video_path', from_path: a.video_path, to_path: moved })
  renameSync(join(t.dataDir, a.video_path), join(t.dataDir, moved))
  await recordMove(t.ctx.db, { job_id: job.id, video_id: b.id, field: 'video_path', from_path: b.video_path, to_path: `${add.folder}/videos/never.mp4` })
  await t.manager.recover({ startQueued: false })
  const [a2, b2] = await videosOf(t, add.id)
  expect(a2.video_path).toBe(moved)
  expect(b2.video_path).toBe(b.video_path)
  expect(await t.ctx.db.selectFrom('file_moves').selectAll().execute()).toEqual([])
  await verified(t, add.id, 4)
})

test('the layout cannot change under a running job', async () => {
  await using t = await testContext({ AUDIO_FORMAT: 'mp3' })
  const feed = await media.addFeed('layout-busy', { title: 'Busy', items: [{ name: 'bz-a', title: 'A', seconds: 1 }] })
  const add = await t.addPlaylist(feed)
  const release = media.holdBack('bz-a')
  const job = await t.startJob(add.id, 'both')
  const res = await t.api('PATCH', `/api/playlists/${add.id}`, { library_layout: 'plex' })
  release()
  expect(res.status).toBe(409)
  expect(res.json.error).toContain(`#${job.id}`)
  await t.manager.waitFor(job.id)
  expect((await t.api('GET', `/api/playlists/${add.id}`)).json.library_layout).toBe('plain')
})
