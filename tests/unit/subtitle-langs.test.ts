import { expect, test } from 'bun:test'
import { parseSubtitleChoice, subtitleChoiceText } from '../../src/library/subtitle-langs'

test.each([
  ['', 'off'],
  ['OFF', 'off'],
  ['all', 'all'],
  ['en', 'en'],
  [' en , de,en ', 'en,de'],
  ['pt-BR,zh-Hans,es-419,en-orig', 'pt-BR,zh-Hans,es-419,en-orig'],
])('%p is %p', (raw, stored) => {
  const c = parseSubtitleChoice(raw)
  if ('error' in c) throw new Error(c.error)
  expect(subtitleChoiceText(c)).toBe(stored)
})

test.each([
  ['en,,de', 'has an empty language between commas'],
  ['en,all', '"all" cannot be combined with languages'],
  ['en.*', '"en.*" is not a language tag like en or pt-BR'],
  ['--exec=x', '"--exec=x" is not a language tag like en or pt-BR'],
  ['e', '"e" is not a language tag like en or pt-BR'],
  [Array.from({ length: 21 }, (_, i) => `l${String.fromCharCode(97 + i)}`).join(','), 'lists more than 20 languages'],
])('%p is refused: %s', (raw, reason) => expect(parseSubtitleChoice(raw)).toEqual({ error: reason }))
