import { describe, expect, test } from 'bun:test'
import { chapterArgs, chapterFileBase, lengthArgs, parseChapterSpans, seekArgs, vorbisTime } from '../../src/tools/chapters'
import { buildExtractArgs } from '../../src/tools/ffmpeg'

const probe = (chapters: unknown[]) => JSON.stringify({ chapters })
const spans = [
  { start: 0, end: 1.5, title: 'Intro' },
  { start: 1.5, end: 4, title: 'Line\nbreak' },
]

describe('parseChapterSpans', () => {
  test('start, end and title in the file order; untitled ones get a number', () => {
    expect(
      parseChapterSpans(
        probe([
          { start_time: '0.000000', end_time: '1.500000', tags: { title: ' Intro ' } },
          { start_time: '1.500000', end_time: '4.000000' },
        ]),
      ),
    ).toEqual([
      { start: 0, end: 1.5, title: 'Intro' },
      { start: 1.5, end: 4, title: 'Chapter 2' },
    ])
  })
  test('none, or one broken chapter: no usable list', () => {
    expect(parseChapterSpans('{}')).toEqual([])
    expect(
      parseChapterSpans(
        probe([
          { start_time: '0', end_time: '1' },
          { start_time: 'N/A', end_time: '2' },
        ]),
      ),
    ).toEqual([])
    expect(parseChapterSpans(probe([{ start_time: '2', end_time: '1' }]))).toEqual([])
  })
})

describe('chapterArgs', () => {
  test('no chapters: none are written (ffmpeg would copy the input’s by default)', () => {
    for (const f of ['mp3', 'm4a', 'opus', 'flac'] as const) expect(chapterArgs(f, [])).toEqual(['-map_chapters', '-1'])
  })
  test.each(['mp3', 'm4a'] as const)('%s: the muxer writes the mapped chapters, titles set again per chapter', (f) => {
    expect(chapterArgs(f, spans)).toEqual(['-map_chapters', '0', '-metadata:c:0', 'title=Intro', '-metadata:c:1', 'title=Line break'])
  })
  test.each(['opus', 'flac'] as const)('%s: Xiph CHAPTERxxx / CHAPTERxxxNAME comments from 001', (f) => {
    expect(chapterArgs(f, spans)).toEqual([
      '-map_chapters',
      '-1',
      '-metadata',
      'CHAPTER001=00:00:00.000',
      '-metadata',
      'CHAPTER001NAME=Intro',
      '-metadata',
      'CHAPTER002=00:00:01.500',
      '-metadata',
      'CHAPTER002NAME=Line break',
    ])
  })
  test.each([
    [0, '00:00:00.000'],
    [83.5, '00:01:23.500'],
    [3725.0004, '01:02:05.000'],
    [59.9996, '00:01:00.000'],
  ])('vorbisTime(%p) = %s', (s, text) => expect(vorbisTime(s)).toBe(text))
})

describe('one chapter of the input', () => {
  test('seek before the input, length on the output', () => {
    expect(seekArgs({ start: 1.5, end: 4 })).toEqual(['-ss', '1.500'])
    expect(lengthArgs({ start: 1.5, end: 4 })).toEqual(['-t', '2.500'])
    expect(seekArgs(null)).toEqual([])
    const tags = { title: 'Intro', artist: null, album: 'Mix', album_artist: null, track: '01/02', date: null }
    const a = buildExtractArgs('ffmpeg', {
      input: '/d/v.mp4',
      output: '/d/o',
      format: 'mp3',
      quality: 2,
      copy: false,
      tags,
      cover: null,
      range: { start: 1.5, end: 4 },
    })
    expect(a.indexOf('-ss')).toBeLessThan(a.indexOf('-i'))
    expect(a.indexOf('-t')).toBeGreaterThan(a.indexOf('-i'))
    expect(a).toContain('track=01/02')
  })
  test('file names: two-digit tracks at least, wider for long albums', () => {
    expect(chapterFileBase(3, 12, 'Song')).toBe('03 - Song')
    expect(chapterFileBase(7, 120, 'Song')).toBe('007 - Song')
  })
})
