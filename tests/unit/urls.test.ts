import { describe, expect, test } from 'bun:test'
import { checkUrlSyntax, checkUrlTarget, isPrivateAddress } from '../../src/library/urls'

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
