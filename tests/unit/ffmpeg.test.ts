import { describe, expect, test } from 'bun:test'
import {
  buildExtractArgs,
  canStreamCopy,
  flacPictureBlock,
  imageMime,
  opusCoverMetadata,
  parseFfmpegProgress,
  parseProbe,
  percentOf,
} from '../../src/tools/ffmpeg'

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
    const p = parseProbe(
      JSON.stringify({
        format: { duration: '2.04' },
        streams: [
          { codec_type: 'video', codec_name: 'h264' },
          { codec_type: 'audio', codec_name: 'aac' },
        ],
      }),
    )
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
  test('cover art is an attached picture, except for opus, whose cover comes as ffmetadata', () => {
    expect(buildExtractArgs('ffmpeg', { ...base, cover: '/c.jpg' })).toContain('attached_pic')
    const opus = buildExtractArgs('ffmpeg', { ...base, format: 'opus', cover: '/c.jpg', opusCoverFile: '/d/.a.ffmeta.part' })
    expect(opus).not.toContain('attached_pic')
    expect(opus.join(' ')).toContain('-f ffmetadata -i /d/.a.ffmeta.part -map 0:a:0')
    expect(opus.join(' ')).toContain('-map_metadata 1')
    // Without a cover the source's tags are dropped as always.
    expect(buildExtractArgs('ffmpeg', { ...base, format: 'opus' }).join(' ')).toContain('-map_metadata -1')
  })
})

describe('Opus cover: METADATA_BLOCK_PICTURE', () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])
  test('a FLAC picture block: front cover, MIME, empty description, unknown size, the bytes', () => {
    const b = flacPictureBlock(jpeg, 'image/jpeg')
    const v = new DataView(b.buffer)
    expect(v.getUint32(0)).toBe(3)
    expect(v.getUint32(4)).toBe(10)
    expect(new TextDecoder().decode(b.slice(8, 18))).toBe('image/jpeg')
    expect([22, 26, 30, 34].map((o) => v.getUint32(o))).toEqual([0, 0, 0, 0])
    expect(v.getUint32(18)).toBe(0)
    expect(v.getUint32(38)).toBe(jpeg.length)
    expect([...b.slice(42)]).toEqual([...jpeg])
    expect(b.length).toBe(42 + jpeg.length)
  })
  test('the ffmetadata text escapes "=" of base64 and decodes back to the block', () => {
    const text = opusCoverMetadata(jpeg, 'image/jpeg')
    expect(text).toStartWith(';FFMETADATA1\nMETADATA_BLOCK_PICTURE=')
    const value = text.split('\n')[1].slice('METADATA_BLOCK_PICTURE='.length)
    expect(value).toContain('\\=')
    expect(value).not.toMatch(/[^\\]=/)
    expect([...Buffer.from(value.replace(/\\(.)/g, '$1'), 'base64')]).toEqual([...flacPictureBlock(jpeg, 'image/jpeg')])
  })
  test('imageMime knows JPEG and PNG by their first bytes', () => {
    expect(imageMime(jpeg)).toBe('image/jpeg')
    expect(imageMime(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png')
    expect(imageMime(new TextEncoder().encode('RIFF....WEBP'))).toBeNull()
  })
})
