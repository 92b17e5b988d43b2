/**
 * The `subtitles` setting: "off", "all", or a list of language tags ("en,de,pt-BR"). It goes
 * to yt-dlp's --sub-langs, which reads each item as a regular expression: only plain tags
 * pass here, so a setting can never smuggle a pattern (or an option) onto its command line.
 */
export type SubtitleChoice = { kind: 'off' } | { kind: 'all' } | { kind: 'langs'; langs: string[] }

/** "en", "pt-BR", "zh-Hans", "en-orig" (YouTube's original-language track), "es-419". */
const TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/
export const MAX_SUBTITLE_LANGS = 20

/** The choice, or the reason in words ("“e n” is not a language tag like en or pt-BR"). */
export function parseSubtitleChoice(raw: string): SubtitleChoice | { error: string } {
  const text = raw.trim()
  if (text === '' || text.toLowerCase() === 'off') return { kind: 'off' }
  if (text.toLowerCase() === 'all') return { kind: 'all' }
  const langs: string[] = []
  for (const part of text.split(',')) {
    const tag = part.trim()
    if (tag === '') return { error: 'has an empty language between commas' }
    if (tag.toLowerCase() === 'all' || tag.toLowerCase() === 'off') return { error: `"${tag}" cannot be combined with languages` }
    if (!TAG.test(tag)) return { error: `"${tag.slice(0, 40)}" is not a language tag like en or pt-BR` }
    if (!langs.includes(tag)) langs.push(tag)
  }
  if (langs.length > MAX_SUBTITLE_LANGS) return { error: `lists more than ${MAX_SUBTITLE_LANGS} languages` }
  return { kind: 'langs', langs }
}

/** The stored spelling: "off", "all" or "en,de". */
export function subtitleChoiceText(c: SubtitleChoice): string {
  return c.kind === 'langs' ? c.langs.join(',') : c.kind
}
