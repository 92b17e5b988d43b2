import { describe, expect, test } from 'bun:test'
import { compilePattern, isIsoDate, skipFilter } from '../../src/library/filters'

const none = { min_duration: null, max_duration: null, title_include: null, title_exclude: null, date_after: null }

describe('download filters', () => {
  test('duration bounds; unknown durations pass them', () => {
    const f = skipFilter({ ...none, min_duration: 60, max_duration: 600 })
    expect(f({ title: 'a', duration: 59 })).toBe('shorter than 1:00')
    expect(f({ title: 'a', duration: 60 })).toBeNull()
    expect(f({ title: 'a', duration: 600 })).toBeNull()
    expect(f({ title: 'a', duration: 601 })).toBe('longer than 10:00')
    expect(f({ title: 'a', duration: null })).toBeNull()
  })
  test('title patterns ignore case; the exclusion wins over the inclusion', () => {
    const f = skipFilter({ ...none, title_include: 'live|session', title_exclude: '#shorts' })
    expect(f({ title: 'LIVE at the Roxy', duration: null })).toBeNull()
    expect(f({ title: 'Studio cut', duration: null })).toBe('title does not match /live|session/')
    expect(f({ title: 'Live session #Shorts', duration: null })).toBe('title matches /#shorts/')
  })
  test('an oldest upload date; unknown dates pass it', () => {
    const f = skipFilter({ ...none, date_after: '2024-01-01' })
    expect(f({ title: 'a', duration: null, upload_date: '2023-12-31' })).toBe('uploaded before 2024-01-01')
    expect(f({ title: 'a', duration: null, upload_date: '2024-01-01' })).toBeNull()
    expect(f({ title: 'a', duration: null, upload_date: null })).toBeNull()
    expect(['2024-02-29', '2023-02-29', '2024-1-1', 'yesterday'].map(isIsoDate)).toEqual([true, false, false, false])
  })
  test('no filters, nothing skipped', () => {
    expect(skipFilter(none)({ title: 'x', duration: 99999 })).toBeNull()
  })
  test('bad or oversized patterns are refused with a readable reason', () => {
    expect(() => compilePattern('title_include', '(')).toThrow(/^title_include is not a valid regular expression/)
    expect(() => compilePattern('title_exclude', 'x'.repeat(201))).toThrow('longer than 200 characters')
  })
  test('a catastrophic pattern runs in linear time with the right answer (RE2, not backtracking)', () => {
    const f = skipFilter({ ...none, title_include: '^((.)+)+Z' })
    const title = 'a'.repeat(5000)
    const t0 = performance.now()
    expect(f({ title, duration: null })).toBe('title does not match /^((.)+)+Z/')
    expect(f({ title: title + 'z', duration: null })).toBeNull() // still case-insensitive
    // A backtracking engine needs ~2^n steps here (n = 30 already takes minutes).
    expect(performance.now() - t0).toBeLessThan(500)
  })
  test('case-insensitive beyond ASCII, as before', () => {
    expect(compilePattern('title_include', 'émission').test('ÉMISSION spéciale')).toBe(true)
    expect(compilePattern('title_include', '\\bLIVE\\b').test('live at the Roxy')).toBe(true)
  })
  test('constructs RE2 cannot run in linear time are refused in words', () => {
    expect(() => compilePattern('title_include', '(a)\\1')).toThrow(/^title_include is not a valid regular expression: back-references/)
    expect(() => compilePattern('title_exclude', 'live(?=!)')).toThrow(/^title_exclude is not a valid regular expression: lookahead and lookbehind/)
    expect(() => compilePattern('title_exclude', '(?<!x)live')).toThrow(/lookahead and lookbehind/)
  })
})
