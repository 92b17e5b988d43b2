// The pure parts of an import: reading names, judging ffprobe/ffmpeg answers, matching files to entries.
import { describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ImportEntry } from '../../src/db/imports'
import { idInName, splitName, titleInName, titleKey } from '../../src/library/archive-names'
import { mediaKind } from '../../src/library/media-types'
import { planImport } from '../../src/playlists/import-match'
import { scanFolder, type FolderScan, type FoundFile } from '../../src/playlists/import-scan'
import { judgeMedia } from '../../src/tools/media-check'
import { genericFileId, parseIndex, sourceIdsOf } from '../../src/tools/ytdlp'

describe('names', () => {
  test.each([
    ['Title [dQw4w9WgXcQ].mp4', 'Title [dQw4w9WgXcQ]', false, 'dQw4w9WgXcQ'],
    ['Title [dQw4w9WgXcQ].info.json', 'Title [dQw4w9WgXcQ]', true, 'dQw4w9WgXcQ'],
    ['sub/x [a-b_c].webm', 'sub/x [a-b_c]', false, 'a-b_c'],
    ['no id.mp4', 'no id', false, null],
    ['[] empty.mp4', '[] empty', false, null],
    ['spaces [a b].mp4', 'spaces [a b]', false, null],
    ['.hidden', '.hidden', false, null],
  ])('%p → stem %p, sidecar %p, id %p', (name, stem, sidecar, id) => {
    expect(splitName(name)).toEqual({ stem, sidecar })
    expect(idInName(stem)).toBe(id)
  })
  test("titles compare without the id, our number, case, punctuation or yt-dlp's full-width stand-ins", () => {
    expect(titleKey(titleInName('Beta： two⧸parts ＂live＂ [ib]'))).toBe(titleKey('Beta: two/parts "live"'))
    expect(titleKey(titleInName('007 - Delta_Song'))).toBe('delta song')
    expect(titleKey('Ünïcode Ｔｉｔｌｅ')).toBe('ünïcode title')
    expect(titleKey('!!!')).toBe('')
  })
  test('video and audio by extension, any case', () => {
    expect(['a.MP4', 'b.webm', 'c.mkv', 'd.m4a', 'e.OPUS', 'f.mp3', 'g.txt', 'h.info.json', 'i'].map(mediaKind)).toEqual([
      'video',
      'video',
      'video',
      'audio',
      'audio',
      'audio',
      null,
      null,
      null,
    ])
  })
  test("the ids yt-dlp's generic extractor puts in names, as parseIndex stores them", () => {
    expect(genericFileId('http://h/media/a2.mp4')).toBe('a2')
    expect(genericFileId('http://h/media/my%20file.tar.gz/')).toBe('my file.tar')
    expect(genericFileId('http://h/x.mp4?v=1')).toBe('x')
    // A feed item with a guid: yt-dlp names the file by the guid, parseIndex hashes it.
    const index = parseIndex(
      JSON.stringify({ title: 'F', entries: [{ url: 'http://h/media/a1.mp4#__youtubedl_smuggle=%7B%22force_videoid%22%3A+%22G1%22%7D', title: 'A' }] }),
      'http://h/feed.xml',
    )
    expect(sourceIdsOf('G1')).toContain(index.entries[0].source_id)
    expect(sourceIdsOf('dQw4w9WgXcQ')[0]).toBe('dQw4w9WgXcQ')
  })
})

describe('judgeMedia', () => {
  const ok = { code: 0, stdout: '', stderr: '' }
  const probe = (format: string, streams: string[], duration = '2.0') => ({
    code: 0,
    stderr: '',
    stdout: JSON.stringify({ format: { format_name: format, duration }, streams: streams.map((codec_type) => ({ codec_type })) }),
  })
  test.each([
    ['whole mp4 video', 'video', probe('mov,mp4,m4a,3gp,3g2,mj2', ['video', 'audio']), ok, null],
    ['whole m4a audio', 'audio', probe('mov,mp4,m4a,3gp,3g2,mj2', ['audio']), ok, null],
    ['audio-only webm as a video', 'video', probe('matroska,webm', ['audio']), ok, 'no video stream in this video file'],
    ['no audio', 'video', probe('matroska,webm', ['video']), ok, 'no audio stream'],
    ['an HLS playlist named .mp4', 'video', probe('hls', ['video', 'audio']), ok, 'not a plain media file (hls)'],
    ['no length', 'audio', probe('mp3', ['audio'], 'N/A'), ok, 'no length: the file looks empty or cut short'],
    [
      'cut short',
      'video',
      probe('matroska,webm', ['video', 'audio']),
      { code: 0, stdout: '', stderr: '[matroska,webm @ 0x5612] File ended prematurely\n' },
      'damaged or cut short: File ended prematurely',
    ],
    [
      'garbage',
      'video',
      { code: 1, stdout: '{}', stderr: '/d/x.mp4: Invalid data found when processing input\n' },
      null,
      'not readable media: Invalid data found when processing input',
    ],
  ] as const)('%s', (_, kind, p, read, expected) => expect(judgeMedia(kind, '/d/x.mp4', p, read)).toBe(expected))
})

describe('planImport', () => {
  const entry = (id: number, source_id: string, title: string, more: Partial<ImportEntry> = {}): ImportEntry => ({
    id,
    source_id,
    source_url: `https://www.youtube.com/watch?v=${source_id}`,
    title,
    uploader: null,
    upload_date: null,
    position: id,
    download_state: 'pending',
    extract_state: 'pending',
    video_path: null,
    audio_path: null,
    video_deleted_at: null,
    ...more,
  })
  const file = (rel: string, kind: FoundFile['kind'], refused: string | null = null): FoundFile => ({
    rel,
    full: `/in/${rel}`,
    kind,
    stem: rel.replace(/\.info\.json$|\.[^.]+$/, ''),
    size: 1,
    mtimeMs: 1,
    refused,
  })
  const scan = (files: FoundFile[], sidecars: [string, string][] = []): FolderScan => ({ files, sidecarIds: new Map(sidecars), notScanned: 0 })
  const entries = [
    entry(1, 'aaaaaaaaaaa', 'First'),
    entry(2, 'bbbbbbbbbbb', 'Second', { download_state: 'downloaded', video_path: 'P/videos/002 - Second.mp4' }),
    entry(3, 'ccccccccccc', 'Same title'),
    entry(4, 'ddddddddddd', 'Same title'),
    entry(5, 'eeeeeeeeeee', 'Fifth'),
  ]
  const brief = (rows: ReturnType<typeof planImport>) => rows.map((r) => [r.file, r.entry?.id ?? null, r.matched_by, r.action])

  test('ids from names and sidecars, one file per entry and kind, entries that need nothing skipped', () => {
    const rows = planImport(
      scan(
        [
          file('First [aaaaaaaaaaa].mp4', 'video'),
          file('First [aaaaaaaaaaa].mkv', 'video'),
          file('First [aaaaaaaaaaa].opus', 'audio'),
          file('Second [bbbbbbbbbbb].mp4', 'video'),
          file('x.mp4', 'video'),
          file('x.info.json', 'sidecar'),
          file('link [eeeeeeeeeee].mp4', 'video', 'a symbolic link pointing outside the folder: refused'),
          file('Nobody [zzzzzzzzzzz].mp4', 'video'),
        ],
        [['x', 'eeeeeeeeeee']],
      ),
      entries,
      'id',
    )
    expect(brief(rows)).toEqual([
      ['First [aaaaaaaaaaa].mkv', 1, 'id', 'adopt'],
      ['First [aaaaaaaaaaa].mp4', 1, 'id', 'skip'],
      ['First [aaaaaaaaaaa].opus', 1, 'id', 'adopt'],
      ['Nobody [zzzzzzzzzzz].mp4', null, null, 'unknown'],
      ['Second [bbbbbbbbbbb].mp4', 2, 'id', 'skip'],
      ['link [eeeeeeeeeee].mp4', null, null, 'refused'],
      ['x.info.json', null, null, 'unknown'],
      ['x.mp4', 5, 'info.json', 'adopt'],
    ])
    expect(rows.find((r) => r.file === 'Second [bbbbbbbbbbb].mp4')?.detail).toBe('the archive already has its video')
  })

  test('titles only with --match title, after ids, and never when two entries share one', () => {
    const files = [file('first.mp4', 'video'), file('SAME TITLE.mp4', 'video'), file('First [aaaaaaaaaaa].webm', 'video')]
    expect(brief(planImport(scan(files), entries, 'id')).map((r) => r[3])).toEqual(['adopt', 'unknown', 'unknown'])
    const byTitle = planImport(scan(files), entries, 'title')
    expect(brief(byTitle)).toEqual([
      ['First [aaaaaaaaaaa].webm', 1, 'id', 'adopt'],
      ['SAME TITLE.mp4', null, 'title', 'refused'],
      ['first.mp4', 1, 'title', 'skip'],
    ])
    expect(byTitle[1].detail).toBe('fits 2 entries: which one is not certain')
  })
})

describe('scanFolder', () => {
  test('subfolders are read, links are listed and refused, never followed; sidecar ids are read', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'yt-serve-scan-')))
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'yt-serve-scan-out-')))
    try {
      mkdirSync(join(root, 'sub', 'deeper'), { recursive: true })
      writeFileSync(join(root, 'sub', 'deeper', 'A [aaaaaaaaaaa].mp4'), 'x')
      writeFileSync(join(root, 'sub', 'A [aaaaaaaaaaa].info.json'), JSON.stringify({ id: 'aaaaaaaaaaa', title: '<b>' }))
      writeFileSync(join(root, 'bad.info.json'), '{not json')
      writeFileSync(join(outside, 'secret [bbbbbbbbbbb].mp4'), 'y')
      symlinkSync(outside, join(root, 'linked-dir'))
      symlinkSync(join(root, 'sub', 'deeper', 'A [aaaaaaaaaaa].mp4'), join(root, 'inner [aaaaaaaaaaa].mp4'))
      const scan = await scanFolder(root)
      expect(scan.files.map((f) => [f.rel, f.kind, f.refused])).toEqual([
        ['bad.info.json', 'sidecar', null],
        ['inner [aaaaaaaaaaa].mp4', 'video', 'a symbolic link: refused (import the file it points to instead)'],
        ['linked-dir', 'other', 'a symbolic link pointing outside the folder: refused'],
        ['sub/A [aaaaaaaaaaa].info.json', 'sidecar', null],
        ['sub/deeper/A [aaaaaaaaaaa].mp4', 'video', null],
      ])
      expect([...scan.sidecarIds]).toEqual([['sub/A [aaaaaaaaaaa]', 'aaaaaaaaaaa']])
    } finally {
      rmSync(root, { recursive: true, force: true })
      rmSync(outside, { recursive: true, force: true })
    }
  })
})
