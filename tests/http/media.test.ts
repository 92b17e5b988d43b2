import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { updateVideo } from '../../src/db/videos'
import { parseByteRange } from '../../src/http/media'
import { testContext, type TestContext } from '../helpers/context'
import { request, seedPlaylist } from './ui-helpers'

let t: TestContext
let outside: string
const bytes = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 256))
const ids: number[] = []

beforeAll(async () => {
  t = await testContext()
  const p = await seedPlaylist(t, { entries: 6 })
  ids.push(...(await t.ctx.db.selectFrom('videos').select('id').where('playlist_id', '=', p.id).orderBy('position').execute()).map((r) => r.id))
  mkdirSync(join(t.dataDir, 'Mix/audio'), { recursive: true })
  mkdirSync(join(t.dataDir, 'Mix/videos'), { recursive: true })
  writeFileSync(join(t.dataDir, 'Mix/audio/Späť "1".mp3'), bytes)
  writeFileSync(join(t.dataDir, 'Mix/videos/one.webm'), bytes)
  writeFileSync(join(t.dataDir, 'Mix/audio/two.opus'), bytes)
  outside = mkdtempSync(join(tmpdir(), 'yt-serve-outside-'))
  writeFileSync(join(outside, 'secret.mp3'), 'secret')
  symlinkSync(join(outside, 'secret.mp3'), join(t.dataDir, 'Mix/audio/link.mp3'))
  await updateVideo(t.ctx.db, ids[0], { extract_state: 'extracted', audio_path: 'Mix/audio/Späť "1".mp3', video_path: 'Mix/videos/one.webm' })
  await updateVideo(t.ctx.db, ids[1], { extract_state: 'extracted', audio_path: 'Mix/audio/two.opus' })
  await updateVideo(t.ctx.db, ids[2], { audio_path: '../../../../etc/passwd' })
  await updateVideo(t.ctx.db, ids[3], { audio_path: '/etc/passwd' })
  await updateVideo(t.ctx.db, ids[4], { audio_path: 'Mix/audio/link.mp3' })
})
afterAll(async () => {
  await t.close()
  rmSync(outside, { recursive: true, force: true })
})

const get = (path: string, headers: Record<string, string> = {}) => t.app.handle(new Request(`http://localhost${path}`, { headers }))

describe('audio and video files', () => {
  test('whole file: 200, content type, length, Accept-Ranges', async () => {
    const res = await get(`/media/${ids[0]}/audio`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('audio/mpeg')
    expect(res.headers.get('content-length')).toBe('1000')
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
  })

  test('a range: 206 with Content-Range and exactly those bytes', async () => {
    const res = await get(`/media/${ids[0]}/audio`, { range: 'bytes=100-199' })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe('bytes 100-199/1000')
    expect(res.headers.get('content-length')).toBe('100')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.slice(100, 200))
  })

  test('open-ended and suffix ranges, as browsers send them', async () => {
    const open = await get(`/media/${ids[0]}/audio`, { range: 'bytes=0-' })
    expect(open.status).toBe(206)
    expect(open.headers.get('content-range')).toBe('bytes 0-999/1000')
    const tail = await get(`/media/${ids[0]}/audio`, { range: 'bytes=-10' })
    expect(tail.status).toBe(206)
    expect(tail.headers.get('content-range')).toBe('bytes 990-999/1000')
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.slice(990))
  })

  test('a range past the end: 416 with the size', async () => {
    const res = await get(`/media/${ids[0]}/audio`, { range: 'bytes=5000-' })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe('bytes */1000')
  })

  test('download link: attachment with the file name', async () => {
    const res = await get(`/media/${ids[0]}/audio?download=1`)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Sp__ _1_.mp3"; filename*=UTF-8''${encodeURIComponent('Späť "1".mp3')}`)
  })

  test('video files and other audio formats get their types', async () => {
    expect((await get(`/media/${ids[0]}/video`)).headers.get('content-type')).toBe('video/webm')
    expect((await get(`/media/${ids[1]}/audio`)).headers.get('content-type')).toBe('audio/ogg; codecs=opus')
  })

  test('only files inside DATA_DIR: .., absolute paths and symlinks out are 404', async () => {
    for (const id of [ids[2], ids[3], ids[4]]) {
      const res = await get(`/media/${id}/audio`)
      expect(res.status).toBe(404)
      expect(await res.text()).not.toContain('root:')
    }
  })

  test('traversal in the URL never reaches the file system: files are addressed by entry id only', async () => {
    for (const path of [
      '/media/%2e%2e/audio',
      '/media/..%2f..%2fetc%2fpasswd/audio',
      '/media/1/../../../etc/passwd',
      '/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/etc/passwd',
      '/media//etc/passwd/audio',
      '/yt-serve.db',
      '/.yt-serve-children',
    ]) {
      const res = await get(path)
      expect(res.status).toBeGreaterThanOrEqual(400)
      const text = await res.text()
      expect(text).not.toContain('root:')
      expect(text).not.toContain('SQLite format')
    }
  })

  test('no file yet, unknown entry: 404', async () => {
    expect((await get(`/media/${ids[5]}/audio`)).status).toBe(404)
    expect((await request(t, '/media/999999/audio')).status).toBe(404)
    expect((await request(t, '/media/abc/audio')).status).toBe(422)
  })
})

describe('parseByteRange', () => {
  test.each([
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=90-500', 100, { start: 90, end: 99 }],
    ['bytes=-5', 100, { start: 95, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=100-', 100, 'unsatisfiable'],
    ['bytes=-0', 100, 'unsatisfiable'],
    ['bytes=0-1,5-6', 100, null],
    ['bytes=9-1', 100, null],
    ['items=0-1', 100, null],
    ['bytes=-', 100, null],
  ] as const)('%s of %d', (header, size, expected) => {
    expect(parseByteRange(header, size)).toEqual(expected as never)
  })
})
