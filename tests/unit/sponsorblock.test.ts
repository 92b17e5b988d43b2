import { describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { cacheIsFresh, lookUp } from '../../src/jobs/sponsorblock'
import { cacheSegments, hashPrefix, parseCategories, parseSkipSegments, readCachedSegments, skipSegmentsUrl } from '../../src/library/sponsorblock'
import { buildExtractArgs } from '../../src/tools/ffmpeg'
import {
  buildVideoCutArgs,
  chaptersMetadata,
  concatList,
  cutFilterGraph,
  keptRanges,
  markChapters,
  mergeSegments,
  planCut,
  shiftChapters,
  shiftTime,
} from '../../src/tools/sponsorblock-cut'
import { startSponsorblockServer } from '../fixtures/sponsorblock-server'

const ID = 'dQw4w9WgXcQ'

describe('the hash-prefix request', () => {
  test('asks for the first 4 hex characters of the id’s SHA-256, never the id', () => {
    const prefix = createHash('sha256').update(ID).digest('hex').slice(0, 4)
    expect(hashPrefix(ID)).toBe(prefix)
    const url = new URL(skipSegmentsUrl('https://sb.example', ID))
    expect(url.pathname).toBe(`/api/skipSegments/${prefix}`)
    expect(url.href).not.toContain(ID)
    expect(JSON.parse(url.searchParams.get('categories')!)).toContain('sponsor')
    expect(JSON.parse(url.searchParams.get('actionTypes')!)).toEqual(['skip'])
  })

  test('a real lookup sends only the prefix and picks its own video out of the bucket', async () => {
    await using sb = startSponsorblockServer()
    // Another id in the same bucket: the answer lists both, and only ours is taken.
    let twin = ''
    for (let i = 0; !twin; i++) {
      const candidate = `x${String(i).padStart(10, '0')}`
      if (hashPrefix(candidate) === hashPrefix(ID)) twin = candidate
    }
    sb.setSegments(ID, [{ segment: [1, 2], category: 'sponsor' }])
    sb.setSegments(twin, [{ segment: [5, 9], category: 'selfpromo' }])
    expect(await lookUp(sb.url, ID)).toEqual([{ start: 1, end: 2, category: 'sponsor' }])
    expect(sb.requests()).toHaveLength(1)
    expect(sb.requests()[0]).toStartWith(`/api/skipSegments/${hashPrefix(ID)}?`)
    expect(sb.requests()[0]).not.toContain(ID)
  })

  test('an empty bucket (404) is no segments; 500, malformed JSON, a redirect and an oversized answer throw', async () => {
    await using sb = startSponsorblockServer()
    expect(await lookUp(sb.url, ID)).toEqual([])
    for (const [b, message] of [
      ['error500', 'HTTP 500'],
      ['malformed', 'not JSON'],
      ['redirect', 'redirect'],
      ['huge', 'larger than'],
    ] as const) {
      sb.setBehaviour(b)
      await expect(lookUp(sb.url, ID)).rejects.toThrow(message)
    }
  })
})

describe('reading the answer', () => {
  const answer = (segments: unknown) =>
    JSON.stringify([
      { videoID: 'other000000', segments: [{ segment: [0, 9], category: 'sponsor' }] },
      { videoID: ID, segments },
    ])

  test('keeps only well-formed skip segments of known categories', () => {
    const segments = parseSkipSegments(
      answer([
        { segment: [10, 20.5], category: 'sponsor', actionType: 'skip' },
        { segment: [30, 40], category: 'selfpromo' },
        { segment: [5, 4], category: 'sponsor' }, // ends before it starts
        { segment: [-1, 4], category: 'sponsor' },
        { segment: ['1', '2'], category: 'sponsor' },
        { segment: [1, 1e12], category: 'sponsor' },
        { segment: [1, 2, 3], category: 'sponsor' },
        { segment: [1, 2], category: 'poi_highlight' },
        { segment: [1, 2], category: 'made_up' },
        { segment: [1, 2], category: 'sponsor', actionType: 'mute' },
        null,
        'x',
      ]),
      ID,
    )
    expect(segments).toEqual([
      { start: 10, end: 20.5, category: 'sponsor' },
      { start: 30, end: 40, category: 'selfpromo' },
    ])
  })

  test('a video missing from the bucket has none; a wrong shape throws', () => {
    expect(parseSkipSegments(JSON.stringify([{ videoID: 'other000000', segments: [] }]), ID)).toEqual([])
    expect(() => parseSkipSegments('{"videoID": 1}', ID)).toThrow('not a list')
    expect(() => parseSkipSegments('<html>', ID)).toThrow('not JSON')
    expect(() => parseSkipSegments(JSON.stringify([{ videoID: ID, segments: 'x' }]), ID)).toThrow('no list of segments')
  })

  test('the cache round-trips, and a damaged cache reads as no segments', () => {
    const s = [{ start: 1, end: 2.5, category: 'interaction' }]
    expect(readCachedSegments(cacheSegments(s))).toEqual(s)
    expect(readCachedSegments('garbage')).toEqual([])
  })

  test('categories: known names, each once', () => {
    expect(parseCategories(' Sponsor, selfpromo,sponsor ')).toEqual(['sponsor', 'selfpromo'])
    expect(() => parseCategories('sponsor,ads')).toThrow('unknown categories (ads)')
    expect(() => parseCategories(' , ')).toThrow('at least one')
  })
})

describe('merging and clamping segments', () => {
  test('overlapping and touching segments merge; order does not matter', () => {
    expect(
      mergeSegments(
        [
          { start: 50, end: 60 },
          { start: 10, end: 20 },
          { start: 15, end: 30 },
          { start: 30, end: 35 },
        ],
        100,
      ),
    ).toEqual([
      { start: 10, end: 35 },
      { start: 50, end: 60 },
    ])
  })

  test('out of range is clamped to the file or dropped; zero-length and NaN are dropped', () => {
    expect(
      mergeSegments(
        [
          { start: -5, end: 3 },
          { start: 90, end: 150 },
          { start: 120, end: 130 },
          { start: 40, end: 40 },
          { start: 41, end: 41.01 },
          { start: Number.NaN, end: 5 },
          { start: 70, end: 60 },
        ],
        100,
      ),
    ).toEqual([
      { start: 0, end: 3 },
      { start: 90, end: 100 },
    ])
    expect(mergeSegments([{ start: 1, end: 2 }], 0)).toEqual([])
  })

  test('kept ranges are the complement; a plan that would leave nothing is no plan', () => {
    const cuts = mergeSegments(
      [
        { start: 0, end: 3 },
        { start: 10, end: 12 },
      ],
      20,
    )
    expect(keptRanges(cuts, 20)).toEqual([
      { start: 3, end: 10 },
      { start: 12, end: 20 },
    ])
    expect(planCut([{ start: 0, end: 3 }], 20)?.duration).toBe(17)
    expect(planCut([{ start: -1, end: 25 }], 20)).toBeNull()
    expect(planCut([], 20)).toBeNull()
  })
})

describe('times and chapters after the cut', () => {
  const kept = keptRanges([{ start: 10, end: 20 }], 60) // 0–10, 20–60

  test('a time moves back by the cuts before it; one inside a cut lands where the cut was', () => {
    expect(shiftTime(5, kept)).toBe(5)
    expect(shiftTime(15, kept)).toBe(10)
    expect(shiftTime(30, kept)).toBe(20)
  })

  test('chapters shift; one wholly inside a cut gives way to the next', () => {
    expect(
      shiftChapters(
        [
          { start: 0, title: 'Intro' },
          { start: 12, title: 'Ad read' },
          { start: 20, title: 'Main' },
          { start: 45, title: 'End' },
        ],
        kept,
      ),
    ).toEqual([
      { start: 0, title: 'Intro' },
      { start: 10, title: 'Main' },
      { start: 35, title: 'End' },
    ])
  })

  test('mark: segments become chapters named by category, the rest by the title', () => {
    expect(
      markChapters(
        [
          { start: 10, end: 20, category: 'sponsor' },
          { start: 50, end: 70, category: 'music_offtopic' },
        ],
        60,
        'Song',
      ),
    ).toEqual([
      { start: 0, title: 'Song' },
      { start: 10, title: 'Sponsor' },
      { start: 20, title: 'Song' },
      { start: 50, title: 'Non-Music Section' },
    ])
    expect(markChapters([], 60, 'Song')).toEqual([])
  })

  test('the chapters file: each chapter ends where the next starts, titles escaped', () => {
    const text = chaptersMetadata(
      [
        { start: 0, title: 'a=b;#\\\nc' },
        { start: 1.5, title: 'Sponsor' },
      ],
      3,
    )
    expect(text).toBe(
      ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=a\\=b\\;\\#\\\\\\\nc\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=3000\ntitle=Sponsor\n',
    )
  })
})

describe('ffmpeg with cuts', () => {
  const tags = { title: 'T', artist: null, album: 'Al', album_artist: null, track: 1, date: null }
  const base = { input: '/d/in.mp4', output: '/d/.o.mp3.part', format: 'mp3' as const, quality: 2, tags, cover: null }
  const kept = [
    { start: 0, end: 10 },
    { start: 20, end: 30 },
  ]

  test('re-encoding trims in the filter graph, in the same one ffmpeg', () => {
    const args = buildExtractArgs('ffmpeg', { ...base, copy: false, cut: { kept, concatFile: null } })
    expect(args.filter((a) => a === '-i')).toHaveLength(1)
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(cutFilterGraph(kept))
    expect(args[args.indexOf('-map') + 1]).toBe('[cut]')
    expect(args[args.indexOf('-map_chapters') + 1]).toBe('-1')
    expect(cutFilterGraph(kept)).toBe(
      '[0:a:0]asplit=2[s0][s1];[s0]atrim=start=0:end=10,asetpts=PTS-STARTPTS[k0];[s1]atrim=start=20:end=30,asetpts=PTS-STARTPTS[k1];[k0][k1]concat=n=2:v=0:a=1[cut]',
    )
  })

  test('a stream copy reads the kept ranges through the concat demuxer: no filter, no encode', () => {
    const args = buildExtractArgs('ffmpeg', { ...base, copy: true, cut: { kept, concatFile: '/d/.x.ffconcat.part' }, chaptersFile: '/d/.x.ffchapters.part' })
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 6)).toEqual(['-f', 'concat', '-safe', '0', '-i', '/d/.x.ffconcat.part'])
    expect(args).not.toContain('-filter_complex')
    expect(args).not.toContain('/d/in.mp4')
    expect(args[args.indexOf('-c:a') + 1]).toBe('copy')
    expect(args[args.indexOf('-map_chapters') + 1]).toBe('1')
    expect(() => buildExtractArgs('ffmpeg', { ...base, copy: true, cut: { kept, concatFile: null } })).toThrow('concat list')
  })

  test('the video: its picture copied through the concat list, its audio trimmed from the file itself', () => {
    const args = buildVideoCutArgs('ffmpeg', { concatFile: '/d/.v.ffconcat.part', input: '/d/v.webm', kept, output: '/d/.v.webm.part', muxer: 'webm' })
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 8)).toEqual(['-f', 'concat', '-safe', '0', '-i', '/d/.v.ffconcat.part', '-i', '/d/v.webm'])
    expect(args[args.indexOf('-filter_complex') + 1]).toStartWith('[1:a:0]asplit=2')
    expect(args.slice(args.indexOf('-map'), args.indexOf('-map') + 4)).toEqual(['-map', '0:v:0', '-map', '[cut]'])
    expect(args[args.indexOf('-c:v') + 1]).toBe('copy')
    expect(args[args.indexOf('-c:a') + 1]).toBe('libopus')
    expect(args.at(-1)).toBe('/d/.v.webm.part')
  })

  test('the concat list quotes the path and leaves the last piece open to the end', () => {
    expect(concatList("/d/it's.mp4", kept, 30)).toBe(
      "ffconcat version 1.0\nfile '/d/it'\\''s.mp4'\ninpoint 0\noutpoint 10\nfile '/d/it'\\''s.mp4'\ninpoint 20\n",
    )
    expect(() => concatList('/d/a\nb.mp4', kept, 30)).toThrow('line break')
  })
})

describe('looking again', () => {
  const at = new Date('2026-12-02T12:00:00Z')
  test('never asked: ask; old videos keep their answer; young ones are asked again after a sync', () => {
    expect(cacheIsFresh({ sponsorblock_checked_at: null, upload_date: '2020-01-01' }, null, at)).toBe(false)
    const checked = '2026-11-20T00:00:00.000Z'
    expect(cacheIsFresh({ sponsorblock_checked_at: checked, upload_date: '2020-01-01' }, '2026-12-01T00:00:00.000Z', at)).toBe(true)
    expect(cacheIsFresh({ sponsorblock_checked_at: checked, upload_date: '2026-11-15' }, '2026-12-01T00:00:00.000Z', at)).toBe(false)
    expect(cacheIsFresh({ sponsorblock_checked_at: checked, upload_date: '2026-11-15' }, '2026-11-19T00:00:00.000Z', at)).toBe(true)
  })
})
