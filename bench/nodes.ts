// Cluster nodes for the benchmarks: the real `serve` and `worker` commands as child processes,
// as tests/helpers/server-process.ts starts them, but registered with bench/cleanup.ts from
// the moment they are spawned (a node that fails to start is stopped too).
import { join } from 'node:path'
import { freePort, waitUntil } from '../tests/helpers/server-process'
import { stopProcess, trackProcess } from './cleanup'
import { ROOT } from './lib'

export interface Node extends AsyncDisposable {
  name: string
  pid: number
  output(): string
}

export interface ServeNode extends Node {
  url: string
  json(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>
}

function spawnNode(command: 'serve' | 'worker', env: Record<string, string>) {
  let out = ''
  const proc = Bun.spawn([process.execPath, join(ROOT, 'src/index.ts'), command], {
    cwd: ROOT,
    // Nothing beyond loopback: no yt-dlp auto-update.
    env: { ...process.env, ALLOW_PRIVATE_URLS: 'true', YTDLP_AUTO_UPDATE: 'off', ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const tracked = trackProcess(proc, env.STAGING_DIR)
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder()
    for await (const c of s as unknown as AsyncIterable<Uint8Array>) out += dec.decode(c)
  }
  void drain(proc.stdout as ReadableStream<Uint8Array>)
  void drain(proc.stderr as ReadableStream<Uint8Array>)
  return { proc, tracked, output: () => out }
}

export async function startServe(env: Record<string, string>): Promise<ServeNode> {
  const port = await freePort()
  const { proc, tracked, output } = spawnNode('serve', { HOST: '127.0.0.1', PORT: String(port), ...env })
  const url = `http://127.0.0.1:${port}`
  try {
    await waitUntil(
      `serve ${env.NODE_NAME} to answer`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`serve exited:\n${output()}`)
        return fetch(`${url}/api/jobs`).then(
          (r) => r.ok,
          () => false,
        )
      },
      120_000,
    )
  } catch (err) {
    await stopProcess(tracked)
    throw err
  }
  return {
    name: env.NODE_NAME,
    pid: proc.pid,
    url,
    output,
    [Symbol.asyncDispose]: () => stopProcess(tracked),
    async json(method, path, body) {
      const res = await fetch(url + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      let json: any = text
      try {
        json = JSON.parse(text)
      } catch {}
      return { status: res.status, json }
    },
  }
}

export async function startWorker(env: Record<string, string>): Promise<Node> {
  const { proc, tracked, output } = spawnNode('worker', env)
  try {
    await waitUntil(
      `worker ${env.NODE_NAME} to register`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`worker exited:\n${output()}`)
        return output().includes('yt-serve worker ')
      },
      120_000,
    )
  } catch (err) {
    await stopProcess(tracked)
    throw err
  }
  return { name: env.NODE_NAME, pid: proc.pid, output, [Symbol.asyncDispose]: () => stopProcess(tracked) }
}

/** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
export async function loadAverage(): Promise<string> {
  return (await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')
}
