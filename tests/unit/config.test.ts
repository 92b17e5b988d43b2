import { describe, expect, test } from 'bun:test'
import { checkExposure, ConfigError, ffprobeBeside, parseConfig, parseRate, readDotEnv } from '../../src/config'

describe('parseConfig', () => {
  test('defaults', () => {
    const c = parseConfig({})
    expect(c.host).toBe('127.0.0.1')
    expect(c.port).toBe(8000)
    expect(c.batchSize).toBe(200)
    expect(c.downloadConcurrency).toBe(1)
    expect(c.extractConcurrency).toBeGreaterThanOrEqual(1)
    expect(c.audioFormat).toBe('mp3')
    expect(c.extractDelaySeconds).toBe(0)
    expect(c.dataDir.endsWith('/data')).toBe(true)
  })
  test('flags override env', () => {
    expect(parseConfig({ PORT: '9000' }, { PORT: '9100' }).port).toBe(9100)
  })
  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ BATCH_SIZE: '0' }, 'BATCH_SIZE'],
    [{ AUDIO_FORMAT: 'wav' }, 'AUDIO_FORMAT'],
    [{ DOWNLOAD_CONCURRENCY: '1.5' }, 'DOWNLOAD_CONCURRENCY'],
    [{ EXTRACT_DELAY_SECONDS: '-1' }, 'EXTRACT_DELAY_SECONDS'],
    [{ ALLOW_PRIVATE_URLS: 'maybe' }, 'ALLOW_PRIVATE_URLS'],
    [{ RATE_LIMIT: 'fast' }, 'RATE_LIMIT'],
    [{ MIN_FREE_SPACE_MB: '-1' }, 'MIN_FREE_SPACE_MB'],
    [{ AUTH_TOKEN: 'short' }, 'AUTH_TOKEN'],
    [{ COOKIES_FILE: '/nonexistent/cookies.txt' }, 'COOKIES_FILE'],
  ])('%p is refused naming %s', (env, name) => {
    expect(() => parseConfig(env)).toThrow(ConfigError)
    expect(() => parseConfig(env)).toThrow(name)
  })
  test('rates', () => {
    expect(parseRate('R', '500K')).toBe(512000)
    expect(parseRate('R', '2M')).toBe(2 * 1024 * 1024)
    expect(parseRate('R', '1000')).toBe(1000)
    expect(parseRate('R', undefined)).toBe(0)
  })
  test('ffprobe sits beside ffmpeg', () => {
    expect(ffprobeBeside('ffmpeg')).toBe('ffprobe')
    expect(ffprobeBeside('/opt/ff/bin/ffmpeg')).toBe('/opt/ff/bin/ffprobe')
  })
})

describe('checkExposure', () => {
  test('loopback needs nothing', () => expect(checkExposure(parseConfig({ HOST: '127.0.0.1' }))).toBeNull())
  test('a public address without a token is refused', () => {
    expect(() => checkExposure(parseConfig({ HOST: '0.0.0.0' }))).toThrow('AUTH_TOKEN')
  })
  test('a token or the explicit flag allows it', () => {
    expect(checkExposure(parseConfig({ HOST: '0.0.0.0', AUTH_TOKEN: 'x'.repeat(20) }))).toBeNull()
    expect(checkExposure(parseConfig({ HOST: '0.0.0.0', INSECURE_NO_AUTH: 'true' }))).toContain('WARNING')
  })
})

describe('.env', () => {
  test('KEY=VALUE lines, quotes, comments, export; the environment wins', () => {
    const { mkdtempSync, writeFileSync } = require('node:fs') as typeof import('node:fs')
    const dir = mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'yt-serve-env-'))
    const file = `${dir}/.env`
    writeFileSync(file, '# comment\nPORT=9001\nexport BATCH_SIZE="7"\nAUDIO_FORMAT=\'flac\'\nbroken line\n')
    const env = readDotEnv(file)
    expect(env).toEqual({ PORT: '9001', BATCH_SIZE: '7', AUDIO_FORMAT: 'flac' })
    const c = parseConfig({ ...env, PORT: '9002' })
    expect([c.port, c.batchSize, c.audioFormat]).toEqual([9002, 7, 'flac'])
    expect(readDotEnv(`${dir}/missing`)).toEqual({})
  })
})

describe('NOTIFY_URL', () => {
  test('an http(s) URL, private addresses included; anything else is refused', () => {
    expect(parseConfig({ NOTIFY_URL: 'http://192.168.1.5:8123/api/webhook/yt' }).notifyUrl).toBe('http://192.168.1.5:8123/api/webhook/yt')
    expect(parseConfig({}).notifyUrl).toBeNull()
    for (const bad of ['ftp://x/y', 'not a url', 'file:///etc/passwd']) expect(() => parseConfig({ NOTIFY_URL: bad })).toThrow(/^NOTIFY_URL must be an http\(s\) URL/)
  })
})

describe('the managed yt-dlp and its JS runtime', () => {
  test('defaults: GitHub stable, chosen asset, daily checks, yt-serve itself as the runtime', () => {
    const c = parseConfig({})
    expect(c).toMatchObject({
      ytdlpPath: null,
      ytdlpReleasesUrl: 'https://github.com/yt-dlp/yt-dlp/releases',
      ytdlpChannel: 'stable',
      ytdlpAsset: null,
      ytdlpAutoUpdate: 'daily',
      jsRuntime: 'auto',
      remoteComponents: 'ejs:github',
    })
  })
  test('set values', () => {
    const c = parseConfig({
      YTDLP_PATH: '/opt/yt-dlp',
      YTDLP_RELEASES_URL: 'http://127.0.0.1:9/yt-dlp/yt-dlp/releases/',
      YTDLP_CHANNEL: 'nightly',
      YTDLP_ASSET: 'yt-dlp_linux',
      YTDLP_AUTO_UPDATE: 'Weekly',
      JS_RUNTIME: 'deno',
      REMOTE_COMPONENTS: '',
    })
    expect(c).toMatchObject({
      ytdlpPath: '/opt/yt-dlp',
      ytdlpReleasesUrl: 'http://127.0.0.1:9/yt-dlp/yt-dlp/releases',
      ytdlpChannel: 'nightly',
      ytdlpAsset: 'yt-dlp_linux',
      ytdlpAutoUpdate: 'weekly',
      jsRuntime: 'deno',
      remoteComponents: null,
    })
    expect(parseConfig({ YTDLP_CHANNEL: '2025.11.12', REMOTE_COMPONENTS: 'none' })).toMatchObject({ ytdlpChannel: '2025.11.12', remoteComponents: null })
  })
  test.each([
    [{ YTDLP_RELEASES_URL: 'ftp://x/releases' }, 'YTDLP_RELEASES_URL must be an http(s) URL'],
    [{ YTDLP_CHANNEL: '../../evil' }, 'YTDLP_CHANNEL must be stable, nightly or a release tag'],
    [{ YTDLP_CHANNEL: 'nightly', YTDLP_RELEASES_URL: 'http://mirror.lan/yt' }, 'YTDLP_CHANNEL=nightly needs YTDLP_RELEASES_URL to end in /yt-dlp/yt-dlp/releases'],
    [{ YTDLP_ASSET: 'a/b' }, 'YTDLP_ASSET must be a release file name'],
    [{ YTDLP_AUTO_UPDATE: 'hourly' }, 'YTDLP_AUTO_UPDATE must be one of off, daily, weekly'],
    [{ JS_RUNTIME: 'quickjs' }, 'JS_RUNTIME must be one of auto, self, deno, node, none'],
    [{ REMOTE_COMPONENTS: 'ejs:github; rm' }, 'REMOTE_COMPONENTS must look like ejs:github'],
  ])('%p is refused', (env, message) => {
    expect(() => parseConfig(env as Record<string, string>)).toThrow(message)
  })
})
