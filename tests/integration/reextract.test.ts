import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext, type TestContext } from '../helpers/context'
import { waitUntil } from '../helpers/server-process'
import { probe } from '../helpers/probe'
import { postForm } from '../http/ui-helpers'
import { updateVideo } from '../../src/db/videos'

// Re-extract in another format (issue 13): real yt-dlp and ffmpeg against the fixture server.
let media: MediaServer
beforeAll(async () => {
  media = await startMediaServer()
})
afterAll(async () => {
  await media.stop()
})

/** A playlist of two items, downloaded and extracted as mp3 (the server default). */
async function extractedAsMp3(t: TestContext, name: string) {
  const feed = await media.addFeed(name, {
    title: name,
    items: [
      { name: `${name}-a`, title: 'First', seconds: 2 },
      { name: `${name}-b`, title: 'Second', seconds: 2 },
    ],
  })
  const playlist = await t.addPlaylist(feed)
  const both = await t.runJob(playlist.id, 'both')
  expect(both).toMatchObject({ status: 'completed', extract_completed: 2 })
  const videos = (await t.api('GET', `/api/playlists/${playlist.id}`)).json.videos
  for (const v of videos) expect(v.audio_path).toEndWith('.mp3')
  return { playlist, videos: videos as any[] }
}

const reextract = (t: TestContext, id: number) => t.api('POST', `/api/playlists/${id}/jobs`, { type: 'extract', reextract: true })

/**
 * An ffmpeg that starts only while the gate file exists: the test holds a job mid-extraction,
 * deterministically, to look at its card and at the files it has not replaced yet.
 */
function gatedFfmpeg() {
  const dir = mkdtempSync(join(tmpdir(), 'yt-serve-gate-'))
  const gate = join(dir, 'open')
  const path = join(dir, 'ffmpeg')
  writeFileSync(path, `#!/bin/sh\nwhile [ ! -e '${gate}' ]; do sleep 0.05; done\nexec ffmpeg "$@"\n`)
  chmodSync(path, 0o755)
  return {
    env: { FFMPEG_PATH: path, FFPROBE_PATH: 'ffprobe' },
    open: () => writeFileSync(gate, ''),
    close: () => rmSync(gate, { force: true }),
    [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }),
  }
}

describe('re-extract in another format', () => {
  test('mp3 → opus: offered with its count, a real job with a bar, the old files replaced', async () => {
    using ffmpeg = gatedFfmpeg()
    ffmpeg.open()
    await using t = await testContext(ffmpeg.env)
    const { playlist, videos: before } = await extractedAsMp3(t, 'reformat')

    // Same format: nothing to offer, nothing to do.
    expect(await t.page(`/playlists/${playlist.id}`)).not.toContain('Re-extract')
    expect(await reextract(t, playlist.id)).toMatchObject({ status: 409, json: { error: 'nothing to re-extract' } })

    expect((await t.api('PATCH', `/api/playlists/${playlist.id}`, { audio_format: 'opus' })).status).toBe(200)
    const page = await t.page(`/playlists/${playlist.id}`)
    expect(page).toContain('Re-extract 2 files as opus')
    // The playlist's name is in the button's accessible name.
    expect(page).toContain(`aria-label="Re-extract 2 files as opus for ${playlist.title}"`)
    expect((await t.api('GET', `/api/playlists/${playlist.id}`)).json.reextract).toEqual({ format: 'opus', files: 2, video_gone: 0 })

    ffmpeg.close()
    const started = await t.startJob(playlist.id, 'extract', { reextract: true })
    // Held before ffmpeg runs: the card's bar counts the two files, and the old ones are all still there.
    await waitUntil('both items to be extracting', async () => (await t.manager.get(started.id)).current.length === 2)
    const card = await t.page(`/jobs/${started.id}/card`)
    expect(card).toMatch(/<svg class="bar" role="progressbar" aria-label="Extract[^"]*" aria-valuemin="0" aria-valuemax="2" aria-valuenow="0">/)
    for (const v of before) expect(existsSync(join(t.dataDir, v.audio_path))).toBe(true)
    ffmpeg.open()
    const job = await t.manager.waitFor(started.id)
    expect(job).toMatchObject({ status: 'completed', type: 'extract', extract_total: 2, extract_completed: 2, extract_failed: 0 })

    const after = (await t.api('GET', `/api/playlists/${playlist.id}`)).json
    expect(after.counts).toMatchObject({ extracted: 2, failed: 0 })
    for (const v of after.videos) {
      expect(v.extract_state).toBe('extracted')
      expect(v.audio_path).toEndWith('.opus')
      expect((await probe(join(t.dataDir, v.audio_path))).codecs).toContain('opus')
    }
    for (const v of before) expect(existsSync(join(t.dataDir, v.audio_path))).toBe(false)
    const audioDir = join(t.dataDir, before[0].audio_path, '..')
    expect(readdirSync(audioDir).sort()).toEqual(after.videos.map((v: any) => v.audio_path.split('/').at(-1)).sort())
    // The M3U is rewritten at the job's end, with the new files.
    const m3u = readFileSync(join(audioDir, '..', 'playlist.m3u8'), 'utf8')
    expect(m3u).toContain('.opus')
    expect(m3u).not.toContain('.mp3')

    // Done: no second offer, and a second call has nothing to do.
    expect(after.reextract).toEqual({ format: 'opus', files: 0, video_gone: 0 })
    expect(await t.page(`/playlists/${playlist.id}`)).not.toContain('Re-extract')
    expect(await reextract(t, playlist.id)).toMatchObject({ status: 409, json: { error: 'nothing to re-extract' } })
  })

  test('a video that cannot be read fails only its item, and its old mp3 stays', async () => {
    await using t = await testContext()
    const { playlist, videos } = await extractedAsMp3(t, 'spoilt')
    const [bad, good] = videos
    writeFileSync(join(t.dataDir, bad.video_path), 'not a video any more')
    // Through the page this time: saving the new format brings the offer at once (out-of-band),
    // and the button's own post starts the job.
    const saved = await postForm(t, `/playlists/${playlist.id}/settings`, { audio_format: 'opus' })
    expect(saved.status).toBe(200)
    expect(saved.text).toContain('Re-extract 2 files as opus')
    const started = await postForm(t, `/playlists/${playlist.id}/jobs`, { type: 'extract', reextract: 'true' })
    expect(started.status).toBe(200)
    const jobId = Number(/data-job-id="(\d+)"/.exec(started.text)?.[1])
    const job = await t.manager.waitFor(jobId)
    expect(job).toMatchObject({ status: 'completed', extract_total: 2, extract_completed: 1, extract_failed: 1 })
    const rows = (await t.api('GET', `/api/playlists/${playlist.id}`)).json.videos
    const badRow = rows.find((v: any) => v.id === bad.id)
    const goodRow = rows.find((v: any) => v.id === good.id)
    expect(badRow).toMatchObject({ extract_state: 'failed', audio_path: bad.audio_path })
    expect(badRow.error).toContain('cannot read the video')
    expect((await probe(join(t.dataDir, bad.audio_path))).codecs).toContain('mp3')
    expect(goodRow).toMatchObject({ extract_state: 'extracted' })
    expect(goodRow.audio_path).toEndWith('.opus')
    expect(existsSync(join(t.dataDir, good.audio_path))).toBe(false)
    const log = (await t.api('GET', `/api/jobs/${job.id}/log`)).json
    expect(JSON.stringify(log)).toContain('extraction failed: First')
  })

  test('entries whose video was deleted ("Audio only") are not offered, and the 409 says why', async () => {
    await using t = await testContext()
    const { playlist, videos } = await extractedAsMp3(t, 'audio-only')
    for (const v of videos) await updateVideo(t.ctx.db, v.id, { video_path: null, video_deleted_at: new Date().toISOString() })
    await t.api('PATCH', `/api/playlists/${playlist.id}`, { audio_format: 'opus' })
    expect((await t.api('GET', `/api/playlists/${playlist.id}`)).json.reextract).toEqual({ format: 'opus', files: 0, video_gone: 2 })
    expect(await t.page(`/playlists/${playlist.id}`)).not.toContain('Re-extract')
    const r = await reextract(t, playlist.id)
    expect(r.status).toBe(409)
    expect(r.json.error).toStartWith('nothing to re-extract: the 2 file(s) in another format have no video left')
    for (const v of videos) expect(existsSync(join(t.dataDir, v.audio_path))).toBe(true)
  })

  test('reextract is for an extract job only', async () => {
    await using t = await testContext()
    const playlist = await t.addPlaylist(await media.addFeed('wrong-type', { title: 'Wrong type', items: [{ name: 'wt-a', title: 'A', seconds: 1 }] }))
    const r = await t.api('POST', `/api/playlists/${playlist.id}/jobs`, { type: 'both', reextract: true })
    expect(r.status).toBe(422)
    expect(r.json.error).toBe('reextract is for an extract job only')
  })
})
