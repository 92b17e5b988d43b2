// Where each setting comes from (flag, environment, .env, default, database), the catalog of
// every setting, and the changeable ones' validation by the startup parsers.
import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig, parseRate, parseRuntimeSetting, RUNTIME_KEYS, SETTING_VARIABLES, sourceOf } from '../../src/config'
import { storeSettings } from '../../src/db/server-settings'
import { openContext } from '../../src/server'
import { inputText, rateText, SETTINGS, settingNamed, shownValue } from '../../src/settings/catalog'
import { listSettings, updateSettings } from '../../src/settings/service'

describe('sources at startup', () => {
  test('a flag wins over the environment, which wins over .env, which wins over the default', () => {
    const c = parseConfig({ PORT: '9000', BATCH_SIZE: '50' }, { PORT: '9100' }, { PORT: '8800', BATCH_SIZE: '20', SESSION_DAYS: '7' })
    expect([c.port, c.batchSize, c.sessionDays, c.indexConcurrency]).toEqual([9100, 50, 7, 2])
    expect(c.startup.sources).toMatchObject({ port: 'flag', batchSize: 'env', sessionDays: '.env', indexConcurrency: 'default' })
  })

  test('sourceOf: an empty value still counts as set by its layer; an undefined flag does not', () => {
    const layers = { flags: { HOST: undefined }, env: { HOST: '' }, dotenv: { HOST: '0.0.0.0' } }
    expect(sourceOf('HOST', layers)).toBe('env')
    expect(sourceOf('PORT', layers)).toBe('default')
    // parseConfig drops undefined flags (an option not given on the command line).
    expect(parseConfig({}, { PORT: undefined }).startup.sources.port).toBe('default')
  })

  test('the startup values of the changeable settings are kept for a reset', () => {
    const c = parseConfig({ DOWNLOAD_CONCURRENCY: '3', RATE_LIMIT: '2M' })
    expect(c.startup.values).toMatchObject({ downloadConcurrency: 3, rateLimit: 2 * 1024 * 1024, notifyUrl: null, audioFormat: 'mp3' })
    expect(Object.keys(c.startup.values).sort()).toEqual([...RUNTIME_KEYS].sort())
  })
})

describe('the catalog', () => {
  test('lists every setting once, each with its variable; the changeable ones are the runtime ones', () => {
    const keys = Object.keys(parseConfig({})).filter((k) => k !== 'startup')
    expect(SETTINGS.map((s): string => s.key).sort()).toEqual(keys.sort())
    expect(new Set(SETTINGS.map((s) => s.name)).size).toBe(SETTINGS.length)
    for (const s of SETTINGS) expect(s.variable).toBe(SETTING_VARIABLES[s.key])
    expect(SETTINGS.filter((s) => s.changeable).map((s) => s.name)).toEqual([
      'download_concurrency',
      'extract_concurrency',
      'rate_limit',
      'sleep_between_downloads',
      'download_window',
      'audio_format',
      'audio_quality',
      'notify_url',
    ])
  })

  test.each([
    ['download_concurrency', '0'],
    ['extract_concurrency', '65'],
    ['rate_limit', 'fast'],
    ['sleep_between_downloads', '-1'],
    ['download_window', '25:00-01:00'],
    ['audio_format', 'wav'],
    ['audio_quality', '10'],
    ['notify_url', 'ftp://example.org'],
  ])('a bad %s gets the message startup gives', (name, raw) => {
    const s = settingNamed(name)!
    let atStartup = ''
    try {
      parseConfig({ [s.variable]: raw })
    } catch (err) {
      atStartup = (err as Error).message
    }
    expect(atStartup).toContain(s.variable)
    expect(() => parseRuntimeSetting(s.key as (typeof RUNTIME_KEYS)[number], raw)).toThrow(atStartup)
  })

  test('a form shows a value as its variable would be written', () => {
    for (const n of [0, 500, 1024, 512 * 1024, 3 * 1024 ** 2, 1024 ** 3 + 1]) expect(parseRate('RATE_LIMIT', rateText(n))).toBe(n)
    const c = parseConfig({ RATE_LIMIT: '2M', DOWNLOAD_WINDOW: '1:00-7:30', NOTIFY_URL: 'https://hooks.example/T0K3N' })
    const text = (name: string) => inputText(shownValue(c, settingNamed(name)!), settingNamed(name)!)
    expect([text('rate_limit'), text('download_window'), text('notify_url')]).toEqual(['2M', '01:00-07:30', ''])
  })
})

describe('saved in the database', () => {
  let dataDir = ''
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))
  const open = (env: Record<string, string>, log: (m: string) => void = () => {}) => openContext(parseConfig({ DATA_DIR: dataDir, ...env }), log)

  test('a saved value reads as "database" and wins; a reset goes back to the environment, then to the default', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-settings-'))
    const ctx = await open({ AUDIO_FORMAT: 'opus' })
    let wakes = 0
    const find = async (name: string) => (await listSettings(ctx)).find((s) => s.name === name)
    expect(await find('audio_format')).toMatchObject({ value: 'opus', source: 'env', variable: 'AUDIO_FORMAT', changeable: true })
    await updateSettings(ctx, { audio_format: 'flac', audio_quality: 4 }, () => wakes++)
    expect(wakes).toBe(1)
    expect(ctx.config.audioFormat).toBe('flac')
    expect(await find('audio_format')).toMatchObject({ value: 'flac', source: 'database' })
    expect(await find('audio_quality')).toMatchObject({ value: 4, source: 'database' })
    await updateSettings(ctx, { audio_format: null, audio_quality: null }, () => wakes++)
    expect(await find('audio_format')).toMatchObject({ value: 'opus', source: 'env' })
    expect(await find('audio_quality')).toMatchObject({ value: 2, source: 'default' })
    await ctx.db.destroy()
  })

  test('all or nothing: one bad value saves none; a read-only or unknown setting is refused by name', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-settings-'))
    const ctx = await open({})
    const none = () => {}
    await expect(updateSettings(ctx, { download_concurrency: 4, rate_limit: 'fast' }, none)).rejects.toThrow('RATE_LIMIT must be bytes per second')
    expect(ctx.config.downloadConcurrency).toBe(1)
    expect((await listSettings(ctx)).filter((s) => s.source === 'database')).toEqual([])
    await expect(updateSettings(ctx, { port: 1 }, none)).rejects.toThrow('port cannot be changed while the server runs: set PORT and restart')
    await expect(updateSettings(ctx, { colour: 'red' }, none)).rejects.toThrow('unknown setting "colour"')
    await ctx.db.destroy()
  })

  test('a saved value that no longer parses is dropped at start, with a log line', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-settings-'))
    const first = await open({})
    await storeSettings(
      first.db,
      new Map([
        ['download_concurrency', '99'],
        ['extract_concurrency', '3'],
      ]),
    )
    await first.db.destroy()
    const lines: string[] = []
    const ctx = await open({}, (m) => lines.push(m))
    expect(lines).toEqual(['saved setting download_concurrency dropped: DOWNLOAD_CONCURRENCY must be between 1 and 32, got 99'])
    expect([ctx.config.downloadConcurrency, ctx.config.extractConcurrency]).toEqual([1, 3])
    expect((await listSettings(ctx)).filter((s) => s.source === 'database').map((s) => s.name)).toEqual(['extract_concurrency'])
    await ctx.db.destroy()
  })

  test('secrets say only "set" or "not set"', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-settings-'))
    const secrets = { AUTH_TOKEN: 'a-token-of-twenty-chars', PROXY: 'http://user:pa55word@proxy.example:3128', NOTIFY_URL: 'https://hooks.example/s3cret' }
    const ctx = await open(secrets)
    const all = await listSettings(ctx)
    const json = JSON.stringify(all)
    for (const v of ['a-token-of-twenty-chars', 'pa55word', 's3cret', 'proxy.example']) expect(json).not.toContain(v)
    expect(all.filter((s) => s.secret).map((s) => [s.name, s.value])).toEqual([
      ['notify_url', 'set'],
      ['cookies_file', 'not set'],
      ['proxy', 'set'],
      ['auth_token', 'set'],
      ['database_url', 'not set'],
      ['media_server', 'not set'],
    ])
    await ctx.db.destroy()
  })
})
