import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config'
import { Invalid } from '../errors'

/** Where a cookies file uploaded in the UI lives; playlist folders never take this name (see RESERVED_NAMES). */
export const COOKIES_FILE_NAME = 'cookies.txt'
export const uploadedCookiesPath = (dataDir: string) => join(dataDir, COOKIES_FILE_NAME)

/** COOKIES_FILE wins; else the uploaded file when there is one; else none. */
export function cookiesFileFor(config: Config): string | null {
  if (config.cookiesFile) return config.cookiesFile
  const uploaded = uploadedCookiesPath(config.dataDir)
  return existsSync(uploaded) ? uploaded : null
}

export interface CookieCounts {
  cookies: number
  domains: number
}

/**
 * Checks that `text` is a Netscape cookies file (what yt-dlp's --cookies reads): a
 * "# Netscape HTTP Cookie File" header or lines of 7 tab-separated fields. Messages
 * name line numbers, never cookie values.
 */
export function parseNetscapeCookies(text: string): CookieCounts {
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  if (trimmed === '') throw new Invalid('the cookies file is empty')
  if (/^[[{]/.test(trimmed)) throw new Invalid('this is a JSON cookie export: export the cookies in Netscape format (cookies.txt) instead')
  const domains = new Set<string>()
  let cookies = 0
  const lines = trimmed.split(/\r?\n/)
  for (const [i, raw] of lines.entries()) {
    // Browser exporters mark HttpOnly cookies with this prefix on an otherwise normal line.
    const line = raw.startsWith('#HttpOnly_') ? raw.slice('#HttpOnly_'.length) : raw
    if (line.trim() === '' || line.startsWith('#')) continue
    const fields = line.split('\t')
    if (fields.length !== 7) throw new Invalid(`not a Netscape cookies file: line ${i + 1} has ${fields.length} tab-separated fields, not 7`)
    const [domain, sub, , secure, expires] = fields
    if (!domain || !/^(TRUE|FALSE)$/i.test(sub) || !/^(TRUE|FALSE)$/i.test(secure) || !/^-?\d+(\.\d+)?$/.test(expires.trim()))
      throw new Invalid(`not a Netscape cookies file: line ${i + 1} is not domain, TRUE/FALSE, path, TRUE/FALSE, expiry, name, value`)
    cookies++
    domains.add(domain.replace(/^\./, '').toLowerCase())
  }
  if (cookies === 0) throw new Invalid('the cookies file holds no cookies')
  return { cookies, domains: domains.size }
}

export interface CookiesSummary {
  /** Which file yt-dlp gets: COOKIES_FILE, the uploaded one, or none. */
  source: 'env' | 'uploaded' | 'none'
  /** The uploaded file's state, whether or not COOKIES_FILE overrides it. */
  uploaded: (CookieCounts & { set_at: string }) | null
}

export function cookiesSummary(config: Config): CookiesSummary {
  const path = uploadedCookiesPath(config.dataDir)
  let uploaded: CookiesSummary['uploaded'] = null
  if (existsSync(path)) {
    let counts: CookieCounts = { cookies: 0, domains: 0 }
    try {
      counts = parseNetscapeCookies(readFileSync(path, 'utf8'))
    } catch {
      // changed by hand into something unreadable: still there, still reported as set
    }
    uploaded = { ...counts, set_at: statSync(path).mtime.toISOString() }
  }
  return { source: config.cookiesFile ? 'env' : uploaded ? 'uploaded' : 'none', uploaded }
}

/** Validates and stores the file owner-only (0600), replacing the previous one atomically. */
export function saveCookies(config: Config, text: string): CookiesSummary {
  parseNetscapeCookies(text)
  const path = uploadedCookiesPath(config.dataDir)
  const tmp = `${path}.${process.pid}.tmp`
  // mode applies at creation only; chmod covers a umask that strips nothing we need.
  writeFileSync(tmp, text, { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, path)
  return cookiesSummary(config)
}

export function removeCookies(config: Config): CookiesSummary {
  rmSync(uploadedCookiesPath(config.dataDir), { force: true })
  return cookiesSummary(config)
}
