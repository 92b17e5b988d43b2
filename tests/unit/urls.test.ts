import { describe, expect, test } from 'bun:test'
import { addressBytes } from '../../src/library/addresses'
import { isGenericSourceId, parseIndex } from '../../src/tools/ytdlp'
import { checkUrlSyntax, checkUrlTarget, entryTargetError, isPrivateAddress, urlKey, ytdlpFixup } from '../../src/library/urls'

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
  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true))
  test.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '172.32.0.1'])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false))

  // Every way of writing an address inside a URL, as the URL parser hands the host on.
  const blocked: [string, string][] = [
    ['IPv4-mapped, dotted', 'http://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped, hex', 'http://[::ffff:7f00:1]/'],
    ['IPv4-mapped, written out', 'http://[0:0:0:0:0:ffff:7f00:1]/'],
    ['IPv4-mapped, upper case', 'http://[::FFFF:7F00:1]/'],
    ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/'],
    ['IPv4-mapped private', 'http://[::ffff:a00:1]/'],
    ['IPv4-translated', 'http://[::ffff:0:7f00:1]/'],
    ['IPv4-compatible, dotted', 'http://[::127.0.0.1]/'],
    ['IPv4-compatible, public inside', 'http://[::8.8.8.8]/'],
    ['unspecified', 'http://[::]/'],
    ['loopback', 'http://[::1]/'],
    ['loopback written out', 'http://[0:0:0:0:0:0:0:1]/'],
    ['NAT64 of loopback', 'http://[64:ff9b::127.0.0.1]/'],
    ['NAT64 of loopback, hex', 'http://[64:ff9b::7f00:1]/'],
    ['NAT64 of metadata', 'http://[64:ff9b::a9fe:a9fe]/'],
    ['local-use NAT64', 'http://[64:ff9b:1::808:808]/'],
    ['6to4 of loopback', 'http://[2002:7f00:1::]/'],
    ['6to4 of 10/8', 'http://[2002:a00:1::1]/'],
    ['6to4 of metadata', 'http://[2002:a9fe:a9fe::1]/'],
    ['Teredo of loopback', 'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/'],
    ['unique-local fc', 'http://[fc00::1]/'],
    ['unique-local fd', 'http://[fdff:ffff::1]/'],
    ['link-local', 'http://[fe80::1]/'],
    ['link-local, top of range', 'http://[febf::1]/'],
    ['site-local', 'http://[fec0::1]/'],
    ['multicast', 'http://[ff02::1]/'],
    ['documentation', 'http://[2001:db8::1]/'],
    ['v4 loopback', 'http://127.0.0.1/'],
    ['v4 loopback, top of /8', 'http://127.255.255.254/'],
    ['v4 numeric', 'http://2130706433/'],
    ['v4 octal', 'http://0177.0.0.1/'],
    ['v4 hex', 'http://0x7f.1/'],
    ['v4 short', 'http://127.1/'],
    ['v4 this network', 'http://0.0.0.0/'],
    ['v4 10/8', 'http://10.255.0.1/'],
    ['v4 CGNAT', 'http://100.127.255.255/'],
    ['v4 metadata', 'http://169.254.169.254/'],
    ['v4 172.16/12', 'http://172.31.255.255/'],
    ['v4 192.168/16', 'http://192.168.0.1/'],
    ['v4 IETF', 'http://192.0.0.8/'],
    ['v4 documentation', 'http://203.0.113.5/'],
    ['v4 benchmarking', 'http://198.19.0.1/'],
    ['v4 multicast', 'http://224.0.0.1/'],
    ['v4 broadcast', 'http://255.255.255.255/'],
  ]
  test.each(blocked)('refused: %s (%s)', async (_, url) => {
    expect(isPrivateAddress(new URL(url).hostname)).toBe(true)
    await expect(checkUrlTarget(url, false)).rejects.toThrow('ALLOW_PRIVATE_URLS')
  })
  const open: [string, string][] = [
    ['public v4', 'http://93.184.216.34/'],
    ['next to 172.16/12', 'http://172.32.0.1/'],
    ['next to CGNAT', 'http://100.128.0.1/'],
    ['public v6', 'http://[2606:4700::1111]/'],
    ['IPv4-mapped public', 'http://[::ffff:8.8.8.8]/'],
    ['NAT64 of public', 'http://[64:ff9b::808:808]/'],
    ['6to4 of public', 'http://[2002:808:808::1]/'],
    ['next to unique-local', 'http://[fe00::1]/'],
    ['next to link-local', 'http://[fe7f::1]/'],
  ]
  test.each(open)('allowed: %s (%s)', async (_, url) => {
    expect(isPrivateAddress(new URL(url).hostname)).toBe(false)
    await checkUrlTarget(url, false)
  })
  test('addresses are read as bytes, whatever the spelling', () => {
    const loop = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]
    for (const s of ['::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '[::FFFF:7F00:0001]']) expect([...addressBytes(s)!]).toEqual(loop)
    expect([...addressBytes('fe80::1%eth0')!]).toEqual([0xfe, 0x80, ...Array(13).fill(0), 1])
    expect([...addressBytes('1::')!]).toEqual([0, 1, ...Array(14).fill(0)])
    expect(addressBytes('localhost')).toBeNull()
    expect(isPrivateAddress('not-an-address')).toBe(true) // an unexpected answer is never "public"
  })
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
  const check = (url: string, hosts = new Map(), generic = false) => entryTargetError(url, { allowPrivate: false, resolve }, hosts, generic)

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
    expect(await entryTargetError('http://127.0.0.1/x', { allowPrivate: true, resolve }, new Map())).toBeNull()
    const hosts = new Map()
    await Promise.all(['a', 'b', 'c'].map((n) => check(`https://cdn.example/${n}.mp4`, hosts)))
    expect(lookups).toEqual(['cdn.example'])
  })
})

describe('entryTargetError: URLs yt-dlp would complete', () => {
  const resolve = async () => ['93.184.216.34']
  const check = (url: string, generic: boolean) => entryTargetError(url, { allowPrivate: false, resolve }, new Map(), generic)
  test('yt-dlp prefixes host/path with http:// and //host with http:', () => {
    expect(ytdlpFixup('127.0.0.1:8000/media/x.mp4')).toBe('http://127.0.0.1:8000/media/x.mp4')
    expect(ytdlpFixup('//127.0.0.1/x')).toBe('http://127.0.0.1/x')
    expect(ytdlpFixup('dQw4w9WgXcQ')).toBeNull()
  })
  test('generic entries are told by the id the index gives them', () => {
    const [entry] = parseIndex(JSON.stringify({ entries: [{ url: '127.0.0.1:8000/media/x.mp4', ie_key: 'Generic' }] }), 'http://h/feed.xml').entries
    expect(isGenericSourceId(entry.source_id)).toBe(true)
    expect(isGenericSourceId('dQw4w9WgXcQ')).toBe(false)
    expect(isGenericSourceId('gAbCdEfGhIj')).toBe(false) // a YouTube id may start with g
  })
  test('a generic entry must be an absolute http(s) URL', async () => {
    for (const url of ['127.0.0.1:8000/media/x.mp4', '//127.0.0.1/x.mp4', 'cdn.example/x.mp4', 'x.mp4'])
      expect(await check(url, true)).toContain('not an absolute http or https URL')
    expect(await check('https://cdn.example/x.mp4', true)).toBeNull()
  })
  test('other entries are checked as the URL yt-dlp makes of them; bare ids pass', async () => {
    expect(await check('127.0.0.1:8000/media/x.mp4', false)).toContain('private or local address')
    expect(await check('//[::ffff:7f00:1]/x', false)).toContain('private or local address')
    expect(await check('cdn.example/x.mp4', false)).toBeNull()
    expect(await check('dQw4w9WgXcQ', false)).toBeNull()
  })
})

describe('urlKey: one key for every spelling of a URL', () => {
  test.each([
    ['HTTP://Example.COM/feed.xml', 'http://example.com/feed.xml'],
    ['http://example.com:80/feed.xml', 'http://example.com/feed.xml'],
    ['https://example.com:443/feed.xml', 'https://example.com/feed.xml'],
    ['http://example.com/feed/', 'http://example.com/feed'],
    ['http://example.com.', 'http://example.com/'],
    ['http://example.com', 'http://example.com/'],
    ['https://www.youtube.com/playlist/?list=PL1', 'https://www.youtube.com/playlist?list=PL1'],
  ])('%s', (given, key) => expect(urlKey(given)).toBe(key))
  test('what changes the resource stays apart', () => {
    expect(urlKey('http://example.com:8080/f')).not.toBe(urlKey('http://example.com/f'))
    expect(urlKey('https://example.com/f')).not.toBe(urlKey('http://example.com/f'))
    expect(urlKey('http://example.com/F')).not.toBe(urlKey('http://example.com/f'))
    expect(urlKey('http://example.com/f?list=A')).not.toBe(urlKey('http://example.com/f?list=a'))
  })
})
