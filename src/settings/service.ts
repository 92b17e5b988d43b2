import { ConfigError, type Config, parseRuntimeSetting, type RuntimeKey, type SettingSource } from '../config'
import type { AppContext } from '../context'
import { savedSettings, storeSettings } from '../db/server-settings'
import { Invalid } from '../errors'
import { type SettingInfo, SETTINGS, settingNamed, shownValue } from './catalog'

/** One setting as GET /api/settings answers it. */
export interface SettingState {
  name: string
  label: string
  value: string | number | boolean | string[] | null
  source: SettingSource
  variable: string
  changeable: boolean
  secret: boolean
  hint: string
}

/** A change: a value as its variable would be written (a number is taken as its digits), or null to go back to the environment or default. */
export type SettingsPatch = Record<string, string | number | null | undefined>

function assign<K extends RuntimeKey>(config: Config, key: K, value: Config[K]): void {
  config[key] = value
}

function stateOf(config: Config, s: SettingInfo, saved: Set<string>): SettingState {
  const source = s.changeable && saved.has(s.name) ? 'database' : config.startup.sources[s.key]
  return { name: s.name, label: s.label, value: shownValue(config, s), source, variable: s.variable, changeable: s.changeable, secret: s.secret, hint: s.hint }
}

/** Every setting, its value in force and where it came from. */
export async function listSettings(ctx: AppContext): Promise<SettingState[]> {
  const saved = new Set((await savedSettings(ctx.db)).keys())
  return SETTINGS.map((s) => stateOf(ctx.config, s, saved))
}

export async function settingState(ctx: AppContext, name: string): Promise<SettingState> {
  const s = changeable(name)
  const saved = new Set((await savedSettings(ctx.db)).keys())
  return stateOf(ctx.config, s, saved)
}

function changeable(name: string): SettingInfo & { key: RuntimeKey } {
  const s = settingNamed(name)
  if (!s) throw new Invalid(`unknown setting "${name}"`)
  if (!s.changeable) throw new Invalid(`${s.name} cannot be changed while the server runs: set ${s.variable} and restart`)
  return s as SettingInfo & { key: RuntimeKey }
}

/**
 * Checks every value with the parser startup uses (so the message is the one startup gives),
 * then saves them and puts them in force at once: the running code reads ctx.config at each
 * use, so the next pump of the pools and the next yt-dlp or ffmpeg sees them. `applied` wakes
 * what must look again (the scheduler). All or nothing.
 */
export async function updateSettings(ctx: AppContext, patch: SettingsPatch, applied: () => void): Promise<SettingState[]> {
  const save = new Map<string, string>()
  const values: [RuntimeKey, unknown][] = []
  const reset: SettingInfo[] = []
  for (const [name, raw] of Object.entries(patch)) {
    if (raw === undefined) continue
    const s = changeable(name)
    if (raw === null) {
      reset.push(s)
      continue
    }
    const text = String(raw).trim()
    try {
      values.push([s.key, parseRuntimeSetting(s.key, text)])
    } catch (err) {
      if (err instanceof ConfigError) throw new Invalid(err.message)
      throw err
    }
    save.set(s.name, text)
  }
  await storeSettings(
    ctx.db,
    save,
    reset.map((s) => s.name),
  )
  for (const [key, value] of values) assign(ctx.config, key, value as Config[typeof key])
  for (const s of reset) assign(ctx.config, s.key as RuntimeKey, ctx.config.startup.values[s.key as RuntimeKey])
  applied()
  return listSettings(ctx)
}

/**
 * At start: the values saved on the settings page win over the environment. One that no
 * longer parses (a range narrowed by an upgrade) is dropped with a log line, so what runs
 * and what the page shows agree.
 */
export async function applySavedSettings(ctx: AppContext): Promise<void> {
  const bad: string[] = []
  for (const [name, text] of await savedSettings(ctx.db)) {
    const s = settingNamed(name)
    try {
      if (!s?.changeable) throw new ConfigError(`${name} is not a setting that can be saved`)
      const key = s.key as RuntimeKey
      assign(ctx.config, key, parseRuntimeSetting(key, text))
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      ctx.log(`saved setting ${name} dropped: ${err.message}`)
      bad.push(name)
    }
  }
  await storeSettings(ctx.db, new Map(), bad)
}
