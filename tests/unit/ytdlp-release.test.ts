import { describe, expect, test } from 'bun:test'
import { chooseAsset, jsRuntimeWiring, parsePythonVersion, parseSha256Sums, releaseDir, versionAtLeast, versionedName } from '../../src/tools/ytdlp-release'

describe('release files', () => {
  test('latest, nightly and pinned releases, in GitHub’s layout', () => {
    const gh = 'https://github.com/yt-dlp/yt-dlp/releases'
    expect(releaseDir(gh, 'stable')).toBe(`${gh}/latest/download`)
    expect(releaseDir(`${gh}/`, '2025.11.12')).toBe(`${gh}/download/2025.11.12`)
    expect(releaseDir(gh, 'nightly')).toBe('https://github.com/yt-dlp/yt-dlp-nightly-builds/releases/latest/download')
    expect(() => releaseDir('http://mirror.lan/yt', 'nightly')).toThrow('the nightly channel needs')
  })
  test('the zipapp when python3 ≥ 3.10 runs here, else the standalone build for the machine', () => {
    expect(parsePythonVersion('Python 3.11.7\n')).toEqual([3, 11])
    expect(parsePythonVersion('bash: python3: not found')).toBeNull()
    expect(chooseAsset({ override: null, python: [3, 11], arch: 'x64' })).toBe('yt-dlp')
    expect(chooseAsset({ override: null, python: [3, 9], arch: 'x64' })).toBe('yt-dlp_linux')
    expect(chooseAsset({ override: null, python: null, arch: 'arm64' })).toBe('yt-dlp_linux_aarch64')
    expect(chooseAsset({ override: 'yt-dlp_linux', python: [3, 12], arch: 'x64' })).toBe('yt-dlp_linux')
  })
  test('SHA2-256SUMS lines; anything else is ignored', () => {
    const a = 'a'.repeat(64)
    const b = 'B'.repeat(64)
    const sums = parseSha256Sums(`${a}  yt-dlp\n${b} *yt-dlp_linux\r\nnot a line\n${'c'.repeat(63)}  short\n`)
    expect([...sums]).toEqual([
      ['yt-dlp', a],
      ['yt-dlp_linux', 'b'.repeat(64)],
    ])
  })
  test('versioned file names stay one path segment', () => {
    expect(versionedName('yt-dlp', '2025.11.12')).toBe('yt-dlp-2025.11.12')
    expect(versionedName('yt-dlp', '../x y')).toBe('yt-dlp-.._x_y')
  })
})

describe('the JavaScript runtime wiring', () => {
  const base = { jsRuntime: 'auto' as const, remoteComponents: 'ejs:github', execPath: '/opt/yt-serve', compiled: true }
  test('a yt-dlp from 2025.11.12 on gets yt-serve itself as bun; BUN_BE_BUN only for the compiled binary', () => {
    expect(versionAtLeast('2025.11.12', '2025.11.12')).toBe(true)
    expect(versionAtLeast('2025.11.11.235959', '2025.11.12')).toBe(false)
    expect(jsRuntimeWiring({ ...base, version: '2025.11.12' })).toEqual({
      args: ['--js-runtimes', 'bun:/opt/yt-serve', '--remote-components', 'ejs:github'],
      env: { BUN_BE_BUN: '1' },
    })
    expect(jsRuntimeWiring({ ...base, version: '2026.01.02', compiled: false, execPath: '/usr/bin/bun' })).toEqual({
      args: ['--js-runtimes', 'bun:/usr/bin/bun', '--remote-components', 'ejs:github'],
      env: {},
    })
  })
  test('never for an older or unknown yt-dlp: it would refuse the flags', () => {
    for (const version of ['2023.03.04', '2025.10.22', null, 'custom']) expect(jsRuntimeWiring({ ...base, version })).toEqual({ args: [], env: {} })
  })
  test('JS_RUNTIME and REMOTE_COMPONENTS choices', () => {
    const v = '2026.01.02'
    expect(jsRuntimeWiring({ ...base, version: v, jsRuntime: 'deno', remoteComponents: null })).toEqual({ args: ['--js-runtimes', 'deno'], env: {} })
    expect(jsRuntimeWiring({ ...base, version: v, jsRuntime: 'node' }).args).toEqual(['--js-runtimes', 'node', '--remote-components', 'ejs:github'])
    expect(jsRuntimeWiring({ ...base, version: v, jsRuntime: 'none', remoteComponents: null })).toEqual({ args: [], env: {} })
    expect(jsRuntimeWiring({ ...base, version: v, jsRuntime: 'self' }).env).toEqual({ BUN_BE_BUN: '1' })
  })
})
