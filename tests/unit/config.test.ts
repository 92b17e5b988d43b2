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
    expect(c.libraryLayout).toBe('plain')
    expect(c.nameTemplate).toBeNull()
    expect(parseConfig({ LIBRARY_LAYOUT: 'Jellyfin', NAME_TEMPLATE: '{title} [{id}]' })).toMatchObject({
      libraryLayout: 'jellyfin',
      nameTemplate: '{title} [{id}]',
    })
    expect(c.extractDelaySeconds).toBe(0)
    expect(c.dataDir.endsWith('/data')).toBe(true)
    expect(c.maxEventStreams).toBe(200)
  })
  test('subtitles and chapters: off unless set; SUBTITLES is checked like the playlist setting', () => {
    const c = parseConfig({})
    expect([c.subtitles, c.autoSubtitles, c.chapters, c.splitChapters]).toEqual([{ kind: 'off' }, false, false, false])
    const on = parseConfig({ SUBTITLES: 'en, de', AUTO_SUBTITLES: 'true', CHAPTERS: '1', SPLIT_CHAPTERS: 'yes' })
    expect([on.subtitles, on.autoSubtitles, on.chapters, on.splitChapters]).toEqual([{ kind: 'langs', langs: ['en', 'de'] }, true, true, true])
    expect(parseConfig({ SUBTITLES: 'all' }).subtitles).toEqual({ kind: 'all' })
    expect(() => parseConfig({ SUBTITLES: 'en;rm -rf' })).toThrow('SUBTITLES must be off, all or language tags separated by commas (en,de)')
    expect(() => parseConfig({ SPLIT_CHAPTERS: 'maybe' })).toThrow('SPLIT_CHAPTERS')
  })
  test('flags override env', () => {
    expect(parseConfig({ PORT: '9000' }, { PORT: '9100' }).port).toBe(9100)
  })
  test('INDEX_CONCURRENCY: 2 yt-dlp indexes at once unless set; 1 to 32', () => {
    expect(parseConfig({}).indexConcurrency).toBe(2)
    expect(parseConfig({ INDEX_CONCURRENCY: '5' }).indexConcurrency).toBe(5)
    for (const bad of ['0', '33', '1.5', 'many']) expect(() => parseConfig({ INDEX_CONCURRENCY: bad })).toThrow('INDEX_CONCURRENCY')
  })
  test('DATABASE_URL: unset is SQLite in DATA_DIR; postgres(ql):// with a host and a database; errors never echo it', () => {
    expect(parseConfig({}).databaseUrl).toBeNull()
    expect(parseConfig({ DATABASE_URL: ' ' }).databaseUrl).toBeNull()
    for (const ok of ['postgres://u:secret@db.lan:5432/yt', 'postgresql://db/yt', 'postgres:///yt?host=/run/postgresql'])
      expect(parseConfig({ DATABASE_URL: ok }).databaseUrl).toBe(ok)
    for (const bad of ['mysql://u:secret@h/yt', 'postgres://u:secret@h', 'postgres://u:secret@h/', 'postgres:///yt', 'not a url secret']) {
      let message = ''
      try {
        parseConfig({ DATABASE_URL: bad })
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError)
        message = (err as Error).message
      }
      expect(message).toContain('DATABASE_URL')
      expect(message).not.toContain('secret')
    }
  })
  test('DATA_DIR_CHECK_SECONDS: every 10 s unless set; 0.1 to 3600', () => {
    expect(parseConfig({}).dataDirCheckSeconds).toBe(10)
    expect(parseConfig({ DATA_DIR_CHECK_SECONDS: '0.5' }).dataDirCheckSeconds).toBe(0.5)
    for (const bad of ['0', '-1', '3601', 'often']) expect(() => parseConfig({ DATA_DIR_CHECK_SECONDS: bad })).toThrow('DATA_DIR_CHECK_SECONDS')
  })
  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ BATCH_SIZE: '0' }, 'BATCH_SIZE'],
    [{ AUDIO_FORMAT: 'wav' }, 'AUDIO_FORMAT'],
    [{ LIBRARY_LAYOUT: 'kodi' }, 'LIBRARY_LAYOUT'],
    [{ NAME_TEMPLATE: '{title}/{id}' }, 'NAME_TEMPLATE'],
    [{ NAME_TEMPLATE: '{nope}' }, 'NAME_TEMPLATE'],
    [{ DOWNLOAD_CONCURRENCY: '1.5' }, 'DOWNLOAD_CONCURRENCY'],
    [{ EXTRACT_DELAY_SECONDS: '-1' }, 'EXTRACT_DELAY_SECONDS'],
    [{ ALLOW_PRIVATE_URLS: 'maybe' }, 'ALLOW_PRIVATE_URLS'],
    [{ RATE_LIMIT: 'fast' }, 'RATE_LIMIT'],
    [{ MIN_FREE_SPACE_MB: '-1' }, 'MIN_FREE_SPACE_MB'],
    [{ AUTH_TOKEN: 'short' }, 'AUTH_TOKEN'],
    [{ COOKIES_FILE: '/nonexistent/cookies.txt' }, 'COOKIES_FILE'],
    [{ MAX_EVENT_STREAMS: '0' }, 'MAX_EVENT_STREAMS'],
    [{ PROXY: 'ftp://proxy:21' }, 'PROXY'],
    [{ PROXY: 'proxy:3128' }, 'PROXY'],
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

describe('PROXY', () => {
  test('http, https and socks5 URLs are kept as given; unset is null', () => {
    expect(parseConfig({}).proxy).toBeNull()
    for (const p of ['http://127.0.0.1:3128', 'https://proxy.lan:443', 'socks5://u:p@10.0.0.2:1080', 'socks5h://tor:9050'])
      expect(parseConfig({ PROXY: p }).proxy).toBe(p)
  })
  test('a refused proxy never echoes the value: it may carry a password', () => {
    expect(() => parseConfig({ PROXY: 'gopher://bob:s3cret@h:70' })).toThrow('PROXY')
    try {
      parseConfig({ PROXY: 'gopher://bob:s3cret@h:70' })
    } catch (err) {
      expect(String(err)).not.toContain('s3cret')
    }
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

describe('SponsorBlock', () => {
  test('off by default, the four categories of the issue, sponsor.ajay.app', () => {
    const c = parseConfig({})
    expect(c.sponsorblock).toBe('off')
    expect(c.sponsorblockCategories).toEqual(['sponsor', 'selfpromo', 'interaction', 'music_offtopic'])
    expect(c.sponsorblockUrl).toBe('https://sponsor.ajay.app')
  })
  test('a mode, a category list and a mirror (on the LAN too, trailing slash dropped)', () => {
    const c = parseConfig({ SPONSORBLOCK: 'Remove', SPONSORBLOCK_CATEGORIES: 'sponsor, intro', SPONSORBLOCK_URL: 'http://192.168.1.9:8080/sb/' })
    expect([c.sponsorblock, c.sponsorblockCategories, c.sponsorblockUrl]).toEqual(['remove', ['sponsor', 'intro'], 'http://192.168.1.9:8080/sb'])
  })
  test.each([
    [{ SPONSORBLOCK: 'cut' }, /^SPONSORBLOCK must be one of off, mark, remove/],
    [{ SPONSORBLOCK_CATEGORIES: 'sponsor,ads' }, /^SPONSORBLOCK_CATEGORIES has unknown categories \(ads\)/],
    [{ SPONSORBLOCK_URL: 'ftp://x' }, /^SPONSORBLOCK_URL must be an http\(s\) URL/],
    [{ SPONSORBLOCK_URL: 'https://u:p@sb.example' }, /^SPONSORBLOCK_URL must not carry credentials/],
  ])('refuses %o', (env, message) => expect(() => parseConfig(env)).toThrow(message))
})

describe('NOTIFY_URL', () => {
  test('an http(s) URL, private addresses included; anything else is refused', () => {
    expect(parseConfig({ NOTIFY_URL: 'http://192.168.1.5:8123/api/webhook/yt' }).notifyUrl).toBe('http://192.168.1.5:8123/api/webhook/yt')
    expect(parseConfig({}).notifyUrl).toBeNull()
    for (const bad of ['ftp://x/y', 'not a url', 'file:///etc/passwd'])
      expect(() => parseConfig({ NOTIFY_URL: bad })).toThrow(/^NOTIFY_URL must be an http\(s\) URL/)
  })
})

describe('retention defaults', () => {
  test('off unless set; KEEP_AUDIO on unless set', () => {
    const c = parseConfig({})
    expect([c.keepNewest, c.deleteVideosAfterDays, c.keepAudio]).toEqual([null, null, true])
    const set = parseConfig({ KEEP_NEWEST: '10', DELETE_VIDEOS_AFTER_DAYS: '30', KEEP_AUDIO: 'false' })
    expect([set.keepNewest, set.deleteVideosAfterDays, set.keepAudio]).toEqual([10, 30, false])
  })
  test.each([
    [{ KEEP_NEWEST: '0' }, 'KEEP_NEWEST'],
    [{ KEEP_NEWEST: 'five' }, 'KEEP_NEWEST'],
    [{ DELETE_VIDEOS_AFTER_DAYS: '1.5' }, 'DELETE_VIDEOS_AFTER_DAYS'],
    [{ KEEP_AUDIO: 'maybe' }, 'KEEP_AUDIO'],
  ])('%p is refused, naming %s', (env, name) => {
    expect(() => parseConfig(env)).toThrow(name)
  })
})

describe('MEDIA_SERVER', () => {
  const token = 's3cret-token-value'
  test('none by default; a kind, a URL (trailing slash dropped, path kept) and a token', () => {
    expect(parseConfig({}).mediaServer).toBeNull()
    expect(parseConfig({ MEDIA_SERVER: 'Jellyfin', MEDIA_SERVER_URL: 'http://10.0.0.5:8096/jellyfin/', MEDIA_SERVER_TOKEN: token }).mediaServer).toEqual({
      kind: 'jellyfin',
      url: 'http://10.0.0.5:8096/jellyfin',
      token,
    })
  })
  test.each([
    [{ MEDIA_SERVER_URL: 'http://plex:32400', MEDIA_SERVER_TOKEN: token }, /^MEDIA_SERVER must be one of jellyfin, plex/],
    [{ MEDIA_SERVER: 'emby', MEDIA_SERVER_URL: 'http://plex:32400', MEDIA_SERVER_TOKEN: token }, /^MEDIA_SERVER must be one of/],
    [{ MEDIA_SERVER: 'plex', MEDIA_SERVER_TOKEN: token }, /^MEDIA_SERVER_URL must be set/],
    [{ MEDIA_SERVER: 'plex', MEDIA_SERVER_URL: 'http://plex:32400' }, /^MEDIA_SERVER_TOKEN must be set/],
    [{ MEDIA_SERVER: 'plex', MEDIA_SERVER_URL: 'ftp://plex', MEDIA_SERVER_TOKEN: token }, /^MEDIA_SERVER_URL must be an http\(s\) URL/],
    [{ MEDIA_SERVER: 'plex', MEDIA_SERVER_URL: `http://plex:32400/?X-Plex-Token=${token}`, MEDIA_SERVER_TOKEN: token }, /must not carry/],
  ])('%p is refused', (env, message) => {
    expect(() => parseConfig(env)).toThrow(message)
  })
  test('an error never shows the token', () => {
    try {
      parseConfig({ MEDIA_SERVER: 'plex', MEDIA_SERVER_URL: 'http://plex:32400', MEDIA_SERVER_TOKEN: `${token} with space` })
      throw new Error('accepted')
    } catch (err) {
      expect(String(err)).toContain('MEDIA_SERVER_TOKEN must not contain spaces')
      expect(String(err)).not.toContain(token)
    }
  })
})

describe('front door settings', () => {
  test('defaults: no extra hosts, no public URL, no proxy trusted, 30-day sessions', () => {
    const c = parseConfig({})
    expect([c.allowedHosts, c.publicUrl, c.trustProxy, c.sessionDays]).toEqual([[], null, false, 30])
  })
  test('ALLOWED_HOSTS: names with or without a port, lower-cased, IPv6 in brackets', () => {
    expect(parseConfig({ ALLOWED_HOSTS: 'YT.example.org, nas.lan:8000,[fd00::1]:8000 ,192.168.1.5' }).allowedHosts).toEqual([
      'yt.example.org',
      'nas.lan:8000',
      '[fd00::1]:8000',
      '192.168.1.5',
    ])
    for (const bad of ['http://yt.example.org', 'yt.example.org/path', 'a b', 'x:99999', 'fd00::1', ','])
      expect(() => parseConfig({ ALLOWED_HOSTS: bad })).toThrow('ALLOWED_HOSTS')
  })
  test('PUBLIC_URL: an http(s) base without credentials, query or fragment; the trailing slash goes', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://yt.example.org/' }).publicUrl).toBe('https://yt.example.org')
    expect(parseConfig({ PUBLIC_URL: 'https://Example.org:8443/yt/' }).publicUrl).toBe('https://example.org:8443/yt')
    for (const bad of ['yt.example.org', 'ftp://x/', 'https://u:p@x/', 'https://x/?a=1', 'https://x/#f'])
      expect(() => parseConfig({ PUBLIC_URL: bad })).toThrow('PUBLIC_URL')
  })
  test('TRUST_PROXY is a boolean; SESSION_DAYS a whole number of days', () => {
    expect(parseConfig({ TRUST_PROXY: 'yes' }).trustProxy).toBe(true)
    expect(() => parseConfig({ TRUST_PROXY: 'sometimes' })).toThrow('TRUST_PROXY')
    expect(parseConfig({ SESSION_DAYS: '7' }).sessionDays).toBe(7)
    for (const bad of ['0', '1.5', 'forever']) expect(() => parseConfig({ SESSION_DAYS: bad })).toThrow('SESSION_DAYS')
  })
  test('IMPORT_DIRS: none by default (API/UI import off); absolute folders, normalised; relative ones refused', () => {
    expect(parseConfig({}).importDirs).toEqual([])
    expect(parseConfig({ IMPORT_DIRS: ' /srv/old/ , /mnt/usb/../media' }).importDirs).toEqual(['/srv/old', '/mnt/media'])
    for (const bad of ['old', '/srv/a, ./b', '~/x']) expect(() => parseConfig({ IMPORT_DIRS: bad })).toThrow('IMPORT_DIRS')
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
    [
      { YTDLP_CHANNEL: 'nightly', YTDLP_RELEASES_URL: 'http://mirror.lan/yt' },
      'YTDLP_CHANNEL=nightly needs YTDLP_RELEASES_URL to end in /yt-dlp/yt-dlp/releases',
    ],
    [{ YTDLP_ASSET: 'a/b' }, 'YTDLP_ASSET must be a release file name'],
    [{ YTDLP_AUTO_UPDATE: 'hourly' }, 'YTDLP_AUTO_UPDATE must be one of off, daily, weekly'],
    [{ JS_RUNTIME: 'quickjs' }, 'JS_RUNTIME must be one of auto, self, deno, node, none'],
    [{ REMOTE_COMPONENTS: 'ejs:github; rm' }, 'REMOTE_COMPONENTS must look like ejs:github'],
  ])('%p is refused', (env, message) => {
    expect(() => parseConfig(env as Record<string, string>)).toThrow(message)
  })
})

describe('cluster node settings', () => {
  test('defaults: both roles, named after the host, 30 s leases, no source address, staging beside the files', () => {
    const c = parseConfig({})
    expect(c).toMatchObject({ nodeRoles: ['download', 'extract'], leaseSeconds: 30, sourceAddress: null, stagingDir: null })
    expect(c.nodeName).toBe(require('node:os').hostname())
  })
  test('roles, name, lease, source address and staging dir are read', () => {
    expect(
      parseConfig({ NODE_ROLES: ' Extract ', NODE_NAME: 'box-2', LEASE_SECONDS: '5', SOURCE_ADDRESS: '127.0.0.3', STAGING_DIR: '/var/tmp/yts' }),
    ).toMatchObject({ nodeRoles: ['extract'], nodeName: 'box-2', leaseSeconds: 5, sourceAddress: '127.0.0.3', stagingDir: '/var/tmp/yts' })
    expect(parseConfig({ NODE_ROLES: 'none' }).nodeRoles).toEqual([])
    expect(parseConfig({ NODE_ROLES: '' }).nodeRoles).toEqual([])
    expect(parseConfig({ SOURCE_ADDRESS: '2001:db8::1' }).sourceAddress).toBe('2001:db8::1')
  })
  test('the idle poll: 1 s on SQLite, 5 s on PostgreSQL (NOTIFY wakes nodes there), or IDLE_POLL_SECONDS; a 20 s database outage window', () => {
    expect(parseConfig({})).toMatchObject({ idlePollSeconds: 1, databaseOutageSeconds: 20 })
    expect(parseConfig({ DATABASE_URL: 'postgres://yt@db.lan/yt' }).idlePollSeconds).toBe(5)
    expect(parseConfig({ DATABASE_URL: 'postgres://yt@db.lan/yt', IDLE_POLL_SECONDS: '0.5', DATABASE_OUTAGE_SECONDS: '0' })).toMatchObject({
      idlePollSeconds: 0.5,
      databaseOutageSeconds: 0,
    })
  })
  test.each([
    [{ NODE_ROLES: 'download,index' }, 'NODE_ROLES must list download and/or extract'],
    [{ NODE_NAME: 'a b' }, 'NODE_NAME must be letters, digits'],
    [{ SOURCE_ADDRESS: 'eth0' }, 'SOURCE_ADDRESS must be an IP address'],
    [{ LEASE_SECONDS: '0' }, 'LEASE_SECONDS must be a number between 1 and 3600'],
    [{ IDLE_POLL_SECONDS: '0' }, 'IDLE_POLL_SECONDS must be a number between 0.05 and 3600'],
    [{ DATABASE_OUTAGE_SECONDS: '-1' }, 'DATABASE_OUTAGE_SECONDS must be a number between 0 and 3600'],
  ])('%p is refused', (env, message) => {
    expect(() => parseConfig(env as Record<string, string>)).toThrow(message)
  })
})
