// Which entries a prune takes: the pure choice the dry run and the prune share.
import { describe, expect, test } from 'bun:test'
import { choosePrune, newestFirst, type PruneCandidate, type RetentionRules } from '../../src/library/retention'

const NOW = Date.parse('2026-12-02T12:00:00Z')
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString()

let nextId = 1
function entry(over: Partial<PruneCandidate> = {}): PruneCandidate {
  const id = nextId++
  return {
    id,
    title: `e${id}`,
    position: id,
    upload_date: null,
    downloaded_at: daysAgo(0),
    video_path: `P/videos/${id}.mp4`,
    audio_path: `P/audio/${id}.mp3`,
    in_use: false,
    ...over,
  }
}

const rules = (over: Partial<RetentionRules> = {}): RetentionRules => ({ keep_newest: null, delete_videos_after_days: null, keep_audio: true, ...over })
const ids = (xs: { id: number }[]) => xs.map((x) => x.id)

describe('newestFirst', () => {
  test('latest upload date first, undated after dated, then position, then id', () => {
    const a = entry({ upload_date: '2026-01-01', position: 5 })
    const b = entry({ upload_date: '2026-03-01', position: 9 })
    const c = entry({ upload_date: null, position: 1 })
    const d = entry({ upload_date: '2026-01-01', position: 2 })
    const e = entry({ upload_date: null, position: 1 })
    expect(ids([a, b, c, d, e].sort(newestFirst))).toEqual([b.id, d.id, a.id, c.id, e.id])
  })
})

describe('choosePrune', () => {
  test('retention off (null or 0) takes nothing', () => {
    const all = [entry(), entry(), entry()]
    expect(choosePrune(all, rules(), NOW)).toEqual([])
    expect(choosePrune(all, rules({ keep_newest: 0, delete_videos_after_days: 0 }), NOW)).toEqual([])
  })

  test('keep_newest=2 of 5: the three oldest by position go, videos only while audio is kept', () => {
    const all = [1, 2, 3, 4, 5].map((position) => entry({ position }))
    const taken = choosePrune(all, rules({ keep_newest: 2 }), NOW)
    expect(ids(taken)).toEqual(ids(all.slice(2)))
    for (const t of taken) {
      expect(t.video_path).not.toBeNull()
      expect(t.audio_path).toBeNull()
      expect(t.reason).toBe('not among the newest 2')
    }
  })

  test('upload date wins over position', () => {
    const old = entry({ position: 1, upload_date: '2020-01-01' })
    const fresh = entry({ position: 9, upload_date: '2026-11-30' })
    expect(ids(choosePrune([old, fresh], rules({ keep_newest: 1 }), NOW))).toEqual([old.id])
  })

  test('keep_audio false: the audio goes too, and audio-only entries are ranked and taken', () => {
    const withVideo = entry({ position: 1 })
    const audioOnly = entry({ position: 2, video_path: null })
    const taken = choosePrune([withVideo, audioOnly], rules({ keep_newest: 1, keep_audio: false }), NOW)
    expect(taken).toEqual([{ id: audioOnly.id, title: audioOnly.title, reason: 'not among the newest 1', video_path: null, audio_path: audioOnly.audio_path }])
  })

  test('keep_audio true: entries without a video are not ranked at all (nothing of theirs could go)', () => {
    const audioOnly = entry({ position: 1, video_path: null })
    const a = entry({ position: 2 })
    const b = entry({ position: 3 })
    expect(ids(choosePrune([audioOnly, a, b], rules({ keep_newest: 1 }), NOW))).toEqual([b.id])
  })

  test('delete_videos_after_days counts from the download; unknown download times never age out', () => {
    const old = entry({ downloaded_at: daysAgo(31) })
    const edge = entry({ downloaded_at: daysAgo(29) })
    const unknown = entry({ downloaded_at: null })
    const taken = choosePrune([old, edge, unknown], rules({ delete_videos_after_days: 30 }), NOW)
    expect(ids(taken)).toEqual([old.id])
    expect(taken[0].reason).toBe('downloaded more than 30 days ago')
  })

  test('both rules: either one takes an entry, and the reason names each that applies', () => {
    const newestButOld = entry({ position: 1, downloaded_at: daysAgo(10) })
    const olderAndOld = entry({ position: 2, downloaded_at: daysAgo(10) })
    const olderFresh = entry({ position: 3 })
    const taken = choosePrune([newestButOld, olderAndOld, olderFresh], rules({ keep_newest: 1, delete_videos_after_days: 1 }), NOW)
    expect(taken.map((t) => [t.id, t.reason])).toEqual([
      [newestButOld.id, 'downloaded more than 1 day ago'],
      [olderAndOld.id, 'not among the newest 1; downloaded more than 1 day ago'],
      [olderFresh.id, 'not among the newest 1'],
    ])
  })

  test('an entry in use by an active job keeps its rank but is never taken', () => {
    const newest = entry({ position: 1 })
    const busy = entry({ position: 2, in_use: true })
    const idle = entry({ position: 3 })
    expect(ids(choosePrune([newest, busy, idle], rules({ keep_newest: 1 }), NOW))).toEqual([idle.id])
  })

  test('the same input gives the same choice (the dry run and the prune agree)', () => {
    const all = [3, 1, 2, 5, 4].map((position) => entry({ position }))
    const a = choosePrune(all, rules({ keep_newest: 2 }), NOW)
    const b = choosePrune([...all].reverse(), rules({ keep_newest: 2 }), NOW)
    expect(ids(a)).toEqual(ids(b))
  })
})
