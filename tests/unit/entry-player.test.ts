import { afterAll, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { languageName, subtitlesBeside } from '../../src/library/subtitles'
import { buildChaptersArgs, parseChapters } from '../../src/tools/ffmpeg'

const dir = mkdtempSync(join(tmpdir(), 'yt-serve-subs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('ffprobe chapters: the argv, and start times with titles in order', () => {
  expect(buildChaptersArgs('ffprobe', '/d/a.mp4')).toEqual(['ffprobe', '-v', 'error', '-print_format', 'json', '-show_chapters', '/d/a.mp4'])
  const json = JSON.stringify({
    chapters: [
      { start_time: '61.500000', tags: { title: 'Second' } },
      { start_time: '0.000000', tags: { title: ' Intro ' } },
      { start_time: '90.000000', tags: {} },
      { start_time: 'N/A', tags: { title: 'broken' } },
    ],
  })
  expect(parseChapters(json)).toEqual([
    { start: 0, title: 'Intro' },
    { start: 61.5, title: 'Second' },
    { start: 90, title: 'Chapter 3' },
  ])
  expect(parseChapters('{}')).toEqual([])
})

test('subtitles beside a video: <stem>.<lang>.vtt only, sorted; another entry whose name starts the same lends none', async () => {
  mkdirSync(join(dir, 'Mix/videos'), { recursive: true })
  for (const n of ['01 - Song.mp4', '01 - Song.fr.vtt', '01 - Song.en.vtt', '01 - Song.vtt', '01 - Song.live.en.vtt', '01 - Song.en.srt', '01 - Songs.en.vtt'])
    writeFileSync(join(dir, 'Mix/videos', n), '')
  expect(await subtitlesBeside(dir, 'Mix/videos/01 - Song.mp4')).toEqual([
    { lang: 'en', path: 'Mix/videos/01 - Song.en.vtt' },
    { lang: 'fr', path: 'Mix/videos/01 - Song.fr.vtt' },
  ])
  expect(await subtitlesBeside(dir, 'Gone/videos/x.mp4')).toEqual([])
})

test('language labels: a human name when known, the tag otherwise', () => {
  expect(languageName('en')).toBe('English')
  expect(languageName('pt-BR')).toBe('Brazilian Portuguese')
  expect(languageName('en-orig')).toBe('en-orig')
  expect(languageName('zz_top')).toBe('zz_top')
})
