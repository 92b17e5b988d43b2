import { ConfigError, type Config, parseRuntimeSetting, type RuntimeKey, type SettingSource } from '../config'
import type { AppContext } from '../context'
import { type SavedSettings, savedSettings, storeSettingChanges, storeSettings } from '../db/server-settings'
import { Invalid } from '../errors'
import { type SettingInfo, type SettingScope, SETTINGS, settingNamed, shownValue } from './catalog'

/** One setting as GET /api/settings answers it. */
export interface SettingState {
  name: string
  label: string
  value: string | number | boolean | string[] | null
  source: SettingSource
  variable: string
  changeable: boolean
  secret: boolean
  /** May be saved for one node ("node" source) as well as for every node ("database"). */
  per_node: boolean
  hint: string
}

/** A change: a value as its variable would be written (a number is taken as its digits), or null to go back to the environment or default. */
export type SettingsPatch = Record<string, string | number | null | undefined>

/**
 * Where a per-node setting is saved when the caller does not say: for this node when it was
 * given a NODE_NAME (a cluster node), else for every node: a lone server's name is its host
 * name, which a recreated container changes, and a value saved under it would be lost.
 */
export const defaultScope = (config: Config): SettingScope => (config.startup.sources.nodeName === 'default' ? 'cluster' : 'node')

function assign<K extends RuntimeKey>(config: Config, key: K, value: Config[K]): void {
  config[key] = value
}

function stateOf(config: Config, s: SettingInfo, saved: SavedSettings): SettingState {
  const source = !s.changeable
    ? config.startup.sources[s.key]
    : saved.node.has(s.name)
      ? 'node'
      : saved.cluster.has(s.name)
        ? 'database'
        : config.startup.sources[s.key]
  return {
    name: s.name,
    label: s.label,
    value: shownValue(config, s),
    source,
    variable: s.variable,
    changeable: s.changeable,
    secret: s.secret,
    per_node: s.perNode,
    hint: s.hint,
  }
}

/** Every setting, its value in force on this node and where it came from. */
export async function listSettings(ctx: AppContext): Promise<SettingState[]> {
  const saved = await savedSettings(ctx.db, ctx.config.nodeName)
  return SETTINGS.map((s) => stateOf(ctx.config, s, saved))
}

export async function settingState(ctx: AppContext, name: string): Promise<SettingState> {
  const s = changeable(name)
  return stateOf(ctx.config, s, await savedSettings(ctx.db, ctx.config.nodeName))
}

function changeable(name: string): SettingInfo & { key: RuntimeKey } {
  const s = settingNamed(name)
  if (!s) throw new Invalid(`unknown setting "${name}"`)
  if (!s.changeable) throw new Invalid(`${s.name} cannot be changed while the server runs: set ${s.variable} and restart`)
  return s as SettingInfo & { key: RuntimeKey }
}

/** A saved text parsed as startup would; a ConfigError becomes the 4xx message. */
function parsed(key: RuntimeKey, text: string): unknown {
  try {
    return parseRuntimeSetting(key, text)
  } catch (err) {
    if (err instanceof ConfigError) throw new Invalid(err.message)
    throw err
  }
}

/** This node's value of a changeable setting: its own saved one, else the cluster-wide one, else the environment's or the default. */
function inForce(config: Config, key: RuntimeKey, name: string, saved: SavedSettings): unknown {
  const text = saved.node.get(name) ?? saved.cluster.get(name)
  return text === undefined ? config.startup.values[key] : parseRuntimeSetting(key, text)
}

/**
 * Checks every value with the parser startup uses (so the message is the one startup gives),
 * then saves them and puts them in force at once: the running code reads ctx.config at each
 * use, so the next pump of the pools and the next yt-dlp or ffmpeg sees them. `applied` wakes
 * what must look again (the scheduler). All or nothing.
 *
 * `scope` says where a per-node setting goes: "node" (this node only) or "cluster" (every
 * node); unset, defaultScope. A null value forgets the saved value in force at that scope (with
 * no scope given: this node's own when it has one). The other settings are the same on every
 * node: "cluster" or no scope.
 */
export async function updateSettings(ctx: AppContext, patch: SettingsPatch, applied: () => void, scope?: SettingScope): Promise<SettingState[]> {
  const node = ctx.config.nodeName
  const before = await savedSettings(ctx.db, node)
  const changes: Record<SettingScope, { save: Map<string, string>; forget: string[] }> = {
    node: { save: new Map(), forget: [] },
    cluster: { save: new Map(), forget: [] },
  }
  const touched: (SettingInfo & { key: RuntimeKey })[] = []
  for (const [name, raw] of Object.entries(patch)) {
    if (raw === undefined) continue
    const s = changeable(name)
    if (scope === 'node' && !s.perNode) throw new Invalid(`${s.name} is the same on every node: save it without scope=node`)
    touched.push(s)
    if (raw === null) {
      const at = scope ?? (s.perNode && before.node.has(s.name) ? 'node' : 'cluster')
      changes[at].forget.push(s.name)
      continue
    }
    const text = String(raw).trim()
    parsed(s.key, text)
    changes[s.perNode ? (scope ?? defaultScope(ctx.config)) : 'cluster'].save.set(s.name, text)
  }
  await storeSettingChanges(ctx.db, [
    { node: '', ...changes.cluster },
    { node, ...changes.node },
  ])
  const after = await savedSettings(ctx.db, node)
  for (const s of touched) assign(ctx.config, s.key, inForce(ctx.config, s.key, s.name, after) as Config[RuntimeKey])
  applied()
  return listSettings(ctx)
}

/**
 * At start: the values saved on the settings page win over the environment, this node's own
 * over the cluster-wide ones. One that no longer parses (a range narrowed by an upgrade), or a
 * node value of a setting that is not per node, is dropped with a log line, so what runs and
 * what the page shows agree.
 */
export async function applySavedSettings(ctx: AppContext): Promise<void> {
  const node = ctx.config.nodeName
  const saved = await savedSettings(ctx.db, node)
  for (const [scope, values] of [
    ['cluster', saved.cluster],
    ['node', saved.node],
  ] as const) {
    const bad: string[] = []
    for (const [name, text] of values) {
      const s = settingNamed(name)
      try {
        if (!s?.changeable) throw new ConfigError(`${name} is not a setting that can be saved`)
        if (scope === 'node' && !s.perNode) throw new ConfigError(`${name} is the same on every node, not saved per node`)
        const key = s.key as RuntimeKey
        assign(ctx.config, key, parseRuntimeSetting(key, text))
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err
        ctx.log(`saved setting ${name}${scope === 'node' ? ` (node ${node})` : ''} dropped: ${err.message}`)
        bad.push(name)
      }
    }
    await storeSettings(ctx.db, new Map(), bad, scope === 'node' ? node : '')
  }
}
