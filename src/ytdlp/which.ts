import { existsSync, realpathSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Config } from '../config'
import { readYtdlpState } from '../db/ytdlp'
import type { DB } from '../db/open'
import type { YtdlpState } from '../db/types'
import { toolVersion } from '../tools/versions'
import { jsRuntimeWiring } from '../tools/ytdlp-release'

export const SYSTEM_YTDLP = 'yt-dlp'
export const binDir = (dataDir: string) => join(dataDir, 'bin')
/** The symlink that names the managed yt-dlp; renaming a new link over it is the switch. */
export const managedLink = (dataDir: string) => join(binDir(dataDir), 'yt-dlp')

export type YtdlpSource = 'YTDLP_PATH' | 'managed' | 'system'

export interface YtdlpChoice {
  path: string
  source: YtdlpSource
  why: string
  /** Known without running it (the managed one's recorded version); null otherwise. */
  version: string | null
}

/** The managed file the link points at, or null when none is installed (or it vanished). */
export function managedTarget(dataDir: string): string | null {
  try {
    const target = realpathSync(managedLink(dataDir))
    return existsSync(target) ? target : null
  } catch {
    return null
  }
}

/** Which yt-dlp runs: YTDLP_PATH set by the user wins, then the managed one, then the system one. */
export function chooseYtdlp(config: Config, state: YtdlpState | null): YtdlpChoice {
  if (config.ytdlpPath) return { path: config.ytdlpPath, source: 'YTDLP_PATH', why: 'YTDLP_PATH is set', version: null }
  if (state?.source === 'system') return { path: SYSTEM_YTDLP, source: 'system', why: 'chosen with "yt-serve ytdlp use-system"', version: null }
  const managed = managedTarget(config.dataDir)
  if (managed)
    return { path: managed, source: 'managed', why: `the managed yt-dlp in ${binDir(config.dataDir)}`, version: state?.path === managed ? state.version : null }
  return { path: SYSTEM_YTDLP, source: 'system', why: 'no managed yt-dlp is installed (yt-serve ytdlp update installs one)', version: null }
}

/** True when no yt-dlp would run at all: none managed, none chosen, none on PATH (a fresh container). */
export function noYtdlpAtAll(config: Config, state: YtdlpState | null): boolean {
  const choice = chooseYtdlp(config, state)
  return choice.source === 'system' && Bun.which(SYSTEM_YTDLP) === null
}

const probed = new Map<string, { key: string; version: string | null }>()

/** `--version` of a yt-dlp, run once per file (a new file at the same path is probed again). */
export async function probeVersion(path: string): Promise<string | null> {
  const file = path.includes('/') ? path : Bun.which(path)
  if (!file) return null
  let key = ''
  try {
    const st = statSync(file)
    key = `${st.mtimeMs}:${st.size}:${st.ino}`
  } catch {
    return null
  }
  const hit = probed.get(file)
  if (hit?.key === key) return hit.version
  const info = await toolVersion(file, '--version')
  probed.set(file, { key, version: info.version })
  return info.version
}

export interface YtdlpInvocation extends YtdlpChoice {
  /** Goes right after the executable: the JS runtime wiring for a new enough yt-dlp. */
  args: string[]
  /** For this yt-dlp's environment only. */
  env: Record<string, string>
}

/**
 * The one place a job learns which yt-dlp to start and how. Read per chunk, so an update
 * (by this process or the CLI) takes effect at the next chunk and never under a running one.
 */
export async function ytdlpInvocation(ctx: { db: DB; config: Config }): Promise<YtdlpInvocation> {
  const { config } = ctx
  const choice = chooseYtdlp(config, await readYtdlpState(ctx.db))
  const wants = config.jsRuntime !== 'none' || config.remoteComponents !== null
  const version = choice.version ?? (wants ? await probeVersion(choice.path) : null)
  const wiring = jsRuntimeWiring({
    version,
    jsRuntime: config.jsRuntime,
    remoteComponents: config.remoteComponents,
    execPath: process.execPath,
    compiled: Bun.isStandaloneExecutable,
  })
  return { ...choice, version, args: wiring.args, env: wiring.env }
}
