import { join } from 'node:path'

const ROOT = join(import.meta.dir, '../..')

export async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = s.port
  s.stop(true)
  return port
}

/** `await using` ends it with SIGTERM (unless it has already gone) and waits for the exit. */
export interface ServerProcess extends AsyncDisposable {
  url: string
  proc: ReturnType<typeof Bun.spawn>
  output: () => string
  json(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>
}

/** The real server as its own process (`bun src/index.ts serve`), for kill and signal tests. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort()
  let out = ''
  const proc = Bun.spawn(['bun', join(ROOT, 'src/index.ts'), 'serve'], {
    cwd: ROOT,
    // No auto-update: tests reach nothing but loopback (a test that wants it passes its own).
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ALLOW_PRIVATE_URLS: 'true', YTDLP_AUTO_UPDATE: 'off', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder()
    for await (const c of s as unknown as AsyncIterable<Uint8Array>) out += dec.decode(c)
  }
  void drain(proc.stdout as ReadableStream<Uint8Array>)
  void drain(proc.stderr as ReadableStream<Uint8Array>)
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/jobs`)).ok) break
    } catch {}
    if (i > 200 || proc.exitCode !== null) throw new Error(`server did not start:\n${out}`)
    await Bun.sleep(50)
  }
  return {
    url,
    proc,
    output: () => out,
    async [Symbol.asyncDispose]() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await proc.exited
    },
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

export interface WorkerProcess extends AsyncDisposable {
  proc: ReturnType<typeof Bun.spawn>
  output: () => string
}

/** A cluster node without a web UI (`bun src/index.ts worker`), started once it has registered. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  let out = ''
  const proc = Bun.spawn(['bun', join(ROOT, 'src/index.ts'), 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ALLOW_PRIVATE_URLS: 'true', YTDLP_AUTO_UPDATE: 'off', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder()
    for await (const c of s as unknown as AsyncIterable<Uint8Array>) out += dec.decode(c)
  }
  void drain(proc.stdout as ReadableStream<Uint8Array>)
  void drain(proc.stderr as ReadableStream<Uint8Array>)
  await waitUntil('the worker to register', async () => {
    if (proc.exitCode !== null) throw new Error(`worker exited:\n${out}`)
    return out.includes('yt-serve worker ')
  })
  return {
    proc,
    output: () => out,
    async [Symbol.asyncDispose]() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await proc.exited
    },
  }
}

/** Processes whose command line mentions `needle` (e.g. a temp DATA_DIR): orphans we left behind. */
export async function processesMentioning(needle: string): Promise<string[]> {
  const found: string[] = []
  for (const pid of await Array.fromAsync(new Bun.Glob('[0-9]*').scan({ cwd: '/proc', onlyFiles: false }))) {
    try {
      const cmd = (await Bun.file(`/proc/${pid}/cmdline`).text()).replace(/\0/g, ' ')
      if (cmd.includes(needle) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd.slice(0, 200)}`)
    } catch {}
  }
  return found
}

export async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const v = await fn()
    if (v) return v
    await Bun.sleep(50)
  }
  throw new Error(`timed out waiting for ${what}`)
}
