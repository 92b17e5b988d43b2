import { describe, expect, test } from 'bun:test'
import { itemBaseName, sanitizeFileName, uniqueName } from '../../src/library/names'

describe('sanitizeFileName', () => {
  test.each([
    ['../../etc/passwd', '_.._etc_passwd'],
    ['a/b\\c', 'a_b_c'],
    ['...', 'untitled'],
    ['..', 'untitled'],
    ['.hidden', 'hidden'],
    ['-rf', 'rf'],
    ['  spaced   out  ', 'spaced out'],
    ['tab\tnew\nline', 'tab new line'],
    ['<script>alert(1)</script>', '_script_alert(1)__script_'],
    ['', 'untitled'],
    ['trailing dots...', 'trailing dots'],
  ])('%p → %p', (input, expected) => expect(sanitizeFileName(input)).toBe(expected))
  test('caps the length in bytes without splitting a character', () => {
    const out = sanitizeFileName('é'.repeat(500))
    expect(new TextEncoder().encode(out).length).toBeLessThanOrEqual(150)
    expect(out).toBe('é'.repeat(75))
  })
  test('never produces a separator or a leading dot', () => {
    for (const s of ['/', '\\', '.', '../..', '/etc/passwd', '\u202e.exe']) {
      const out = sanitizeFileName(s)
      expect(out).not.toMatch(/[/\\]/)
      expect(out.startsWith('.')).toBe(false)
    }
  })
})

describe('uniqueName', () => {
  test('names that collide after sanitizing stay unique, case-insensitively', () => {
    const taken = new Set<string>()
    const names = ['a/b', 'a\\b', 'A_B', 'a:b'].map((t) => uniqueName(sanitizeFileName(t), taken))
    expect(names).toEqual(['a_b', 'a_b (2)', 'A_B (3)', 'a_b (4)'])
  })
  test('item names are numbered by position', () => {
    expect(itemBaseName(7, 'x')).toBe('007 - x')
    expect(itemBaseName(7, 'x', 4)).toBe('0007 - x')
  })
})
