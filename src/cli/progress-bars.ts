/**
 * Terminal progress for `yt-serve run`. The formatting functions are pure (job in,
 * lines out) and unit-tested; the renderers below only decide how and when to print.
 */
import type { ItemProgress, Job, PhaseStatus } from '../db/types'
import { batchInfo } from '../library/batch-info'
import { moveStatus } from '../library/move-phase'
import { formatBytes, formatDuration } from '../library/units'

type Phase = 'download' | 'extract' | 'move'

const LABELS: Record<Phase, string> = { download: '📥 Downloading', extract: '🎵 Extracting Audio', move: '📦 Moving files' }
const ITEM_MARK: Record<Phase, string> = { download: '↓', extract: '♪', move: '→' }

export const width = (s: string): number => Bun.stringWidth(s)

/** Cuts `s` to at most `max` terminal columns, ending in "…" when it had to cut. */
export function fit(s: string, max: number): string {
  if (max <= 0) return ''
  if (width(s) <= max) return s
  let out = ''
  for (const ch of s) {
    if (width(out + ch) > max - 1) break
    out += ch
  }
  return out + '…'
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)))

/** The CLI says ETA where the views say duration; same format. */
export const formatEta = formatDuration
export { formatBytes }

export function bar(fraction: number, cells: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0
  const full = Math.round(f * cells)
  return '█'.repeat(full) + '░'.repeat(cells - full)
}

interface PhaseCounts {
  status: PhaseStatus | null
  total: number
  completed: number
  failed: number
}

function counts(job: Job, phase: Phase): PhaseCounts {
  if (phase === 'move') return { status: moveStatus(job), total: job.move_total, completed: job.move_completed, failed: 0 }
  return phase === 'download'
    ? { status: job.download_status, total: job.download_total, completed: job.download_completed, failed: job.download_failed }
    : { status: job.extract_status, total: job.extract_total, completed: job.extract_completed, failed: job.extract_failed }
}

export const phasesOf = (job: Pick<Job, 'type'>): Phase[] => (job.type === 'both' ? ['download', 'extract'] : job.type === 'relayout' ? ['move'] : [job.type])

function statusNote(phase: Phase, c: PhaseCounts): string | null {
  switch (c.status) {
    case 'completed':
      return '✓ done'
    case 'failed':
      return '✗ failed'
    case 'paused':
      return 'paused'
    case 'pending':
      return 'waiting'
    case 'running':
      if (phase === 'download' && c.total === 0 && c.completed + c.failed === 0) return 'indexing the playlist…'
      return null
    default:
      return null
  }
}

/** "42% · 1.2 MiB/s · ETA 0:05" for one item in flight. */
export function itemStats(item: ItemProgress): string {
  const parts: string[] = []
  if (item.percent !== null && item.percent !== undefined) parts.push(`${item.percent.toFixed(item.percent < 10 ? 1 : 0)}%`)
  if (item.total_bytes) parts.push(formatBytes(item.total_bytes))
  if (item.speed) parts.push(`${formatBytes(item.speed)}/s`)
  if (item.eta !== null && item.eta !== undefined) parts.push(`ETA ${formatEta(item.eta)}`)
  return parts.join(' · ')
}

export interface RenderOptions {
  /** Terminal width; every line is cut to columns - 1 so nothing wraps. */
  columns: number
  /** Items in flight shown per phase before "… and N more". */
  maxItems?: number
}

/** The bars as the UI shows them: one line per phase, then one line per item in flight. */
export function renderJob(job: Job, opts: RenderOptions): string[] {
  const columns = Math.max(20, opts.columns) - 1
  const maxItems = opts.maxItems ?? 3
  const phases = phasesOf(job)
  const labelWidth = Math.max(...phases.map((p) => width(LABELS[p])))
  const cells = Math.max(10, Math.min(30, columns - labelWidth - 40))
  const lines: string[] = []
  for (const phase of phases) {
    const c = counts(job, phase)
    const ended = c.completed + c.failed
    const fraction = c.total > 0 ? ended / c.total : c.status === 'completed' ? 1 : 0
    const extras: string[] = []
    if (c.failed) extras.push(`${c.failed} failed`)
    const batch = phase === 'download' ? batchInfo(job) : null
    if (batch) extras.push(batch)
    const note = statusNote(phase, c)
    if (note) extras.push(note)
    const line = `${pad(LABELS[phase], labelWidth)}  ${bar(fraction, cells)}  ${c.completed} / ${c.total}${extras.length ? `  · ${extras.join(' · ')}` : ''}`
    lines.push(fit(line, columns))
    const items = job.current.filter((i) => i.phase === phase).sort((a, b) => a.video_id - b.video_id)
    for (const item of items.slice(0, maxItems)) {
      const stats = itemStats(item)
      const prefix = `   ${ITEM_MARK[phase]} `
      const room = Math.max(8, Math.min(48, columns - width(prefix) - (stats ? width(stats) + 2 : 0)))
      lines.push(fit(`${prefix}${pad(fit(item.title, room), room)}${stats ? `  ${stats}` : ''}`, columns))
    }
    if (items.length > maxItems) lines.push(`   … and ${items.length - maxItems} more`)
  }
  return lines
}

/** "download 5/10, 1 failed (25/100 total (75 remaining)) | extract 3/5 done": plain output, one per change. */
export function summaryLine(job: Job): string {
  return phasesOf(job)
    .map((phase) => {
      const c = counts(job, phase)
      if (phase === 'download' && c.status === 'running' && c.total === 0 && c.completed + c.failed === 0) return 'download: indexing the playlist'
      let s = `${phase} ${c.completed}/${c.total}`
      if (c.status && c.status !== 'running') s += ` ${c.status === 'completed' ? 'done' : c.status}`
      if (c.failed) s += `, ${c.failed} failed`
      const batch = phase === 'download' ? batchInfo(job) : null
      if (batch) s += ` (${batch})`
      return s
    })
    .join(' | ')
}

const itemKey = (i: ItemProgress) => `${i.phase}:${i.video_id}`

/** What plain (non-TTY) output prints for a change from `prev` to `next`: new items, then the summary if it changed. */
export function plainUpdates(prev: Job | null, next: Job): string[] {
  const out: string[] = []
  const seen = new Set((prev?.current ?? []).map(itemKey))
  for (const item of next.current)
    if (!seen.has(itemKey(item))) out.push(`  ${item.phase === 'download' ? 'downloading' : item.phase === 'move' ? 'moving' : 'extracting'}: ${item.title}`)
  const line = summaryLine(next)
  if (!prev || line !== summaryLine(prev)) out.push(line)
  return out
}

export interface Renderer {
  update(job: Job): void
  /** A message between the bars (the bars are cleared, the message printed, the bars redrawn). */
  log(message: string): void
  /** Draws the final state and leaves it on screen. */
  finish(job: Job | null): void
}

export interface Terminal {
  write(text: string): void
  writeErr(text: string): void
  isTTY: boolean
  columns(): number
}

/** Redraws the bars in place with ANSI escapes, at most every `intervalMs`. */
export class TtyRenderer implements Renderer {
  private drawn = 0
  private latest: Job | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastDraw = 0
  private cursorHidden = false

  constructor(
    private readonly term: Terminal,
    private readonly intervalMs = 100,
  ) {}

  update(job: Job): void {
    this.latest = job
    const wait = this.lastDraw + this.intervalMs - Date.now()
    if (wait <= 0) this.draw()
    else
      this.timer ??= setTimeout(() => {
        this.timer = null
        this.draw()
      }, wait)
  }

  private clear(): string {
    const s = this.drawn > 0 ? `\r\x1b[${this.drawn}A\x1b[J` : ''
    this.drawn = 0
    return s
  }

  private draw(): void {
    if (!this.latest) return
    this.lastDraw = Date.now()
    const lines = renderJob(this.latest, { columns: this.term.columns() })
    let s = this.cursorHidden ? '' : '\x1b[?25l'
    this.cursorHidden = true
    s += this.clear()
    for (const l of lines) s += `${l}\n`
    this.drawn = lines.length
    this.term.write(s)
  }

  log(message: string): void {
    this.term.write(this.clear())
    this.term.writeErr(`${message}\n`)
    this.draw()
  }

  finish(job: Job | null): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (job) this.latest = job
    this.draw()
    this.restore()
  }

  /** Shows the cursor again; safe to call more than once (also from an exit handler). */
  restore(): void {
    if (this.cursorHidden) this.term.write('\x1b[?25h')
    this.cursorHidden = false
  }
}

/** One plain line per change; no escapes. For pipes, log files and CI. */
export class PlainRenderer implements Renderer {
  private prev: Job | null = null

  constructor(private readonly term: Terminal) {}

  update(job: Job): void {
    for (const line of plainUpdates(this.prev, job)) this.term.write(`${line}\n`)
    this.prev = job
  }
  log(message: string): void {
    this.term.writeErr(`${message}\n`)
  }
  finish(job: Job | null): void {
    if (job) this.update(job)
  }
}

export function createRenderer(term: Terminal): TtyRenderer | PlainRenderer {
  return term.isTTY ? new TtyRenderer(term) : new PlainRenderer(term)
}
