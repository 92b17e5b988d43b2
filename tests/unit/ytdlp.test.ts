import { describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../src/config'
import { ytdlpCommon } from '../../src/ytdlp/options'
import { saveCookies } from '../../src/library/cookies'
import {
  buildDownloadArgs,
  buildIndexArgs,
  cleanYtdlpError,
  downloadUrl,
  MARK,
  parseDownloadLine,
  parseIndex,
  redactArgv,
  unsmuggle,
  ytdlpReleaseDate,
} from '../../src/tools/ytdlp'

const opts = { socketTimeout: 5, format: 'best', ffmpegLocation: '/usr/bin/ffmpeg', stagingDir: '/d/.staging', retries: 2, rateLimit: 0 }

describe('yt-dlp argument builders', () => {
  test('the URL always comes after "--"', () => {
    const hostile = '--exec=touch /tmp/x'
    const args = buildIndexArgs('yt-dlp', hostile, { socketTimeout: 5 })
    expect(args.indexOf('--')).toBe(args.length - 2)
    expect(args.at(-1)).toBe(hostile)
    const dl = buildDownloadArgs('yt-dlp', ['-o/etc/x', 'http://a/b'], opts)
    expect(dl.slice(dl.indexOf('--') + 1)).toEqual(['-o/etc/x', 'http://a/b'])
  })
  test('rate limit and cookies only when configured', () => {
    expect(buildDownloadArgs('y', ['u'], opts)).not.toContain('--limit-rate')
    const args = buildDownloadArgs('y', ['u'], { ...opts, rateLimit: 500000, cookiesFile: '/c.txt' })
    expect(args[args.indexOf('--limit-rate') + 1]).toBe('500000')
    expect(args[args.indexOf('--cookies') + 1]).toBe('/c.txt')
  })
  test('PROXY reaches index and download runs as --proxy, before "--"; logged argv masks its password', () => {
    const proxy = 'socks5://bob:s3cret@10.0.0.2:1080'
    for (const args of [buildIndexArgs('y', 'u', { socketTimeout: 5, proxy }), buildDownloadArgs('y', ['u'], { ...opts, proxy })]) {
      expect(args[args.indexOf('--proxy') + 1]).toBe(proxy)
      expect(args.indexOf('--proxy')).toBeLessThan(args.indexOf('--'))
      expect(redactArgv(args).join(' ')).toContain('--proxy socks5://***@10.0.0.2:1080')
      expect(redactArgv(args).join(' ')).not.toContain('s3cret')
    }
    expect(buildIndexArgs('y', 'u', { socketTimeout: 5, proxy: null })).not.toContain('--proxy')
  })
  test('subtitles and chapters only when asked, all before "--"', () => {
    const plain = buildDownloadArgs('y', ['u'], opts)
    for (const flag of ['--write-subs', '--write-auto-subs', '--embed-subs', '--embed-chapters']) expect(plain).not.toContain(flag)
    const subs = buildDownloadArgs('y', ['u'], { ...opts, subtitles: { langs: ['en', 'pt-BR'], auto: false }, embedChapters: true })
    const tail = subs.slice(subs.indexOf('--write-subs'), subs.indexOf('--'))
    expect(tail).toEqual([
      '--write-subs',
      '--sub-langs',
      'en,pt-BR',
      '--sub-format',
      'vtt/srt/best',
      '--convert-subs',
      'vtt',
      '--embed-subs',
      '--embed-chapters',
    ])
    const all = buildDownloadArgs('y', ['u'], { ...opts, subtitles: { langs: 'all', auto: true } })
    expect(all.slice(all.indexOf('--write-subs'), all.indexOf('--sub-langs') + 2)).toEqual(['--write-subs', '--write-auto-subs', '--sub-langs', 'all'])
    expect(all).not.toContain('--embed-chapters')
  })
})

describe('the effective cookies file, resolved in one place', () => {
  test('COOKIES_FILE wins; else DATA_DIR/cookies.txt once uploaded; yt-dlp gets it as --cookies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yts-cookies-'))
    try {
      const config = parseConfig({ DATA_DIR: dir })
      expect(ytdlpCommon(config).cookiesFile).toBeNull()
      saveCookies(config, '# Netscape HTTP Cookie File\n.youtube.com\tTRUE\t/\tTRUE\t0\tSID\tv\n')
      const common = ytdlpCommon(config)
      expect(common.cookiesFile).toBe(join(dir, 'cookies.txt'))
      const args = buildDownloadArgs('y', ['u'], { ...opts, ...common })
      expect(args[args.indexOf('--cookies') + 1]).toBe(join(dir, 'cookies.txt'))
      const env = join(dir, 'mine.txt')
      writeFileSync(env, '')
      expect(ytdlpCommon(parseConfig({ DATA_DIR: dir, COOKIES_FILE: env })).cookiesFile).toBe(env)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('parseDownloadLine', () => {
  test.each([
    [`${MARK.start}"abc"`, { kind: 'start', id: 'abc' }],
    [`${MARK.done}"abc" "/x/y z.mp4"`, { kind: 'done', id: 'abc', path: '/x/y z.mp4' }],
    [`${MARK.done}"a\\" \\"b" "/p \\"q\\".mp4"`, { kind: 'done', id: 'a" "b', path: '/p "q".mp4' }],
    [`${MARK.progress}1024 40611 NA 29926721.5 3 "g1"`, { kind: 'progress', id: 'g1', downloaded_bytes: 1024, total_bytes: 40611, speed: 29926721.5, eta: 3 }],
    [
      `${MARK.progress}1024 NA 90000 NA NA "id with space"`,
      { kind: 'progress', id: 'id with space', downloaded_bytes: 1024, total_bytes: 90000, speed: null, eta: null },
    ],
  ])('%s', (line, expected) => {
    expect(parseDownloadLine(line)).toEqual(expected as never)
  })
  test('ignores foreign and malformed lines', () => {
    expect(parseDownloadLine('[download] 10% of 1MiB')).toBeNull()
    expect(parseDownloadLine(`${MARK.start}not json`)).toBeNull()
  })
})

describe('cleanYtdlpError', () => {
  test('keeps the reason, drops the boilerplate', () => {
    expect(
      cleanYtdlpError(
        'WARNING: x\nERROR: [generic] None: Unable to download webpage: HTTP Error 404: File not found (caused by <HTTPError 404>); please report this issue on https://x',
      ),
    ).toBe('Unable to download webpage: HTTP Error 404: File not found')
    expect(cleanYtdlpError('ERROR: unable to download video data: HTTP Error 500')).toBe('unable to download video data: HTTP Error 500')
  })
})

describe('parseIndex', () => {
  const feed = JSON.stringify({
    _type: 'playlist',
    title: 'My <Feed>',
    entries: [
      { _type: 'url_transparent', url: 'http://h/a.mp4#__youtubedl_smuggle=%7B%22force_videoid%22%3A+%22a1%22%7D', title: 'A', duration: 2 },
      { _type: 'url_transparent', url: 'http://h/b.mp4', title: 'B', duration: null },
      {
        _type: 'url',
        id: 'dQw4w9WgXcQ',
        ie_key: 'Youtube',
        url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
        title: 'Yt',
        uploader: 'Chan',
        upload_date: '20240102',
      },
      { _type: 'playlist', entries: [{ url: 'http://h/c.mp4', title: 'nested' }] },
    ],
  })
  const r = parseIndex(feed, 'http://h/feed.xml')
  test('keeps order and positions, flattens nested playlists', () => {
    expect(r.title).toBe('My <Feed>')
    expect(r.entries.map((e) => [e.position, e.title])).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, 'Yt'],
      [4, 'nested'],
    ])
  })
  test('ids: extractor id when there is one, else a stable hash of guid or URL', () => {
    expect(r.entries[2].source_id).toBe('dQw4w9WgXcQ')
    expect(r.entries[0].source_id).toMatch(/^g[0-9a-f]{16}$/)
    expect(parseIndex(feed, 'x').entries[1].source_id).toBe(r.entries[1].source_id)
    expect(new Set(r.entries.map((e) => e.source_id)).size).toBe(4)
    expect(r.entries[2].upload_date).toBe('2024-01-02')
    expect(r.entries[2].uploader).toBe('Chan')
  })
  test('URLs are stored clean: smuggled data other than the id is kept apart, for the download', () => {
    expect(r.entries[0].source_url).toBe('http://h/a.mp4')
    expect(r.entries[0].smuggled_data).toBeNull()
    const vimeo = parseIndex(
      JSON.stringify({
        entries: [{ _type: 'url', url: 'https://v.example/1#__youtubedl_smuggle=%7B%22referer%22%3A+%22https%3A%2F%2Fpage.example%2F%22%7D', title: 'V' }],
      }),
      'https://page.example/',
    ).entries[0]
    expect([vimeo.source_url, vimeo.smuggled_data]).toEqual(['https://v.example/1', '{"referer":"https://page.example/"}'])
    expect(unsmuggle(downloadUrl(vimeo.source_url, vimeo.source_id, vimeo.smuggled_data))).toEqual({
      url: 'https://v.example/1',
      data: { referer: 'https://page.example/', force_videoid: vimeo.source_id },
    })
  })
  test('a single video is a one-entry playlist', () => {
    const single = parseIndex(JSON.stringify({ id: 'x1', title: 'One', webpage_url: 'http://h/v' }), 'http://h/v')
    expect(single.entries).toHaveLength(1)
    expect(single.entries[0].source_id).toBe('x1')
  })
})

describe('downloadUrl', () => {
  test('smuggles our id for generic entries and keeps existing smuggled data', () => {
    const u = downloadUrl('http://h/a.mp4#__youtubedl_smuggle=%7B%22force_videoid%22%3A+%22a1%22%2C%22x%22%3A1%7D', 'gabc')
    expect(unsmuggle(u)).toEqual({ url: 'http://h/a.mp4', data: { force_videoid: 'gabc', x: 1 } })
    expect(unsmuggle(downloadUrl('http://h/a.mp4', 'gabc', '{"x":1}'))).toEqual({ url: 'http://h/a.mp4', data: { x: 1, force_videoid: 'gabc' } })
    expect(unsmuggle(downloadUrl('http://h/a.mp4', 'gabc', 'not json'))).toEqual({ url: 'http://h/a.mp4', data: { force_videoid: 'gabc' } })
  })
  test('leaves extractor URLs alone', () => {
    expect(downloadUrl('https://www.youtube.com/watch?v=x', 'x')).toBe('https://www.youtube.com/watch?v=x')
  })
})

describe('--use-extractors', () => {
  test('only direct media files in a generic playlist are known to need the generic extractor', () => {
    const r = parseIndex(
      JSON.stringify({
        extractor: 'generic',
        title: 'F',
        entries: [
          { url: 'http://h/a.mp4', title: 'file' },
          { url: 'https://www.youtube.com/watch?v=x', title: 'a video page linked from RSS' },
          { id: 'x', ie_key: 'Youtube', url: 'https://www.youtube.com/watch?v=x', title: 'yt' },
        ],
      }),
      'http://h/f',
    )
    expect(r.extractor).toBe('generic')
    // A YouTube video named as such is recorded "youtube" (SponsorBlock asks about those only);
    // yt-dlp is still left to its URL matching for it, as --use-extractors names generic alone.
    expect(r.entries.map((e) => e.extractor)).toEqual(['generic', null, 'youtube'])
  })
  test('the generic extractor is named to yt-dlp; others are left to its URL matching', () => {
    expect(buildIndexArgs('y', 'u', { socketTimeout: 5, extractor: 'generic' })).toContain('--use-extractors')
    expect(buildIndexArgs('y', 'u', { socketTimeout: 5, extractor: 'youtube:tab' })).not.toContain('--use-extractors')
    const args = buildDownloadArgs('y', ['u'], { ...opts, extractor: 'generic' })
    expect(args[args.indexOf('--use-extractors') + 1]).toBe('generic')
    expect(args.indexOf('--use-extractors')).toBeLessThan(args.indexOf('--'))
  })
})

test('private and deleted placeholders are not entries', () => {
  const r = parseIndex(
    JSON.stringify({
      title: 'P',
      entries: [
        { id: 'a', ie_key: 'Youtube', url: 'https://www.youtube.com/watch?v=a', title: 'kept' },
        { id: 'b', ie_key: 'Youtube', url: 'https://www.youtube.com/watch?v=b', title: '[Private video]' },
        { id: 'c', ie_key: 'Youtube', url: 'https://www.youtube.com/watch?v=c', title: '[Deleted video]' },
        { id: 'd', ie_key: 'Youtube', url: 'https://www.youtube.com/watch?v=d', title: 'x', availability: 'private' },
      ],
    }),
    'u',
  )
  expect(r.entries.map((e) => e.source_id)).toEqual(['a'])
})

describe('ytdlpReleaseDate and stale versions', () => {
  test('release and nightly versions are dates; anything else is not', () => {
    expect(ytdlpReleaseDate('2023.03.04')?.toISOString()).toBe('2023-03-04T00:00:00.000Z')
    expect(ytdlpReleaseDate('2025.01.26.034637')?.toISOString()).toBe('2025-01-26T00:00:00.000Z')
    for (const v of ['', 'dev', '2023.13.01', '2023.02.30', '1.2.3']) expect(ytdlpReleaseDate(v)).toBeNull()
  })
  test('a yt-dlp older than 90 days is stale (doctor fails on it)', async () => {
    const { isStale, ytdlpAgeDays } = await import('../../src/tools/ytdlp-release')
    const now = new Date('2026-11-25T12:00:00Z')
    expect(isStale('2026.10.01', now)).toBe(false)
    expect(isStale('2026.08.27', now)).toBe(false) // 90 days
    expect(isStale('2026.08.26', now)).toBe(true)
    expect(ytdlpAgeDays('2023.03.04', now)).toBe(1362)
    expect(isStale('2023.03.04', now)).toBe(true)
    expect(isStale(null, now)).toBe(false)
    expect(isStale('custom-build', now)).toBe(false)
  })
})
