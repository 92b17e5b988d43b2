import { isIP } from 'node:net'

/**
 * IP addresses classified by their bytes. Strings cannot be trusted here: the URL parser
 * rewrites `[::ffff:127.0.0.1]` to `::ffff:7f00:1`, and the same v4 address hides inside
 * several v6 forms, so every form is parsed to bytes and the embedded v4 address unwrapped.
 */

/** 4 bytes for IPv4, 16 for IPv6 (a dotted tail included); null when `ip` is not an address. */
export function addressBytes(ip: string): Uint8Array | null {
  const host = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '') // brackets, and a zone id (fe80::1%eth0)
  const family = isIP(host)
  if (family === 4) return Uint8Array.from(host.split('.').map(Number))
  if (family !== 6) return null
  let text = host.toLowerCase()
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number)
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null]
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = tail === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  const bytes = new Uint8Array(16)
  groups.forEach((g, i) => {
    const n = parseInt(g, 16)
    bytes[i * 2] = n >> 8
    bytes[i * 2 + 1] = n & 0xff
  })
  return bytes
}

type Range = [prefix: number[], bits: number]

const inRange = (bytes: Uint8Array, [prefix, bits]: Range): boolean => {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i)
    const mask = (0xff << (8 - take)) & 0xff
    if ((bytes[i / 8] & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false
  }
  return true
}

/** Not the public internet: this host, private and shared networks, link-local (cloud metadata), multicast, reserved. */
const V4_BLOCKED: Range[] = [
  [[0], 8], // "this network"; 0.0.0.0 reaches this host
  [[10], 8],
  [[100, 64], 10], // carrier-grade NAT
  [[127], 8],
  [[169, 254], 16], // link-local, 169.254.169.254 is the cloud metadata service
  [[172, 16], 12],
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2], 24], // documentation
  [[192, 88, 99], 24], // 6to4 relay anycast
  [[192, 168], 16],
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation
  [[203, 0, 113], 24], // documentation
  [[224], 4], // multicast
  [[240], 4], // reserved, 255.255.255.255 included
]

const V6_BLOCKED: Range[] = [
  [[], 96], // ::/96: "::", "::1" and the deprecated IPv4-compatible form, which nothing public uses
  [[0, 0x64, 0xff, 0x9b, 0, 1], 48], // 64:ff9b:1::/48, local-use NAT64
  [[0x01, 0x00], 64], // 100::/64, discard-only
  [[0x20, 0x01, 0x0d, 0xb8], 32], // 2001:db8::/32, documentation
  [[0xfc], 7], // unique-local fc00::/7
  [[0xfe, 0x80], 10], // link-local fe80::/10
  [[0xfe, 0xc0], 10], // site-local fec0::/10 (deprecated, still routed inside some networks)
  [[0xff], 8], // multicast
]

/** v6 forms that carry a v4 address, and where it sits: the v4 address decides. */
const V4_INSIDE_V6: { range: Range; at: number; xor?: number }[] = [
  { range: [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96], at: 12 }, // ::ffff:0:0/96, IPv4-mapped
  { range: [[0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0], 96], at: 12 }, // ::ffff:0:0:0/96, IPv4-translated (SIIT)
  { range: [[0, 0x64, 0xff, 0x9b], 96], at: 12 }, // 64:ff9b::/96, NAT64
  { range: [[0x20, 0x02], 16], at: 2 }, // 2002::/16, 6to4
  { range: [[0x20, 0x01, 0, 0], 32], at: 12, xor: 0xff }, // 2001::/32, Teredo: the client's address, inverted
]

/** The v4 address a v6 address carries (mapped, NAT64, 6to4, Teredo), or null. */
export function embeddedV4(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length !== 16) return null
  for (const { range, at, xor } of V4_INSIDE_V6) if (inRange(bytes, range)) return bytes.slice(at, at + 4).map((b) => b ^ (xor ?? 0))
  return null
}

/** Loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved; in any v4 or v6 spelling. Not an address: true. */
export function isPrivateAddress(ip: string): boolean {
  const bytes = addressBytes(ip)
  if (!bytes) return true
  if (bytes.length === 4) return V4_BLOCKED.some((r) => inRange(bytes, r))
  const v4 = embeddedV4(bytes)
  if (v4) return V4_BLOCKED.some((r) => inRange(v4, r))
  return V6_BLOCKED.some((r) => inRange(bytes, r))
}
