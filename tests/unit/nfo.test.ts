import { expect, test } from 'bun:test'
import { episodeNfo, tvshowNfo, type EpisodeInfo } from '../../src/library/nfo'
import { parseXmlDocs } from '../helpers/xml'

const HOSTILE = 'A]]> & <b>bold</b> "q" \'s\u0000\u0001\u0008\u000b\u001f\ufffe\uffff\ud800 end\u00e9 \ud83c\udfb5'
/** What survives: the text minus the characters XML cannot carry, every other one intact. */
const SURVIVES = 'A]]> & <b>bold</b> "q" \'s end\u00e9 \ud83c\udfb5'

const episode = (over: Partial<EpisodeInfo> = {}): EpisodeInfo => ({
  position: 12,
  title: HOSTILE,
  uploader: HOSTILE,
  upload_date: '2024-03-05',
  source_id: `id${HOSTILE}`,
  description: `line one\nline two ${HOSTILE}`,
  duration: 125,
  extractor: 'Youtube:Tab',
  ...over,
})

// One python3 for every document (its start is slow on a loaded machine), at load, not in a test's time.
const [full, sparse, show, ...malformed] = parseXmlDocs([
  episodeNfo({ title: HOSTILE }, episode(), `thumb ${HOSTILE}.jpg`),
  episodeNfo({ title: 'S' }, episode({ description: null, upload_date: null, duration: null, uploader: null, extractor: null }), null),
  tvshowNfo({ title: HOSTILE, uploader: HOSTILE, url: `http://x/?a=1&b=${HOSTILE}` }),
  '<a>]]></a>',
  '<a>&</a>',
  '<a>\u0001</a>',
  '<a>fine</a>',
])

test('an episode NFO with hostile strings parses and gives every field back as text', () => {
  const got = full!
  expect(got.error).toBeUndefined()
  expect(got).toMatchObject({
    root: 'episodedetails',
    title: SURVIVES,
    showtitle: SURVIVES,
    season: '2024',
    episode: '12',
    plot: `line one\nline two ${SURVIVES}`,
    aired: '2024-03-05',
    runtime: '2',
    studio: SURVIVES,
    uniqueid: `id${SURVIVES}`,
    'uniqueid@type': 'youtube_tab',
    'uniqueid@default': 'true',
    thumb: `thumb ${SURVIVES}.jpg`,
  })
})

test('unknown fields are left out, not written empty; an undated entry is season 0', () => {
  const got = sparse!
  expect(got.error).toBeUndefined()
  expect(got.season).toBe('0')
  expect(got['uniqueid@type']).toBe('generic')
  for (const absent of ['plot', 'aired', 'runtime', 'studio', 'thumb']) expect(got[absent]).toBeUndefined()
})

test('tvshow.nfo with hostile strings parses', () => {
  const got = show!
  expect(got.error).toBeUndefined()
  expect(got).toMatchObject({ root: 'tvshow', title: SURVIVES, studio: SURVIVES, 'thumb@aspect': 'poster', thumb: 'fanart.jpg' })
  expect(got.plot).toBe(`Archived by yt-serve from http://x/?a=1&b=${SURVIVES}`)
})

test('the parser used here does refuse what is not well-formed', () => {
  expect(malformed.map((d) => d.error === undefined)).toEqual([false, false, false, true])
})
