import { expect, test } from 'bun:test'
import { formatClock, formatDate, formatRelative, formatUtc } from '../../views/format'

const NOW = Date.parse('2026-08-01T12:00:00.000Z')

test('formatRelative: seconds, minutes, hours, days; future and past', () => {
  const at = (ms: number) => new Date(NOW + ms).toISOString()
  expect(formatRelative(at(2000), NOW)).toBe('now')
  expect(formatRelative(at(90_000), NOW)).toBe('in 90 s')
  expect(formatRelative(at(-30_000), NOW)).toBe('30 s ago')
  expect(formatRelative(at(45 * 60_000), NOW)).toBe('in 45 min')
  expect(formatRelative(at(3600_000), NOW)).toBe('in 60 min')
  expect(formatRelative(at(24 * 3600_000), NOW)).toBe('in 24 h')
  expect(formatRelative(at(-5 * 3600_000), NOW)).toBe('5 h ago')
  expect(formatRelative(at(7 * 86_400_000), NOW)).toBe('in 7 days')
  expect(formatRelative(null, NOW)).toBe('')
  expect(formatRelative('not a date', NOW)).toBe('')
})

test('UTC time, date and clock from stored ISO strings', () => {
  expect(formatUtc('2026-08-01T14:03:27.123Z')).toBe('2026-08-01 14:03 UTC')
  expect(formatUtc(null)).toBe('')
  expect(formatDate('2026-08-01T14:03:27.123Z')).toBe('2026-08-01')
  expect(formatClock('2026-08-01T14:03:27.123Z')).toBe('2026-08-01 14:03:27')
})
