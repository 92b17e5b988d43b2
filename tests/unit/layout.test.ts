import { describe, expect, test } from 'bun:test'
import { itemBaseName } from '../../src/library/names'
import {
  audioTarget,
  nfoPath,
  numberWidth,
  renderTemplate,
  seasonOf,
  templateProblem,
  thumbnailPath,
  videoTarget,
  type NamingEntry,
  type NamingPlaylist,
} from '../../src/library/layout'

const playlist = (over: Partial<NamingPlaylist> = {}): NamingPlaylist => ({
  folder: 'My List',
  title: 'My List',
  library_layout: 'plain',
  name_template: null,
  ...over,
})
const entry = (over: Partial<NamingEntry> = {}): NamingEntry => ({
  position: 7,
  title: 'A Song',
  uploader: 'Someone',
  upload_date: '2024-03-05',
  source_id: 'abc123',
  ...over,
})

describe('templateProblem', () => {
  test.each([
    ['{position} - {title}', null],
    ['{upload_date} {title} [{id}]', null],
    ['{playlist} {uploader} {title}', null],
  ])('accepts %p', (tpl, want) => expect(templateProblem(tpl)).toBe(want))

  test.each([
    ['', /empty/],
    ['   ', /empty/],
    ['{title}/{id}', /cannot contain/],
    ['..\\{title}', /cannot contain/],
    ['{nope} {title}', /unknown field \{nope\}/],
    ['{title', /without its pair/],
    ['title}', /without its pair/],
    ['{{title}}', /without its pair/],
    ['plain text', /at least one field/],
    ['{title}\u0007', /control characters/],
    [`{title}${'x'.repeat(200)}`, /200 characters/],
    ['{__proto__}', /unknown field/],
  ])('refuses %p', (tpl, want) => expect(templateProblem(tpl)).toMatch(want))
})

describe('renderTemplate', () => {
  test('fills each field once, pads the position, and sanitizes the whole name', () => {
    expect(renderTemplate('{position} {upload_date} {title} [{id}] {uploader} {playlist}', { title: 'PL' }, entry(), 3)).toBe(
      '007 2024-03-05 A Song [abc123] Someone PL',
    )
    // A title that looks like a field stays text; separators and leading dots never make a path.
    expect(renderTemplate('{title}', { title: 'PL' }, entry({ title: '{id}' }), 3)).toBe('{id}')
    expect(renderTemplate('{title}', { title: 'PL' }, entry({ title: '../../etc/passwd' }), 3)).toBe('_.._etc_passwd')
    expect(renderTemplate('{uploader}{title}', { title: 'PL' }, entry({ uploader: null, title: '-rf' }), 3)).toBe('rf')
    expect(renderTemplate('{uploader}', { title: 'PL' }, entry({ uploader: null }), 3)).toBe('untitled')
  })
})

describe('layout paths', () => {
  test('plain without a template is exactly today’s naming', () => {
    const v = entry({ title: 'Über / "quoted" ' })
    expect(videoTarget(playlist(), v, 3)).toEqual({ dir: 'My List/videos', stem: itemBaseName(7, v.title, 3) })
    expect(audioTarget(playlist(), v, 3, 'stem')).toEqual({ dir: 'My List/audio', stem: 'stem' })
    expect(thumbnailPath(playlist(), 'My List/videos/007 - A Song.mp4')).toBe('My List/thumbnails/007 - A Song.jpg')
    expect(nfoPath(playlist(), 'My List/videos/007 - A Song.mp4')).toBeNull()
  })

  test('plain with a template', () => {
    expect(videoTarget(playlist({ name_template: '{title} [{id}]' }), entry(), 3).stem).toBe('A Song [abc123]')
  })

  test('jellyfin and plex: Season <year>/<Playlist> - S<year>E<nnn> - <Title> [<id>], music at the top', () => {
    for (const layout of ['jellyfin', 'plex']) {
      const p = playlist({ library_layout: layout, title: 'Show: The <Best>' })
      const t = videoTarget(p, entry(), 3)
      expect(t).toEqual({ dir: 'My List/Season 2024', stem: 'Show_ The _Best_ - S2024E007 - A Song [abc123]' })
      expect(audioTarget(p, entry(), 3, 'ignored')).toEqual({ dir: 'My List', stem: '07 - A Song' })
      expect(nfoPath(p, `${t.dir}/${t.stem}.mkv`)).toBe(`${t.dir}/${t.stem}.nfo`)
    }
    const v = 'My List/Season 2024/S - S2024E007 - A [x].mp4'
    expect(thumbnailPath(playlist({ library_layout: 'jellyfin' }), v)).toBe('My List/Season 2024/S - S2024E007 - A [x]-thumb.jpg')
    expect(thumbnailPath(playlist({ library_layout: 'plex' }), v)).toBe('My List/Season 2024/S - S2024E007 - A [x].jpg')
  })

  test('an unknown upload date is season 00 (specials); a template replaces the part after the episode code', () => {
    const p = playlist({ library_layout: 'jellyfin', name_template: '{upload_date} {title}' })
    expect(seasonOf({ upload_date: null })).toBe(0)
    expect(videoTarget(p, entry({ upload_date: null }), 3)).toEqual({ dir: 'My List/Season 00', stem: 'My List - S00E007 - A Song' })
    expect(audioTarget(p, entry(), 3, 'x').stem).toBe('2024-03-05 A Song')
  })

  test('long playlists get wider numbers; names stay within a file name’s 255 bytes', () => {
    expect(numberWidth(1200, 5)).toBe(4)
    expect(numberWidth(0, 5)).toBe(3)
    const long = 'é'.repeat(300)
    const p = playlist({ library_layout: 'jellyfin', title: long })
    const t = videoTarget(p, entry({ title: long, source_id: 'i'.repeat(100), position: 1234 }), 4)
    expect(Buffer.byteLength(`${t.stem} (99)-thumb.jpg`)).toBeLessThanOrEqual(255)
    expect(audioTarget(p, entry({ position: 1234 }), 4, '').stem).toBe('1234 - A Song')
  })
})
