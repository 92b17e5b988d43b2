import { describe, expect, test } from 'bun:test'
import { MARK } from '../../src/tools/ytdlp'
import { type ChunkEvent, ChunkTracker, MAX_CRASH_REQUEUES } from '../../src/tools/ytdlp-chunk'

// Items 1, 2, 3 are the yt-dlp ids "a", "b", "c", downloaded in that order.
const items = [
  { id: 1, source_id: 'a' },
  { id: 2, source_id: 'b' },
  { id: 3, source_id: 'c' },
]

// yt-dlp's stdout lines as --print / --progress-template make them (see buildDownloadArgs).
const begin = (id: string) => `${MARK.start}${JSON.stringify(id)}`
const prog = (id: string, done: number, total: number) => `${MARK.progress}${done} ${total} NA 1000 5 ${JSON.stringify(id)}`
const moved = (id: string) => `${MARK.done}${JSON.stringify(id)} ${JSON.stringify(`/st/${id}.mp4`)}`

/** What happens to the process, in order: stdout and stderr lines, and what the owner does. */
type Step =
  | string // a stdout line
  | { err: string } // a stderr line
  | 'pause' // from now on, stop.now() answers yes
  | 'yield' // from now on, another job is waiting (asked only after an item)
  | 'stall'
  | 'abort' // a database write failed
  | { exit: string | null; cancelled?: boolean }

function play(steps: Step[], crashes: Record<number, number> = {}): ChunkEvent[] {
  let paused = false
  let yielding = false
  const t = new ChunkTracker(items, { stopAsked: (afterItem) => paused || (afterItem && yielding), stallSeconds: 30 })
  const out: ChunkEvent[] = []
  for (const s of steps) {
    if (s === 'pause') paused = true
    else if (s === 'yield') yielding = true
    else if (s === 'stall') out.push(...t.stall())
    else if (s === 'abort') out.push(...t.abort())
    else if (typeof s === 'string') out.push(...t.stdout(s))
    else if ('err' in s) out.push(...t.stderr(s.err))
    else out.push(...t.exit({ signal: s.exit, cancelled: s.cancelled ?? false, crashes: new Map(Object.entries(crashes).map(([k, n]) => [Number(k), n])) }))
  }
  return out
}

// Shorthands for the expected events.
const started = (videoId: number): ChunkEvent => ({ kind: 'started', videoId })
const finished = (videoId: number, id: string): ChunkEvent => ({ kind: 'finished', videoId, path: `/st/${id}.mp4` })
const failed = (videoId: number, error: string): ChunkEvent => ({ kind: 'failed', videoId, error })
const ytdlpError = (videoId: number, text: string): ChunkEvent => ({ kind: 'ytdlp-error', videoId, text })
const requeued = (videoId: number): ChunkEvent => ({ kind: 'requeued', videoId })
const term: ChunkEvent = { kind: 'stop-process', signal: 'SIGTERM' }
const exit0 = { exit: null }
const E404 = 'ERROR: [generic] b: HTTP Error 404: Not Found'
const E429 = 'ERROR: [youtube] b: HTTP Error 429: Too Many Requests'
const GONE = 'yt-dlp stopped before finishing this item'

const cases: [string, Step[], ChunkEvent[], Record<number, number>?][] = [
  [
    'a clean run: each item starts, shows progress and finishes; the exit adds nothing',
    [begin('a'), prog('a', 50, 100), moved('a'), begin('b'), moved('b'), begin('c'), moved('c'), exit0],
    [
      started(1),
      { kind: 'progress', videoId: 1, percent: 50, downloaded_bytes: 50, total_bytes: 100, speed: 1000, eta: 5 },
      finished(1, 'a'),
      started(2),
      finished(2, 'b'),
      started(3),
      finished(3, 'c'),
    ],
  ],
  [
    'lines that are not ours are ignored',
    ['[download] Destination: /st/a.mp4', '[info] a: Downloading 1 format(s): 0', begin('a'), 'garbage', moved('a')],
    [started(1), finished(1, 'a')],
  ],
  [
    '"has already been downloaded": yt-dlp still moves the file, so the item finishes',
    [begin('a'), '[download] /st/a.mp4 has already been downloaded', moved('a')],
    [started(1), finished(1, 'a')],
  ],
  ['an id unknown to the index starts the next waiting item', [begin('a'), moved('a'), begin('zz')], [started(1), finished(1, 'a'), started(2)]],
  [
    // Kept as found: the fallback looks for a *waiting* item, so the later lines of a started
    // unknown id land on the item after it, and the started one fails at the exit.
    'an unknown id after its start: progress and done go to the next waiting item',
    [begin('a'), moved('a'), begin('zz'), prog('zz', 1, 4), `${MARK.done}"zz" "/st/zz.mp4"`, exit0],
    [
      started(1),
      finished(1, 'a'),
      started(2),
      { kind: 'progress', videoId: 3, percent: 25, downloaded_bytes: 1, total_bytes: 4, speed: 1000, eta: 5 },
      { kind: 'finished', videoId: 3, path: '/st/zz.mp4' },
      failed(2, GONE),
    ],
  ],
  [
    'an unknown id once every item has ended is ignored',
    [begin('a'), moved('a'), begin('b'), moved('b'), begin('c'), moved('c'), begin('zz')],
    [started(1), finished(1, 'a'), started(2), finished(2, 'b'), started(3), finished(3, 'c')],
  ],
  ['progress after the item finished is dropped', [begin('a'), moved('a'), prog('a', 100, 100)], [started(1), finished(1, 'a')]],
  ['a repeated start line starts the item again (today yt-dlp prints before_dl once per item)', [begin('a'), begin('a')], [started(1), started(1)]],
  [
    'a failure mid-item: the next start overtakes b, which takes the ERROR line already read',
    [begin('a'), moved('a'), begin('b'), { err: E404 }, begin('c'), moved('c'), exit0],
    [started(1), finished(1, 'a'), started(2), ytdlpError(2, E404), started(3), finished(3, 'c')],
  ],
  [
    'an ERROR line that comes after the overtaking start: the failure waits for it',
    [begin('a'), moved('a'), begin('b'), { err: 'WARNING: slow' }, begin('c'), { err: E404 }, moved('c'), exit0],
    [started(1), finished(1, 'a'), started(2), started(3), ytdlpError(2, E404), finished(3, 'c')],
  ],
  [
    'an item yt-dlp never announced fails when the next one starts',
    [begin('a'), moved('a'), { err: E404 }, begin('c'), moved('c'), exit0],
    [started(1), finished(1, 'a'), ytdlpError(2, E404), started(3), finished(3, 'c')],
  ],
  [
    'exit after partial output: the unfinished items fail, the first with the ERROR, the next with the stderr tail',
    [begin('a'), moved('a'), begin('b'), { err: E404 }, exit0],
    [started(1), finished(1, 'a'), started(2), ytdlpError(2, E404), ytdlpError(3, E404)],
  ],
  ['exit with no stderr at all: our own sentence', [begin('a'), moved('a'), exit0], [started(1), finished(1, 'a'), failed(2, GONE), failed(3, GONE)]],
  [
    'rate limited: the item goes back after the others, the process is stopped, later lines are ignored',
    [begin('a'), moved('a'), begin('b'), { err: E429 }, begin('c'), moved('c'), { exit: 'SIGTERM' }],
    [started(1), finished(1, 'a'), started(2), { kind: 'rate-limited', videoId: 2, text: E429 }, term, requeued(3), requeued(2)],
  ],
  [
    'pause: the next item does not start and goes back to the queue with the rest',
    [begin('a'), moved('a'), 'pause', begin('b'), prog('b', 1, 2), moved('b'), { exit: 'SIGTERM' }],
    [started(1), finished(1, 'a'), term, requeued(2), requeued(3)],
  ],
  [
    'pause during an item: it finishes, then the process stops',
    [begin('a'), 'pause', moved('a'), begin('b'), { exit: 'SIGTERM' }],
    [started(1), finished(1, 'a'), term, requeued(2), requeued(3)],
  ],
  [
    'another job waiting: the chunk yields only after an item finished',
    ['yield', begin('a'), moved('a'), begin('b'), { exit: 'SIGTERM' }],
    [started(1), finished(1, 'a'), term, requeued(2), requeued(3)],
  ],
  [
    'a failure found before a stop keeps its message',
    [begin('a'), begin('b'), 'pause', moved('b'), { exit: 'SIGTERM' }],
    [started(1), started(2), finished(2, 'b'), term, requeued(3), failed(1, GONE)],
  ],
  [
    'cancelled: whatever did not finish goes back, whatever the signal',
    [begin('a'), moved('a'), begin('b'), { exit: 'SIGKILL', cancelled: true }],
    [started(1), finished(1, 'a'), started(2), requeued(2), requeued(3)],
  ],
  [
    'stalled: the item it hung on fails, the rest go back',
    [begin('a'), moved('a'), begin('b'), 'stall', moved('b'), { exit: 'SIGKILL' }],
    [
      started(1),
      finished(1, 'a'),
      started(2),
      { kind: 'stop-process', signal: 'SIGKILL' },
      failed(2, 'yt-dlp showed no progress for 30 s and was stopped'),
      requeued(3),
    ],
  ],
  [
    'stalled before any item started: the first one fails',
    ['stall', { exit: 'SIGKILL' }],
    [{ kind: 'stop-process', signal: 'SIGKILL' }, failed(1, 'yt-dlp showed no progress for 30 s and was stopped'), requeued(2), requeued(3)],
  ],
  [
    'a database write failed: the process is stopped, later lines are ignored, the rest go back',
    [begin('a'), 'abort', moved('a'), { exit: 'SIGTERM' }],
    [started(1), term, requeued(1), requeued(2), requeued(3)],
  ],
  [
    'killed from outside mid-item: that item fails, the ones not reached go back and count a crash',
    [begin('a'), moved('a'), begin('b'), { exit: 'SIGKILL' }],
    [
      started(1),
      finished(1, 'a'),
      started(2),
      failed(2, 'yt-dlp was killed (SIGKILL) while downloading this item; out of memory?'),
      { kind: 'crashed-before', videoId: 3, deaths: 1 },
      requeued(3),
      { kind: 'crashed', signal: 'SIGKILL', inFlight: 2, requeued: 1, failed: 0 },
    ],
  ],
  [
    `killed before any item, ${MAX_CRASH_REQUEUES} times already for item 1: it fails, the others go back`,
    [{ exit: 'SIGKILL' }],
    [
      { kind: 'crashed-before', videoId: 1, deaths: MAX_CRASH_REQUEUES + 1 },
      failed(1, `yt-dlp was killed ${MAX_CRASH_REQUEUES + 1} times before reaching this item`),
      { kind: 'crashed-before', videoId: 2, deaths: 2 },
      requeued(2),
      { kind: 'crashed-before', videoId: 3, deaths: 1 },
      requeued(3),
      { kind: 'crashed', signal: 'SIGKILL', inFlight: null, requeued: 2, failed: 1 },
    ],
    { 1: MAX_CRASH_REQUEUES, 2: 1 },
  ],
  [
    'killed after an item failed: that failure still gets its ERROR line',
    [begin('a'), begin('b'), { err: E404 }, { exit: 'SIGKILL' }],
    [
      started(1),
      started(2),
      ytdlpError(1, E404),
      failed(2, 'yt-dlp was killed (SIGKILL) while downloading this item; out of memory?'),
      { kind: 'crashed-before', videoId: 3, deaths: 1 },
      requeued(3),
      { kind: 'crashed', signal: 'SIGKILL', inFlight: 2, requeued: 1, failed: 0 },
    ],
  ],
]

describe('ChunkTracker: yt-dlp lines in, item events out', () => {
  test.each(cases)('%s', (_name, steps, expected, crashes = {}) => {
    expect(play(steps, crashes)).toEqual(expected)
  })

  test('the after-item question is asked only once the finished event was taken', () => {
    const asked: string[] = []
    const t = new ChunkTracker(items, {
      stopAsked: (after) => {
        asked.push(after ? 'after' : 'before')
        return false
      },
      stallSeconds: 30,
    })
    const events = t.stdout(moved('a'))
    expect(events.next().value).toEqual(finished(1, 'a'))
    expect(asked).toEqual([])
    expect(events.next().done).toBe(true)
    expect(asked).toEqual(['after'])
  })

  test('the stderr tail keeps the last 20 lines', () => {
    const t = new ChunkTracker(items.slice(0, 1), { stopAsked: () => false, stallSeconds: 30 })
    for (let i = 0; i < 25; i++) t.stderr(`line ${i}`)
    const [ev] = t.exit({ signal: null, cancelled: false, crashes: new Map() })
    expect(ev).toEqual(ytdlpError(1, Array.from({ length: 20 }, (_, i) => `line ${i + 5}`).join('\n')))
  })
})
