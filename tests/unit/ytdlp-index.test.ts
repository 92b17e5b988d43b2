import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expandNested } from '../../src/playlists/indexer'
import { channelTab, parseIndex, type IndexResult } from '../../src/tools/ytdlp'

/** `yt-dlp --flat-playlist -J` outputs in the shape yt-dlp's youtube:tab and youtube extractors give (see the files). */
const fixture = (name: string) => readFileSync(join(import.meta.dir, '../fixtures/ytdlp-json', name), 'utf8')
const CHANNEL = 'https://www.youtube.com/@lofiarchive'
const ids = (r: IndexResult) => r.entries.map((e) => e.source_id)

describe('a channel URL: a playlist of tab playlists', () => {
  test('by default only the Videos tab is indexed; no tab is stored as a video', () => {
    const r = parseIndex(fixture('channel.json'), CHANNEL)
    expect(r.title).toBe('Lofi Archive')
    expect(r.extractor).toBe('youtube:tab')
    expect(r.entries.map((e) => [e.position, e.source_id, e.title])).toEqual([
      [1, 'v01AbCdEfGh', 'Rainy night mix'],
      [2, 'v02AbCdEfGh', 'Study session 2'],
    ])
    expect(r.entries.every((e) => e.source_url.includes('/watch?v='))).toBe(true)
    // SponsorBlock is asked only about entries the index knows to be YouTube videos.
    expect(r.entries.map((e) => e.extractor)).toEqual(['youtube', 'youtube'])
    expect(r.nested).toEqual([])
  })
  test("Shorts and Live come in when the playlist asks for them, in yt-dlp's order", () => {
    expect(ids(parseIndex(fixture('channel.json'), CHANNEL, { shorts: true, live: false }))).toEqual([
      'v01AbCdEfGh',
      'v02AbCdEfGh',
      'v05AbCdEfGh',
      'v06AbCdEfGh',
    ])
    expect(ids(parseIndex(fixture('channel.json'), CHANNEL, { shorts: false, live: true }))).toEqual(['v01AbCdEfGh', 'v02AbCdEfGh', 'v04AbCdEfGh'])
    const all = parseIndex(fixture('channel.json'), CHANNEL, { shorts: true, live: true })
    expect(all.entries.map((e) => e.position)).toEqual([1, 2, 3, 4, 5])
    expect(all.entries.find((e) => e.source_id === 'v05AbCdEfGh')!.source_url).toBe('https://www.youtube.com/shorts/v05AbCdEfGh')
  })
  test('tabs yt-dlp left as URLs are handed back to be read, never stored; unwanted ones are not even read', () => {
    const r = parseIndex(fixture('channel-tab-urls.json'), CHANNEL)
    expect(r.entries).toEqual([])
    expect(r.nested).toEqual(['https://www.youtube.com/@lofiarchive/videos'])
    expect(parseIndex(fixture('channel-tab-urls.json'), CHANNEL, { shorts: true, live: true }).nested).toHaveLength(3)
  })
  test('a channel with Shorts only comes back as that tab alone: still filtered, unless its tab URL was given', () => {
    const shortsOnly = JSON.stringify({ ...JSON.parse(fixture('channel.json')).entries[2], epoch: 1764662400 })
    expect(parseIndex(shortsOnly, CHANNEL).entries).toEqual([])
    expect(ids(parseIndex(shortsOnly, CHANNEL, { shorts: true, live: false }))).toEqual(['v05AbCdEfGh', 'v06AbCdEfGh'])
    expect(ids(parseIndex(shortsOnly, `${CHANNEL}/shorts`))).toEqual(['v05AbCdEfGh', 'v06AbCdEfGh'])
  })
  test('expandNested reads each nested list once and numbers the entries through', async () => {
    const top = parseIndex(fixture('channel-tab-urls.json'), CHANNEL, { shorts: true, live: false })
    const read: string[] = []
    const r = await expandNested(top, async (url) => {
      read.push(url)
      return parseIndex(fixture(url.endsWith('/videos') ? 'channel-videos-tab.json' : 'playlist.json'), url)
    })
    expect(read).toEqual(['https://www.youtube.com/@lofiarchive/videos', 'https://www.youtube.com/@lofiarchive/shorts'])
    expect(r.entries.map((e) => e.position)).toEqual([1, 2, 3, 4])
    expect(r.nested).toEqual([])
  })
})

test('a channel tab URL: a plain playlist of its videos', () => {
  const r = parseIndex(fixture('channel-videos-tab.json'), `${CHANNEL}/videos`)
  expect(r.title).toBe('Lofi Archive - Videos')
  expect(ids(r)).toEqual(['v01AbCdEfGh', 'v02AbCdEfGh'])
  expect(r.entries[0]).toMatchObject({ uploader: 'Lofi Archive', duration: 3612, thumbnail_url: expect.stringContaining('i.ytimg.com/vi/v01AbCdEfGh/') })
})

test('a playlist: entries in order, deleted placeholders left out', () => {
  const r = parseIndex(fixture('playlist.json'), 'https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG')
  expect(r.title).toBe('Late night lofi')
  expect(r.uploader).toBe('Lofi Archive')
  expect(r.entries.map((e) => [e.position, e.source_id])).toEqual([
    [1, 'v01AbCdEfGh'],
    [2, 'v02AbCdEfGh'],
  ])
})

test('a single video: one entry with its upload date', () => {
  const r = parseIndex(fixture('video.json'), 'https://www.youtube.com/watch?v=v01AbCdEfGh')
  expect(r.entries).toHaveLength(1)
  expect(r.entries[0]).toMatchObject({
    source_id: 'v01AbCdEfGh',
    upload_date: '2025-10-12',
    duration: 3612,
    source_url: 'https://www.youtube.com/watch?v=v01AbCdEfGh',
  })
})

test('a YouTube Music album: its tracks', () => {
  const r = parseIndex(fixture('music-album.json'), 'https://music.youtube.com/playlist?list=OLAK5uy_kSmfWwRR9AXWKvTcEwUlaG3pvlSS6I3Ew')
  expect(r.title).toBe('Album - Modal Soul')
  expect(r.entries.map((e) => [e.title, e.uploader])).toEqual([
    ['Feather', 'Nujabes - Topic'],
    ['Reflection Eternal', 'Nujabes - Topic'],
  ])
})

test('channels listed in a page (search, a /channels tab) are neither videos nor read', () => {
  const r = parseIndex(
    JSON.stringify({
      title: 'x',
      entries: [
        {
          _type: 'url',
          ie_key: 'YoutubeTab',
          id: 'UCa1b2c3d4e5f6g7h8i9j0kL',
          url: 'https://www.youtube.com/channel/UCa1b2c3d4e5f6g7h8i9j0kL',
          title: 'A channel',
        },
        { _type: 'url', ie_key: 'YoutubeTab', id: 'PLabc', url: 'https://www.youtube.com/playlist?list=PLabc', title: 'A playlist' },
        { _type: 'url', ie_key: 'Youtube', id: 'v01AbCdEfGh', url: 'https://www.youtube.com/watch?v=v01AbCdEfGh', title: 'A video' },
      ],
    }),
    'u',
  )
  expect(ids(r)).toEqual(['v01AbCdEfGh'])
  expect(r.nested).toEqual(['https://www.youtube.com/playlist?list=PLabc'])
})

test('channelTab names the tab of a channel URL only', () => {
  expect(channelTab('https://www.youtube.com/@x/videos')).toBe('videos')
  expect(channelTab('https://youtube.com/channel/UC123/shorts/')).toBe('shorts')
  expect(channelTab('https://m.youtube.com/c/name/streams')).toBe('live')
  expect(channelTab('https://www.youtube.com/@x')).toBeNull()
  expect(channelTab('https://www.youtube.com/watch?v=x')).toBeNull()
  expect(channelTab('https://evil.example/@x/shorts')).toBeNull()
})
