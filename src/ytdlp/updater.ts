import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Config } from '../config'
import type { DB } from '../db/open'
import { now } from '../db/time'
import type { YtdlpState } from '../db/types'
import { readYtdlpState, writeYtdlpState } from '../db/ytdlp'
import { Conflict, DomainError, Unavailable } from '../errors'
import { guardedFetch } from '../library/guarded-fetch'
import { checkUrlTarget, type UrlGuard } from '../library/urls'
import { liveTools, registeredChildren, runTool } from '../tools/spawn'
import { chooseAsset, isStale, parsePythonVersion, parseSha256Sums, releaseDir, versionedName, ytdlpAgeDays } from '../tools/ytdlp-release'
import { binDir, chooseYtdlp, managedLink, managedTarget, probeVersion, type YtdlpSource } from './which'

/** A download, a check or a smoke test failed: the yt-dlp in use stays, nothing else changed. */
export class UpdateError extends Unavailable {}

export interface UpdateProgress {
  phase: 'checking' | 'downloading' | 'testing' | 'waiting' | 'switching'
  received_bytes: number
  total_bytes: number | null
  /** Why it waits, while phase is "waiting". */
  note: string | null
}

export interface UpdateResult {
  outcome: 'installed' | 'up-to-date'
  version: string
  previous_version: string | null
}

export interface YtdlpStatus {
  in_use: { path: string; source: YtdlpSource; why: string; version: string | null; age_days: number | null; stale: boolean }
  managed: Omit<YtdlpState, 'id' | 'source'> & { use_system: boolean }
  channel: string
  releases_url: string
  asset: string
  auto_update: Config['ytdlpAutoUpdate']
  updating: UpdateProgress | null
}

export interface UpdaterOptions {
  /** Per request (the checksum list, the file); install.sh must not hang offline. */
  fetchTimeoutMs?: number
  /** How often the switch looks again for a running yt-dlp of ours. */
  waitPollMs?: number
}

const VERSION_LINE = /^\d{4}\.\d{1,2}\.\d{1,2}(?:\.\d+)?$/

/**
 * Installs, switches and rolls back the managed yt-dlp in DATA_DIR/bin. One update at a
 * time per process; a switch never happens while a yt-dlp of ours (this process's, or
 * another yt-serve's on the same data dir) runs: it waits for the chunk to end.
 */
export class YtdlpUpdater {
  private running: Promise<UpdateResult> | null = null
  progress: UpdateProgress | null = null

  constructor(
    private readonly ctx: { db: DB; config: Config; log: (m: string) => void },
    private readonly opts: UpdaterOptions = {},
  ) {}

  private chosenAsset: Promise<string> | null = null

  /**
   * A releases URL on this machine or the LAN (a mirror, the tests' server) is the operator's
   * own choice; a public one (GitHub) must not redirect us to a private address.
   */
  private releaseGuard(): Promise<UrlGuard> {
    return checkUrlTarget(this.ctx.config.ytdlpReleasesUrl, false).then(
      () => ({ allowPrivate: false }),
      () => ({ allowPrivate: true }), // private, or unresolvable: the fetch itself will say so
    )
  }

  /** Asked once per process: python3 does not come and go while yt-serve runs. */
  asset(): Promise<string> {
    const { config } = this.ctx
    if (config.ytdlpAsset) return Promise.resolve(config.ytdlpAsset)
    this.chosenAsset ??= runTool(['python3', '--version'], { timeoutMs: 10_000 })
      .catch(() => null)
      .then((py) => chooseAsset({ override: null, python: py && py.code === 0 ? parsePythonVersion(py.stdout + py.stderr) : null, arch: process.arch }))
    return this.chosenAsset
  }

  async status(at = new Date()): Promise<YtdlpStatus> {
    const { config, db } = this.ctx
    const state = await readYtdlpState(db)
    const choice = chooseYtdlp(config, state)
    const version = choice.version ?? (await probeVersion(choice.path))
    const { id: _id, source, ...managed } = state
    return {
      in_use: { path: choice.path, source: choice.source, why: choice.why, version, age_days: ytdlpAgeDays(version, at), stale: isStale(version, at) },
      managed: { ...managed, use_system: source === 'system' },
      channel: config.ytdlpChannel,
      releases_url: config.ytdlpReleasesUrl,
      asset: await this.asset(),
      auto_update: config.ytdlpAutoUpdate,
      updating: this.progress,
    }
  }

  /** Starts an update, or joins the one in progress. */
  update(): Promise<UpdateResult> {
    this.running ??= this.doUpdate().finally(() => {
      this.running = null
      this.progress = null
    })
    return this.running
  }

  /**
   * GET with a silence timeout, not a total one: a big file on a slow line may take long,
   * a dead connection (or an offline machine) must not. `alive` restarts the clock.
   */
  private async fetchOk(url: string): Promise<{ res: Response; alive: () => void; done: () => void }> {
    const ms = this.opts.fetchTimeoutMs ?? 60_000
    const ac = new AbortController()
    let timer = setTimeout(() => ac.abort(), ms)
    const alive = () => {
      clearTimeout(timer)
      timer = setTimeout(() => ac.abort(), ms)
    }
    const done = () => clearTimeout(timer)
    let res: Response
    try {
      // GitHub answers latest/download with redirects to its objects host: followed, at most
      // 3 hops, each re-checked (see releaseGuard).
      res = await guardedFetch(url, await this.releaseGuard(), { signal: ac.signal })
    } catch (err) {
      done()
      const why = ac.signal.aborted ? `no answer within ${Math.round(ms / 1000)} s` : err instanceof Error ? err.message : String(err)
      throw new UpdateError(`cannot reach ${url}: ${why} (is this machine online?)`)
    }
    if (res.status !== 200) {
      done()
      await res.body?.cancel().catch(() => {})
      throw new UpdateError(`${url} answered HTTP ${res.status}${res.status === 404 ? ' (no such release or file: check YTDLP_CHANNEL and YTDLP_ASSET)' : ''}`)
    }
    return { res, alive, done }
  }

  private async doUpdate(): Promise<UpdateResult> {
    const { config, db, log } = this.ctx
    const before = await readYtdlpState(db)
    const dir = binDir(config.dataDir)
    const tmp = join(dir, `.download-${process.pid}-${Date.now()}`)
    try {
      this.progress = { phase: 'checking', received_bytes: 0, total_bytes: null, note: null }
      const asset = await this.asset()
      const release = releaseDir(config.ytdlpReleasesUrl, config.ytdlpChannel)
      const sums = await this.fetchOk(`${release}/SHA2-256SUMS`)
      const sumsText = await sums.res.text().finally(sums.done)
      const expected = parseSha256Sums(sumsText).get(asset)
      if (!expected) throw new UpdateError(`${release}/SHA2-256SUMS does not list ${asset}: cannot verify it, so it is not installed`)
      if (before.sha256 === expected && before.path && existsSync(before.path) && managedLinkPointsAt(config.dataDir, before.path)) {
        await writeYtdlpState(db, { checked_at: now(), error: null, ...(before.source === 'system' ? { source: 'auto' } : {}) })
        return { outcome: 'up-to-date', version: before.version ?? '?', previous_version: before.previous_version }
      }

      const { res, alive, done } = await this.fetchOk(`${release}/${asset}`)
      const declared = Number(res.headers.get('content-length')) || null
      this.progress = { phase: 'downloading', received_bytes: 0, total_bytes: declared, note: null }
      mkdirSync(dir, { recursive: true })
      const hasher = new Bun.CryptoHasher('sha256')
      const chunks: Uint8Array[] = []
      let received = 0
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          hasher.update(chunk)
          chunks.push(chunk)
          received += chunk.byteLength
          this.progress.received_bytes = received
          alive()
        }
      } catch (err) {
        throw new UpdateError(`the download of ${asset} broke off after ${received} bytes: ${err instanceof Error ? err.message : err}`)
      } finally {
        done()
      }
      if (declared !== null && received !== declared) throw new UpdateError(`the download of ${asset} is truncated: ${received} of ${declared} bytes`)
      const got = hasher.digest('hex')
      if (got !== expected) throw new UpdateError(`checksum mismatch for ${asset}: SHA2-256SUMS says ${expected}, the download is ${got}; it was discarded`)

      this.progress = { ...this.progress, phase: 'testing' }
      // Written and closed in one synchronous call: a file still open for writing (even
      // by a child that inherited the descriptor) cannot be executed (ETXTBSY).
      writeFileSync(tmp, Buffer.concat(chunks), { mode: 0o755 })
      chmodSync(tmp, 0o755)
      const smoke = await runTool([tmp, '--version'], { timeoutMs: 120_000 }).catch((err) => ({ code: -1, stdout: '', stderr: String(err) }))
      const version = smoke.stdout.split('\n')[0].trim()
      if (smoke.code !== 0 || !VERSION_LINE.test(version))
        throw new UpdateError(
          `the downloaded ${asset} does not run here ("--version" gave exit ${smoke.code}: ${(smoke.stderr || smoke.stdout).trim().split('\n').at(-1) ?? ''})`,
        )

      const target = join(dir, versionedName(asset, version))
      await this.whenNoYtdlpRuns()
      this.progress = { ...this.progress, phase: 'switching' }
      renameSync(tmp, target)
      switchLink(config.dataDir, target)
      const keepPrevious = before.path && before.path !== target && existsSync(before.path)
      const after = await writeYtdlpState(db, {
        source: 'auto',
        version,
        path: target,
        asset,
        sha256: expected,
        channel: config.ytdlpChannel,
        installed_at: now(),
        checked_at: now(),
        error: null,
        ...(keepPrevious ? { previous_version: before.version, previous_path: before.path, previous_sha256: before.sha256 } : {}),
      })
      removeOthers(dir, [after.path, after.previous_path])
      log(`yt-dlp ${version} installed (${asset}, ${config.ytdlpChannel})${before.version && keepPrevious ? `; ${before.version} kept for rollback` : ''}`)
      return { outcome: 'installed', version, previous_version: after.previous_version }
    } catch (err) {
      rmSync(tmp, { force: true })
      const message = err instanceof Error ? err.message : String(err)
      await writeYtdlpState(db, { checked_at: now(), error: message }).catch(() => {})
      throw err instanceof DomainError ? err : new UpdateError(message)
    }
  }

  /** Back to the version before the last update; the current one becomes the "previous". */
  async rollback(): Promise<YtdlpState> {
    if (this.running) throw new Conflict('an update is in progress; roll back when it has finished')
    const { config, db, log } = this.ctx
    const s = await readYtdlpState(db)
    if (!s.previous_path || !existsSync(s.previous_path)) throw new Conflict('there is no previous yt-dlp to roll back to')
    await this.whenNoYtdlpRuns()
    switchLink(config.dataDir, s.previous_path)
    const after = await writeYtdlpState(db, {
      source: 'auto',
      version: s.previous_version,
      path: s.previous_path,
      sha256: s.previous_sha256,
      previous_version: s.version,
      previous_path: s.path,
      previous_sha256: s.sha256,
      error: null,
    })
    log(`yt-dlp rolled back to ${after.version} (${s.version} kept)`)
    return after
  }

  /** The system yt-dlp (on the PATH) runs from now on; the managed files stay for "update". */
  async useSystem(): Promise<YtdlpState> {
    await this.whenNoYtdlpRuns()
    const after = await writeYtdlpState(this.ctx.db, { source: 'system' })
    this.ctx.log('yt-dlp: the system one runs from now on')
    return after
  }

  /** The switch waits for the running chunk (ours, or another yt-serve's on this data dir) to end. */
  private async whenNoYtdlpRuns(): Promise<void> {
    const dir = this.ctx.config.dataDir
    let told = false
    for (;;) {
      // Every process's registry in the data dir: the one-machine one and each cluster node's (`.yt-serve-children.<node>`).
      const registries = readdirSync(dir).filter((f) => f.startsWith('.yt-serve-children'))
      const n = liveTools('yt-dlp') + registries.reduce((sum, f) => sum + registeredChildren(join(dir, f), 'yt-dlp').length, 0)
      if (n === 0) return
      if (this.progress) this.progress = { ...this.progress, phase: 'waiting', note: `waiting for ${n} running yt-dlp to finish its chunk` }
      if (!told) this.ctx.log(`yt-dlp switch waits for ${n} running yt-dlp process(es) to finish`)
      told = true
      await Bun.sleep(this.opts.waitPollMs ?? 250)
    }
  }
}

function managedLinkPointsAt(dataDir: string, path: string): boolean {
  return managedTarget(dataDir) === path
}

/** A new link beside the old one, renamed over it: readers see the old or the new, never none. */
function switchLink(dataDir: string, target: string): void {
  const link = managedLink(dataDir)
  const next = `${link}.new-${process.pid}`
  rmSync(next, { force: true })
  symlinkSync(basename(target), next)
  renameSync(next, link)
}

/** Only the current and the previous version are kept. */
function removeOthers(dir: string, keep: (string | null)[]): void {
  const names = new Set(keep.filter((p): p is string => p !== null).map((p) => basename(p)))
  for (const name of readdirSync(dir)) {
    if (name === 'yt-dlp' || name.startsWith('.') || names.has(name)) continue
    if (/^yt-dlp[\w]*-\d/.test(name)) rmSync(join(dir, name), { force: true })
  }
}
