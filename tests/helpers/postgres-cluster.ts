import { spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/**
 * A throwaway PostgreSQL cluster for the tests: initdb in a temp dir, listening on
 * 127.0.0.1 at a free port (and a socket inside the dir), started once per test process
 * on first use and stopped (its dir removed) when the process exits. As root it runs as the
 * `postgres` user (PostgreSQL refuses root); as anyone else, as that user.
 */

/** initdb and pg_ctl: PG_BIN, else the newest Debian /usr/lib/postgresql/<v>/bin, else pg_config's. */
function binDir(): string | null {
  const candidates: string[] = []
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN)
  if (existsSync('/usr/lib/postgresql'))
    candidates.push(
      ...readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`),
    )
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' })
  if (fromConfig.status === 0) candidates.push(fromConfig.stdout.trim())
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null
}

const isRoot = process.getuid?.() === 0

function postgresUid(): { uid: number; gid: number } | null {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
  return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout), gid: Number(g.stdout) } : null
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresMissing(): string | null {
  if (!binDir()) return 'no PostgreSQL server binaries (initdb, pg_ctl): run scripts/install.sh, or set PG_BIN'
  if (isRoot && !postgresUid()) return 'running as root, and there is no "postgres" user to run the server as'
  return null
}

export interface Cluster {
  port: number
  /** A URL for `database` on the cluster, as the superuser `postgres`. */
  url(database: string): string
  /** A new, empty database; its URL. */
  createDatabase(): Promise<string>
  /** Stops the server as `pg_ctl restart` does (fast: sessions are ended, their transactions rolled back). */
  stopServer(): Promise<void>
  /** Starts it again on the same port and data; resolves once it takes connections. */
  startServer(): Promise<void>
  /** stopServer then startServer: a PostgreSQL restart. */
  restart(): Promise<void>
}

let started: Promise<Cluster> | null = null
let counter = 0

/** The process's cluster, started on first call. */
export function cluster(): Promise<Cluster> {
  started ??= start()
  return started
}

/** A cluster of its own (another port and dir), for a test that restarts the server: the shared one's other users are left alone. */
export function privateCluster(): Promise<Cluster> {
  return start()
}

/** As the `postgres` user when root; the command's output on failure. */
function run(bin: string, args: string[]): void {
  const cmd = isRoot ? ['runuser', '-u', 'postgres', '--', bin, ...args] : [bin, ...args]
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`)
}

/** run, without blocking this process (a test's fixture server keeps serving meanwhile). */
async function runAsync(bin: string, args: string[]): Promise<void> {
  const cmd = isRoot ? ['runuser', '-u', 'postgres', '--', bin, ...args] : [bin, ...args]
  const p = Bun.spawn(cmd, { stdout: 'pipe', stderr: 'pipe' })
  const [out, err, status] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  if (status !== 0) throw new Error(`${cmd.join(' ')} failed (${status}): ${out}${err}`)
}

/** A port nobody listens on right now: the kernel's pick for a listener closed at once. */
function freePort(): number {
  const l = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = l.port
  l.stop(true)
  return port
}

/**
 * bun test fires neither 'exit' nor 'beforeExit', and a crashed run fires nothing: a
 * detached watcher holds the read end of a pipe only this process writes to. When the
 * process ends, however it ends, the pipe closes, the watcher's `cat` returns, and it
 * stops the cluster and removes its dir.
 */
function stopWhenGone(stopCommand: string, dir: string): void {
  const watcher = spawn('sh', ['-c', `cat >/dev/null; ${stopCommand} >/dev/null 2>&1; rm -rf '${dir}'`], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  })
  watcher.unref()
  ;(watcher.stdin as unknown as { unref?: () => void }).unref?.()
}

async function start(): Promise<Cluster> {
  const reason = postgresMissing()
  if (reason) throw new Error(`PostgreSQL tests cannot run: ${reason}`)
  const bin = binDir()!
  const dir = mkdtempSync(join(tmpdir(), 'yt-serve-pg-'))
  if (isRoot) {
    const { uid, gid } = postgresUid()!
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  run(join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'])
  // The port can be taken between freePort and the server's bind: a few tries.
  let port = 0
  let options = ''
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', '60', ...args])
  for (let attempt = 1; ; attempt++) {
    port = freePort()
    // Speed over durability (a test cluster), room for many small pools, loopback only.
    options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`
    try {
      pgCtl('-l', join(dir, 'log'), '-o', options, 'start')
      break
    } catch (err) {
      if (attempt >= 3) {
        const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : ''
        rmSync(dir, { recursive: true, force: true })
        throw new Error(`${(err as Error).message}\n${log}`)
      }
    }
  }
  stopWhenGone(`${isRoot ? 'runuser -u postgres -- ' : ''}'${join(bin, 'pg_ctl')}' -D '${data}' -m immediate stop`, dir)
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  const ctl = (...args: string[]) => runAsync(join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', '60', ...args])
  const stopServer = () => ctl('-m', 'fast', 'stop')
  const startServer = () => ctl('-l', join(dir, 'log'), '-o', options, 'start')
  return {
    port,
    url,
    stopServer,
    startServer,
    async restart() {
      await stopServer()
      await startServer()
    },
    async createDatabase() {
      const name = `t_${process.pid}_${++counter}`
      const admin = new pg.Client({ connectionString: url('postgres') })
      await admin.connect()
      try {
        await admin.query(`create database ${name}`)
      } finally {
        await admin.end()
      }
      return url(name)
    },
  }
}
