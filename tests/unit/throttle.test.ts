import { describe, expect, test } from 'bun:test'
import { FailureThrottle } from '../../src/http/throttle'

describe('FailureThrottle', () => {
  const clock = () => {
    let t = 1_000_000
    return { now: () => t, advance: (s: number) => (t += s * 1000) }
  }
  test('free attempts, then a wait that doubles up to the cap; success clears it', () => {
    const c = clock()
    const th = new FailureThrottle({ free: 2, baseSeconds: 1, maxSeconds: 8, now: c.now })
    th.fail('a')
    th.fail('a')
    expect(th.retryAfter('a')).toBe(0)
    const waits: number[] = []
    for (let i = 0; i < 6; i++) {
      th.fail('a')
      waits.push(th.retryAfter('a'))
      c.advance(th.retryAfter('a'))
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8])
    expect(th.retryAfter('b')).toBe(0)
    th.succeed('a')
    th.fail('a')
    expect(th.retryAfter('a')).toBe(0)
  })
  test('a client quiet for forgetSeconds starts afresh', () => {
    const c = clock()
    const th = new FailureThrottle({ free: 0, forgetSeconds: 60, now: c.now })
    th.fail('a')
    expect(th.retryAfter('a')).toBe(1)
    c.advance(61)
    expect(th.retryAfter('a')).toBe(0)
    expect(th.size).toBe(0)
  })
  test('memory is bounded: a million guessing addresses keep at most `capacity` entries', () => {
    const th = new FailureThrottle({ capacity: 1000, free: 0 })
    for (let i = 0; i < 1_000_000; i++) th.fail(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)
    expect(th.size).toBe(1000)
    // The most recent ones are the ones kept.
    expect(th.retryAfter('10.15.66.63')).toBeGreaterThan(0)
    expect(th.retryAfter('10.0.0.1')).toBe(0)
  })
})

describe('clientAddress: the key the back-off counts by', () => {
  const { clientAddress } = require('../../src/http/security') as typeof import('../../src/http/security')
  const via = (xff: string, trust = true) => clientAddress(new Request('http://localhost/', { headers: { 'x-forwarded-for': xff } }), null, trust)
  test('IPv4 as is; IPv6 by its /64 in any spelling; mapped IPv4 unwrapped', () => {
    expect(via('203.0.113.9')).toBe('203.0.113.9')
    for (const a of ['2001:db8:1:2::9', '2001:DB8:0001:0002:ffff::1', '[2001:db8:1:2:3:4:5:6]']) expect(via(a)).toBe('2001:db8:1:2::/64')
    expect(via('2001:db8:1:3::9')).toBe('2001:db8:1:3::/64')
    expect(via('::ffff:203.0.113.9')).toBe('203.0.113.9')
  })
  test('X-Forwarded-For: the entry our proxy appended, and only with TRUST_PROXY', () => {
    expect(via('6.6.6.6, 203.0.113.9')).toBe('203.0.113.9')
    expect(via('6.6.6.6', false)).toBe('unknown') // app.handle has no socket; a real server uses the peer
  })
})
