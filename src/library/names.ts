const MAX_BYTES = 150

function truncateUtf8(s: string, maxBytes: number): string {
  const enc = new TextEncoder()
  if (enc.encode(s).length <= maxBytes) return s
  let out = ''
  let used = 0
  for (const ch of s) {
    const n = enc.encode(ch).length
    if (used + n > maxBytes) break
    out += ch
    used += n
  }
  return out
}

/**
 * A remote title → one safe path component: no separators, no control characters,
 * no leading dots (hidden files, "..") or dashes (flags), bounded length.
 */
export function sanitizeFileName(title: string, maxBytes = MAX_BYTES): string {
  let s = title
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '') // zero-width and bidi overrides
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\-\s]+/, '')
  s = truncateUtf8(s, maxBytes).replace(/[.\s]+$/, '')
  return s === '' ? 'untitled' : s
}

/** Appends " (2)", " (3)" … until the name is free; `taken` holds lower-cased names. */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base} (${i})`
  taken.add(name.toLowerCase())
  return name
}

export function itemBaseName(position: number, title: string, width = 3): string {
  return `${String(position).padStart(width, '0')} - ${sanitizeFileName(title)}`
}
