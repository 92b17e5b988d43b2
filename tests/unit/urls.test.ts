import { describe, expect, test } from 'bun:test'
import { checkUrlSyntax, checkUrlTarget, entryTargetError, isPrivateAddress } from '../../src/library/urls'

describe('checkUrlSyntax', () => {
  test.each([
    '--exec=touch /tmp/x',
    '-o/etc/x',
    'file:///etc/passwd',
    'http://a/b\n--exec=x',
    'http://a/b c',
    'ftp://host/x',
    'javascript:alert(1)',
    'http://user:pw@host/x',
    `http://h/${'a'.repeat(2100)}`,
    '',
    'not a url',
  ])('refuses %p', (u) => expect(() => checkUrlSyntax(u)).toThrow())
  test('accepts http(s)', () => {
    expect(checkUrlSyntax(' https://www.youtube.com/playlist?list=PL123 ')).toBe('https://www.youtube.com/playlist?list=PL123')
  })
})

describe('SSRF guard', () => {
  test.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1'])(
    '%s is private',
    (ip) => expect(isPrivateAddress(ip)).toBe(true),
  )
  test.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '172.32.0.1'])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false))
  test('refuses loopback unless allowed', async () => {
    expect(checkUrlTarget('http://127.0.0.1:1/x', false)).rejects.toThrow('ALLOW_PRIVATE_URLS')
    expect(checkUrlTarget('http://localhost:1/x', false)).rejects.toThrow('private')
    await checkUrlTarget('http://127.0.0.1:1/x', true)
  })
})

describe('entryTargetError: what a feed lists is checked too', () => {
  const dns: Record<string, string[]> = { 'cdn.example': ['93.184.216.34'], 'inside.example': ['93.184.216.34', '10.0.0.7'] }
  const lookups: string[] = []
  const resolve = async (host: string) => {
    lookups.push(host)
    if (!dns[host]) throw new Error('ENOTFOUND')
    return dns[host]
  }
  const check = (url: string, hosts = new Map()) => entryTargetError(url, false, hosts, resolve)

  test('public hosts pass; private, loopback and metadata addresses do not', async () => {
    expect(await check('https://cdn.example/v.mp4')).toBeNull()
    expect(await check('http://169.254.169.254/latest/meta-data/')).toContain('ALLOW_PRIVATE_URLS')
    expect(await check('http://[::1]:8000/api/playlists')).toContain('"::1"')
    // One private address among several is enough: yt-dlp could pick it.
    expect(await check('http://inside.example/x.mp4')).toContain('private or local')
  })
  test('other schemes are refused; bare ids and unresolvable hosts are left to yt-dlp', async () => {
    expect(await check('file:///etc/passwd')).toContain('file:')
    expect(await check('dQw4w9WgXcQ')).toBeNull()
    expect(await check('http://nowhere.example/x')).toBeNull()
  })
  test('allowed, nothing is looked up; one lookup per host per batch', async () => {
    lookups.length = 0
    expect(await entryTargetError('http://127.0.0.1/x', true, new Map(), resolve)).toBeNull()
    const hosts = new Map()
    await Promise.all(['a', 'b', 'c'].map((n) => check(`https://cdn.example/${n}.mp4`, hosts)))
    expect(lookups).toEqual(['cdn.example'])
  })
})
