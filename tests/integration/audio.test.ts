import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { probe } from '../helpers/probe'

let media: MediaServer
beforeAll(async () => (media = await startMediaServer()))
afterAll(() => media.stop())

/** One playlist per format: an AAC source with a thumbnail and an Opus source. */
async function extractAll(format: string) {
  const t = await testContext({ AUDIO_FORMAT: format })
  const feed = await media.addFeed(`fmt-${format}`, {
    title: `Album ${format}`,
    items: [
      { name: `aac-${format}`, title: 'First Song', thumbnail: true, seconds: 3, pubDate: 'Tue, 02 Jan 2024 10:00:00 GMT' },
      { name: `opus-${format}`, title: 'Second Song', audioCodec: 'opus', container: 'webm', seconds: 3 },
    ],
  })
  const add = await t.addPlaylist(feed)
  const done = await t.runJob(add.id, 'both')
  const videos: any[] = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos
  return { t, done, videos, playlistId: add.id }
}

describe('audio done right', () => {
  test.each([
    ['mp3', 'mp3', 'mp3'],
    ['m4a', 'aac', 'aac'],
    ['opus', 'opus', 'opus'],
    ['flac', 'flac', 'flac'],
  ])('%s: codecs, tags, cover, duration', async (format, fromAac, fromOpus) => {
    const { t, done, videos } = await extractAll(format)
    try {
      expect(done).toMatchObject({ status: 'completed', extract_completed: 2, extract_failed: 0 })
      const [first, second] = videos
      expect(first.audio_path.endsWith(`.${format}`)).toBe(true)
      const a = await probe(join(t.dataDir, first.audio_path))
      const b = await probe(join(t.dataDir, second.audio_path))
      expect(a.streams.find((s) => s.codec_type === 'audio').codec_name).toBe(fromAac)
      expect(b.streams.find((s) => s.codec_type === 'audio').codec_name).toBe(fromOpus)
      for (const p of [a, b]) expect(Math.abs(p.duration - 3)).toBeLessThan(0.35)
      expect(a.tags).toMatchObject({ title: 'First Song', album: `Album ${format}` })
      expect(a.tags.track).toMatch(/^1(\/|$)/)
      expect(b.tags.track).toMatch(/^2(\/|$)/)
      expect(a.tags.date).toContain('2024')
      // The fixture thumbnail is embedded as the front cover (Ogg/Opus: as a METADATA_BLOCK_PICTURE comment).
      const pic = a.streams.find((s) => s.disposition?.attached_pic === 1)
      expect(pic?.codec_name).toBe('mjpeg')
      if (format === 'opus') {
        // Read back through ffmpeg's own demuxer: the very bytes of the entry's kept thumbnail.
        const out = join(t.dataDir, 'cover-back.jpg')
        const x = Bun.spawnSync(['ffmpeg', '-v', 'error', '-y', '-i', join(t.dataDir, first.audio_path), '-map', '0:v', '-c', 'copy', out])
        expect(x.exitCode).toBe(0)
        const cover = join(t.dataDir, first.thumbnail_path)
        expect(Buffer.compare(readFileSync(out), readFileSync(cover))).toBe(0)
        expect(a.tags.METADATA_BLOCK_PICTURE ?? a.tags.metadata_block_picture).toBeUndefined()
        // The ffmetadata file that carried it is gone.
        expect(readdirSync(dirname(join(t.dataDir, first.audio_path))).filter((n) => n.startsWith('.'))).toEqual([])
      }
    } finally {
      await t.close()
    }
  })

  test('m4a from AAC and opus from Opus are stream copies: bit rate unchanged, no re-encode', async () => {
    const { t, videos } = await extractAll('m4a')
    try {
      const src = await probe(join(t.dataDir, videos[0].video_path))
      const out = await probe(join(t.dataDir, videos[0].audio_path))
      const bitrate = (p: any) => Number(p.streams.find((s: any) => s.codec_type === 'audio').bit_rate)
      expect(Math.abs(bitrate(out) - bitrate(src)) / bitrate(src)).toBeLessThan(0.05)
    } finally {
      await t.close()
    }
  })

  test('per-playlist format override and the m3u8 export', async () => {
    await using t = await testContext({ AUDIO_FORMAT: 'mp3' })
    const feed = await media.addFeed('override', {
      title: 'Override <Mix>',
      items: [
        { name: 'ov1', title: 'One', seconds: 2 },
        { name: 'ov2', title: 'gone', kind: 'missing' },
        { name: 'ov3', title: 'Three\nlines', seconds: 3 },
      ],
    })
    const add = await t.addPlaylist(feed)
    const patched = await t.api('PATCH', `/api/playlists/${add.id}`, { audio_format: 'flac', audio_quality: 0 })
    expect(patched.json).toMatchObject({ audio_format: 'flac', audio_quality: 0 })
    expect((await t.api('PATCH', `/api/playlists/${add.id}`, { audio_format: 'wav' })).status).toBe(422)
    await t.runJob(add.id, 'both')
    const res = await t.app.handle(new Request(`http://localhost/playlists/${add.id}/playlist.m3u8`))
    expect(res.headers.get('content-type')).toContain('mpegurl')
    const text = await res.text()
    const ids = (await t.api('GET', `/api/playlists/${add.id}`)).json.videos.filter((v: any) => v.audio_path).map((v: any) => v.id)
    // Served: absolute URLs, since a player resolves a relative line against the M3U's own URL.
    expect(text).toBe(
      `#EXTM3U\n#PLAYLIST:Override <Mix>\n#EXTINF:2,One\nhttp://localhost/media/${ids[0]}/audio\n#EXTINF:3,Three lines\nhttp://localhost/media/${ids[1]}/audio\n`,
    )
    for (const url of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
      const audio = await t.app.handle(new Request(url))
      expect([url, audio.status, audio.headers.get('content-type')]).toEqual([url, 200, 'audio/flac'])
      expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(1000)
    }
    // The list in the playlist folder, for players that watch it, keeps paths relative to the folder.
    expect(readFileSync(join(t.dataDir, 'Override _Mix_', 'playlist.m3u8'), 'utf8')).toBe(
      '#EXTM3U\n#PLAYLIST:Override <Mix>\n#EXTINF:2,One\naudio/001 - One.flac\n#EXTINF:3,Three lines\naudio/003 - Three lines.flac\n',
    )
    expect((await t.app.handle(new Request('http://localhost/playlists/99/playlist.m3u8'))).status).toBe(404)
  })
})
