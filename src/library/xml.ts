/**
 * Text for XML element content and attribute values. Characters XML 1.0 cannot carry at all
 * (most C0 controls, U+FFFE/U+FFFF, lone surrogates) are dropped, since no escape exists for
 * them and one would make the whole document unreadable; the five special ones are escaped,
 * which also breaks any `]]>`.
 */
export const xmlText = (s: string): string =>
  Bun.escapeHTML(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ''))
