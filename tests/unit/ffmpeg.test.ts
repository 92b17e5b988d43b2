import { describe, expect, test } from 'bun:test'
import { buildExtractArgs, canStreamCopy, parseFfmpegProgress, parseProbe, percentOf } from '../../src/tools/ffmpeg'

const tags = { title: 'T\nx', artist: 'A', album: 'Al', album_artist: null, track: 3, date: '2024-01-02' }

describe('ffmpeg progress', () => {
  test.each([
    ['out_time_us=1500000', { outSeconds: 1.5 }],
    ['out_time_ms=2000000', { outSeconds: 2 }],
    ['out_time_us=N/A', null],
    ['progress=continue', { end: false }],
    ['progress=end', { end: true }],
    ['bitrate=128kbits/s', null],
    ['garbage', null],
  ])('%s', (line, expected) => expect(parseFfmpegProgress(line)).toEqual(expected as never))
  test('percent against duration, clamped', () => {
    expect(percentOf(1, 4)).toBe(25)
    expect(percentOf(5, 4)).toBe(100)
    expect(percentOf(1, null)).toBeNull()
  })
})

describe('probe and stream copy', () => {
  test('reads duration and the audio codec', () => {
    const p = parseProbe(JSON.stringify({ format: { duration: '2.04' }, streams: [{ codec_type: 'video', codec_name: 'h264' }, { codec_type: 'audio', codec_name: 'aac' }] }))
    expect(p).toEqual({ duration: 2.04, audioCodec: 'aac', hasVideo: true })
  })
  test.each([
    ['m4a', 'aac', true],
    ['opus', 'opus', true],
    ['mp3', 'aac', false],
    ['m4a', 'opus', false],
    ['flac', null, false],
  ] as const)('%s from %s → copy %p', (fmt, codec, copy) => expect(canStreamCopy(fmt, codec)).toBe(copy))
})

describe('buildExtractArgs', () => {
  const base = { input: '/d/v.mp4', output: '/d/.a.mp3.part', format: 'mp3' as const, quality: 2, copy: false, tags, cover: null }
  test('mp3 re-encodes with VBR quality, tags as single argv elements', () => {
    const a = buildExtractArgs('ffmpeg', base)
    expect(a.join(' ')).toContain('-c:a libmp3lame -q:a 2')
    expect(a).toContain('title=T x')
    expect(a).toContain('track=3')
    expect(a).not.toContain('album_artist=null')
    expect(a.slice(-3)).toEqual(['-f', 'mp3', '/d/.a.mp3.part'])
  })
  test('copy mode copies', () => {
    expect(buildExtractArgs('ffmpeg', { ...base, format: 'm4a', copy: true }).join(' ')).toContain('-c:a copy')
  })
  test('cover art is attached except for opus', () => {
    expect(buildExtractArgs('ffmpeg', { ...base, cover: '/c.jpg' })).toContain('attached_pic')
    expect(buildExtractArgs('ffmpeg', { ...base, format: 'opus', cover: '/c.jpg' })).not.toContain('attached_pic')
  })
})
