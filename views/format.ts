// Small pure formatters shared by the views. They return plain text; the views escape it.
import { batchInfo } from '../src/library/batch-info'
import { formatBytes, formatDuration } from '../src/library/units'

export { batchInfo, formatBytes, formatDuration }

export const formatSpeed = (bps: number | null | undefined) => (bps ? `${formatBytes(bps)}/s` : '–')

export const formatPercent = (p: number | null | undefined) => (p === null || p === undefined || !Number.isFinite(p) ? '…' : `${Math.floor(p)}%`)

/** Share of `total` as a CSS width, clamped to 0–100 %. */
export function widthOf(part: number, total: number): string {
  if (total <= 0) return '0%'
  return `${Math.max(0, Math.min(100, (part / total) * 100)).toFixed(1)}%`
}

/** ISO time → "2026-08-01 14:03" (UTC as stored); empty for null. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return ''
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z?$/, '')
}

/** Only http(s) links are rendered as links; anything else stays text. */
export const isWebUrl = (u: string | null | undefined): boolean => typeof u === 'string' && /^https?:\/\//i.test(u)

/** The host of an http(s) URL ("www.example.com:8080"), to tell same-titled playlists apart; empty for anything else. */
export function urlHost(u: string | null | undefined): string {
  if (!isWebUrl(u)) return ''
  try {
    return new URL(u!).host
  } catch {
    return ''
  }
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** ISO time → "2026-08-01 14:03 UTC"; empty for null. */
export const formatUtc = (iso: string | null | undefined): string => (iso ? `${formatTime(iso)} UTC` : '')

/** ISO time → "2026-08-01". */
export const formatDate = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '')

/** ISO time → "2026-08-01 14:03:05", for logs where seconds matter. */
export const formatClock = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z?$/, '') : '')

/** A short hint relative to `nowMs`: "in 5 min", "3 h ago", "in 2 days", "now". */
export function formatRelative(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return ''
  const ms = Date.parse(iso) - nowMs
  if (!Number.isFinite(ms)) return ''
  const s = Math.round(Math.abs(ms) / 1000)
  if (s < 5) return 'now'
  const text = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} days`
  return ms > 0 ? `in ${text}` : `${text} ago`
}
