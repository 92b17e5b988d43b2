import { describe, expect, test } from 'bun:test'
import type { Job } from '../../src/db/types'
import {
  bar,
  fit,
  formatBytes,
  formatEta,
  itemStats,
  PlainRenderer,
  plainUpdates,
  renderJob,
  summaryLine,
  TtyRenderer,
  width,
} from '../../src/cli/progress-bars'
import { memoryIo } from '../../src/cli/io'

function job(patch: Partial<Job> = {}): Job {
  return {
    id: 7,
    playlist_id: 1,
    type: 'both',
    status: 'running',
    priority: 'normal',
    delete_videos: false,
    error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: null,
    download_status: 'running',
    download_total: 10,
    download_completed: 5,
    download_failed: 0,
    batch_total: null,
    batch_done_before: 0,
    download_batch_info: null,
    extract_status: 'running',
    extract_total: 5,
    extract_completed: 3,
    extract_failed: 0,
    move_total: 0,
    move_completed: 0,
    progress: 0,
    total_items: 15,
    completed_items: 8,
    dismissed_at: null,
    node: null,
    control: null,
    current: [],
    ...patch,
  }
}

const dl = { video_id: 6, title: 'Sixth video', phase: 'download' as const, percent: 42, total_bytes: 5 * 1024 * 1024, speed: 1.5 * 1024 * 1024, eta: 65 }

describe('formatting helpers', () => {
  test('bytes, eta, bar', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MiB')
    expect(formatEta(5)).toBe('0:05')
    expect(formatEta(65)).toBe('1:05')
    expect(formatEta(3725)).toBe('1:02:05')
    expect(bar(0.5, 10)).toBe('█████░░░░░')
    expect(bar(2, 4)).toBe('████')
    expect(bar(Number.NaN, 4)).toBe('░░░░')
  })

  test('fit cuts by terminal columns, wide characters included', () => {
    expect(fit('hello', 10)).toBe('hello')
    expect(fit('hello world', 6)).toBe('hello…')
    const cut = fit('日本語のタイトル', 7)
    expect(width(cut)).toBeLessThanOrEqual(7)
    expect(cut.endsWith('…')).toBe(true)
  })

  test('itemStats shows percent, size, speed and ETA when known', () => {
    expect(itemStats(dl)).toBe('42% · 5.0 MiB · 1.5 MiB/s · ETA 1:05')
    expect(itemStats({ video_id: 1, title: 't', phase: 'extract', percent: 3.25 })).toBe('3.3%')
    expect(itemStats({ video_id: 1, title: 't', phase: 'extract', percent: null })).toBe('')
  })
})

describe('renderJob', () => {
  test('two bars like the UI, with batch info and the current item', () => {
    const lines = renderJob(job({ batch_total: 100, batch_done_before: 20, current: [dl] }), { columns: 120 })
    expect(lines).toHaveLength(3)
    expect(lines[0]).toStartWith('📥 Downloading')
    expect(lines[0]).toContain('5 / 10')
    expect(lines[0]).toContain('25/100 total (75 remaining)')
    expect(lines[0]).toContain('██████████░░░░░░░░░░') // half of the bar
    expect(lines[1]).toContain('Sixth video')
    expect(lines[1]).toContain('1.5 MiB/s · ETA 1:05')
    expect(lines[2]).toStartWith('🎵 Extracting Audio')
    expect(lines[2]).toContain('3 / 5')
  })

  test('no line is wider than the terminal', () => {
    const long = { ...dl, title: 'A very long title that goes on and on '.repeat(5) }
    for (const columns of [40, 80, 200])
      for (const line of renderJob(job({ batch_total: 100, batch_done_before: 20, current: [long] }), { columns })) expect(width(line)).toBeLessThan(columns)
  })

  test('single-phase jobs have one bar', () => {
    const lines = renderJob(job({ type: 'extract', download_status: null }), { columns: 80 })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('Extracting Audio')
  })

  test('phase states: indexing, waiting, done, failed, failures counted', () => {
    const start = renderJob(job({ download_total: 0, download_completed: 0, extract_status: 'pending', extract_total: 0, extract_completed: 0 }), {
      columns: 100,
    })
    expect(start[0]).toContain('indexing the playlist')
    expect(start[1]).toContain('waiting')
    const end = renderJob(job({ download_status: 'completed', download_completed: 9, download_failed: 1, extract_status: 'failed' }), { columns: 100 })
    expect(end[0]).toContain('9 / 10')
    expect(end[0]).toContain('1 failed')
    expect(end[0]).toContain('✓ done')
    expect(end[0]).toContain('█'.repeat(10)) // failed items count as ended for the bar
    expect(end[1]).toContain('✗ failed')
  })

  test('many items in flight are summarised', () => {
    const current = [1, 2, 3, 4, 5].map((i) => ({ video_id: i, title: `v${i}`, phase: 'extract' as const, percent: 10 }))
    const lines = renderJob(job({ current }), { columns: 80, maxItems: 2 })
    expect(lines.filter((l) => l.includes('♪'))).toHaveLength(2)
    expect(lines.at(-1)).toContain('… and 3 more')
  })
})

describe('plain output', () => {
  test('summaryLine', () => {
    expect(summaryLine(job())).toBe('download 5/10 | extract 3/5')
    expect(summaryLine(job({ download_status: 'completed', download_failed: 1, batch_total: 100, batch_done_before: 20 }))).toBe(
      'download 5/10 done, 1 failed (25/100 total (75 remaining)) | extract 3/5',
    )
    expect(summaryLine(job({ download_total: 0, download_completed: 0 }))).toBe('download: indexing the playlist | extract 3/5')
  })

  test('plainUpdates prints new items and changed summaries only', () => {
    const a = job()
    expect(plainUpdates(null, a)).toEqual(['download 5/10 | extract 3/5'])
    expect(plainUpdates(a, job())).toEqual([])
    const b = job({ current: [dl] })
    expect(plainUpdates(a, b)).toEqual(['  downloading: Sixth video'])
    expect(plainUpdates(b, job({ current: [{ ...dl, percent: 80 }] }))).toEqual([]) // percent alone is not a change
    expect(plainUpdates(b, job({ download_completed: 6 }))).toEqual(['download 6/10 | extract 3/5'])
  })

  test('PlainRenderer writes no escape codes', () => {
    const io = memoryIo()
    const r = new PlainRenderer(io)
    r.update(job())
    r.log('a message')
    r.finish(job({ status: 'completed', download_status: 'completed', download_completed: 10, extract_status: 'completed', extract_completed: 5 }))
    expect(io.stdout).toBe('download 5/10 | extract 3/5\ndownload 10/10 done | extract 5/5 done\n')
    expect(io.stderr).toBe('a message\n')
    expect(io.stdout).not.toContain('\x1b')
  })
})

describe('TtyRenderer', () => {
  test('redraws in place: cursor up over the previous bars, clear, new bars', () => {
    const io = memoryIo({ isTTY: true, columns: 100 })
    const r = new TtyRenderer(io, 0)
    r.update(job())
    const first = io.stdout
    expect(first).toStartWith('\x1b[?25l') // cursor hidden while drawing
    expect(first.split('\n').length - 1).toBe(2)
    r.update(job({ download_completed: 6 }))
    expect(io.stdout.slice(first.length)).toStartWith('\r\x1b[2A\x1b[J📥 Downloading')
    r.finish(job({ download_completed: 7 }))
    expect(io.stdout).toEndWith('\x1b[?25h') // cursor back
    expect(io.stdout).toContain('7 / 10')
  })

  test('log clears the bars, prints to stderr, redraws', () => {
    const io = memoryIo({ isTTY: true })
    const r = new TtyRenderer(io, 0)
    r.update(job())
    const before = io.stdout.length
    r.log('hello')
    expect(io.stderr).toBe('hello\n')
    expect(io.stdout.slice(before)).toStartWith('\r\x1b[2A\x1b[J📥 Downloading') // cleared, then redrawn below the message
  })

  test('updates are throttled: the latest state is drawn once the interval has passed', async () => {
    const io = memoryIo({ isTTY: true })
    const r = new TtyRenderer(io, 50)
    r.update(job())
    for (let i = 6; i <= 9; i++) r.update(job({ download_completed: i }))
    expect(io.stdout.match(/📥/g)).toHaveLength(1)
    await Bun.sleep(80)
    expect(io.stdout.match(/📥/g)).toHaveLength(2)
    expect(io.stdout).toContain('9 / 10')
    r.finish(null)
  })
})
