// `yt-serve import` in-process: files made by ffmpeg under yt-dlp-style names, a playlist
// indexed by the real yt-dlp from the fixture server.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryIo } from '../../src/cli/io'
import { main } from '../../src/cli/main'
import { corruptBytes, makeVideo } from '../fixtures/media'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { updatePlaylist } from '../../src/db/playlists'
import { testContext } from '../helpers/context'

let media: MediaServer
let scratch: string
beforeAll(async () => {
  media = await startMediaServer()
  scratch = mkdtempSync(join(tmpdir(), 'yt-serve-cli-import-'))
})
afterAll(async () => {
  await media.stop()
  rmSync(scratch, { recursive: true, force: true })
})

async function cli(...argv: string[]) {
  const io = memoryIo()
  const code = await main(argv, io)
  return { code, stdout: io.stdout, stderr: io.stderr }
}

test('dry run by default, --apply --link keeps the folder, a garbage file exits 1, names are printed safely', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('cli-import', {
    title: 'CLI import',
    items: [
      { name: 'c1', title: 'One', guid: 'One00000001' },
      { name: 'c2', title: 'Two', guid: 'Two00000002' },
    ],
  })
  const playlist = await t.addPlaylist(feed)
  const dir = join(scratch, 'archive')
  mkdirSync(dir)
  const video = await makeVideo({ seconds: 2 })
  copyFileSync(video, join(dir, 'One [One00000001].mp4'))
  writeFileSync(join(dir, 'Two \u001b[31mred [Two00000002].mp4'), corruptBytes())
  const args = ['import', dir, '--playlist', String(playlist.id), '--data-dir', t.dataDir]

  const dry = await cli(...args)
  expect(dry.code).toBe(1) // the garbage file is refused, even in a dry run
  expect(dry.stdout).toContain('would adopt id        One [One00000001].mp4')
  expect(dry.stdout).toContain('REFUSED     id        Two \\x1b[31mred [Two00000002].mp4')
  expect(dry.stdout).not.toContain('\u001b')
  expect(dry.stdout).toContain('not readable media')
  expect(dry.stdout).toContain('1 would be adopted, 0 skipped, 1 refused, 0 left alone; nothing was changed (add --apply to move them into the archive)')
  expect((await t.api('GET', `/api/playlists/${playlist.id}`)).json.videos[0].download_state).toBe('pending')

  const json = await cli(...args, '--json', '--link')
  expect(JSON.parse(json.stdout)).toMatchObject({ applied: false, link: true, counts: { adopt: 1, refused: 1 } })

  const applied = await cli(...args, '--apply', '--link')
  expect(applied.code).toBe(1)
  expect(applied.stdout).toContain('hard-linked → CLI import/videos/001 - One.mp4')
  // Linked: the folder keeps its file, which is now also the archive's.
  expect(statSync(join(dir, 'One [One00000001].mp4')).nlink).toBe(2)
  expect(statSync(join(t.dataDir, 'CLI import/videos/001 - One.mp4')).ino).toBe(statSync(join(dir, 'One [One00000001].mp4')).ino)
  const videos = (await t.api('GET', `/api/playlists/${playlist.id}`)).json.videos
  expect(videos.map((v: any) => [v.title, v.download_state, v.video_path])).toEqual([
    ['One', 'downloaded', 'CLI import/videos/001 - One.mp4'],
    ['Two', 'pending', null],
  ])
})

test('usage errors: contradicting flags, a missing folder, a folder inside the data dir, an unknown playlist', async () => {
  await using t = await testContext()
  const dir = join(scratch, 'empty')
  mkdirSync(dir, { recursive: true })
  const both = await cli('import', dir, '--playlist', '1', '--apply', '--dry-run', '--data-dir', t.dataDir)
  expect([both.code, both.stderr.split('\n')[0]]).toEqual([2, 'yt-serve: --apply and --dry-run contradict each other'])
  const missing = await cli('import', join(scratch, 'nope'), '--playlist', '1', '--data-dir', t.dataDir)
  expect(missing.code).toBe(2)
  expect(missing.stderr).toContain('not found')
  const inside = await cli('import', t.dataDir, '--playlist', '1', '--data-dir', t.dataDir)
  expect(inside.code).toBe(2)
  expect(inside.stderr).toContain('overlaps the data dir')
  const unknown = await cli('import', dir, '--playlist', '99', '--data-dir', t.dataDir)
  expect(unknown.code).toBe(2)
  expect(unknown.stderr).toContain('playlist 99 not found')
  expect((await cli('import', dir, '--data-dir', t.dataDir)).stderr).toContain('missing --playlist')
})

// /dev/shm is a tmpfs here, another filesystem than the temp dir: a hard link cannot cross it.
const otherFs = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev
test.skipIf(!otherFs)('--link across filesystems copies instead and says so; a move across them copies and removes', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('cli-xdev', {
    title: 'Xdev',
    items: [
      { name: 'x1', title: 'Far', guid: 'Far00000001' },
      { name: 'x2', title: 'Away', guid: 'Awa00000002' },
    ],
  })
  const playlist = await t.addPlaylist(feed)
  const dir = mkdtempSync('/dev/shm/yt-serve-import-')
  try {
    const video = await makeVideo({ seconds: 2 })
    copyFileSync(video, join(dir, 'Far [Far00000001].mp4'))
    const linked = await cli('import', dir, '--playlist', String(playlist.id), '--apply', '--link', '--data-dir', t.dataDir)
    expect(linked.code).toBe(0)
    expect(linked.stdout).toContain('copied: a hard link cannot cross filesystems')
    expect(existsSync(join(dir, 'Far [Far00000001].mp4'))).toBe(true)
    copyFileSync(video, join(dir, 'Away [Awa00000002].mp4'))
    const moved = await cli('import', dir, '--playlist', String(playlist.id), '--apply', '--data-dir', t.dataDir)
    expect(moved.stdout).toContain('moved (copied across filesystems)')
    expect(existsSync(join(dir, 'Away [Awa00000002].mp4'))).toBe(false)
    expect(statSync(join(t.dataDir, 'Xdev/videos/002 - Away.mp4')).size).toBe(statSync(video).size)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('audio alone: an "Audio only" playlist needs no video for it, so the next job fetches nothing for that entry', async () => {
  await using t = await testContext()
  const feed = await media.addFeed('cli-audio', {
    title: 'Audio only',
    items: [
      { name: 'au1', title: 'Song', guid: 'Song0000001' },
      { name: 'au2', title: 'Other', guid: 'Othe0000002' },
    ],
  })
  const playlist = await t.addPlaylist(feed)
  await updatePlaylist(t.ctx.db, playlist.id, { delete_videos: 1 })
  const dir = join(scratch, 'audio-only')
  mkdirSync(dir)
  const video = await makeVideo({ seconds: 2 })
  const p = Bun.spawn(['ffmpeg', '-v', 'error', '-i', video, '-vn', '-c:a', 'copy', join(dir, 'Song [Song0000001].m4a')])
  expect(await p.exited).toBe(0)
  const r = await cli('import', dir, '--playlist', String(playlist.id), '--apply', '--data-dir', t.dataDir)
  expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('moved → Audio only/audio/001 - Song.m4a')])
  const song = (await t.api('GET', `/api/playlists/${playlist.id}`)).json.videos[0]
  expect(song).toMatchObject({ download_state: 'downloaded', extract_state: 'extracted', video_path: null, audio_path: 'Audio only/audio/001 - Song.m4a' })
  expect(song.video_deleted_at).not.toBeNull()
  media.resetCounts()
  const job = await t.runJob(playlist.id, 'both')
  expect(job).toMatchObject({ status: 'completed', download_total: 1, extract_total: 1 })
  expect([media.requests('au1').total, media.requests('au2').full > 0]).toEqual([0, true])
})
