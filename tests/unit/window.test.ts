import { describe, expect, test } from 'bun:test'
import { ConfigError, parseConfig } from '../../src/config'
import { inWindow, nextOpening, parseTimeWindow } from '../../src/library/window'

const at = (hhmm: string, day = 10) => {
  const [h, m] = hhmm.split(':').map(Number)
  return new Date(2026, 10, day, h, m, 30)
}

describe('DOWNLOAD_WINDOW', () => {
  test('parses HH:MM-HH:MM, spaces and one-digit hours allowed', () => {
    expect(parseTimeWindow('01:00-07:00')).toEqual({ start: 60, end: 420, text: '01:00–07:00' })
    expect(parseTimeWindow(' 9:30 - 17:05 ')).toEqual({ start: 570, end: 1025, text: '09:30–17:05' })
  })
  test.each(['night', '24:00-06:00', '01:60-02:00', '05:00-05:00', '1-7', ''])('refuses %p', (raw) => {
    expect(() => parseTimeWindow(raw)).toThrow()
  })
  test('a daytime window', () => {
    const w = parseTimeWindow('09:00-17:00')
    expect([at('08:59'), at('09:00'), at('16:59'), at('17:00')].map((d) => inWindow(w, d))).toEqual([false, true, true, false])
    expect(nextOpening(w, at('17:30'))).toEqual(new Date(2026, 10, 11, 9, 0, 0))
    expect(nextOpening(w, at('06:00'))).toEqual(new Date(2026, 10, 10, 9, 0, 0))
  })
  test('a window across midnight', () => {
    const w = parseTimeWindow('22:00-06:00')
    expect([at('21:59'), at('22:00'), at('03:00'), at('05:59'), at('06:00'), at('12:00')].map((d) => inWindow(w, d))).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
    ])
    expect(nextOpening(w, at('12:00'))).toEqual(new Date(2026, 10, 10, 22, 0, 0))
  })
  test('config: empty means any time; a bad value names the variable', () => {
    expect(parseConfig({}).downloadWindow).toBeNull()
    expect(parseConfig({ DOWNLOAD_WINDOW: '01:00-07:00' }).downloadWindow?.text).toBe('01:00–07:00')
    expect(() => parseConfig({ DOWNLOAD_WINDOW: 'after dark' })).toThrow(ConfigError)
    expect(() => parseConfig({ DOWNLOAD_WINDOW: 'after dark' })).toThrow(/^DOWNLOAD_WINDOW must look like 01:00-07:00/)
  })
})
