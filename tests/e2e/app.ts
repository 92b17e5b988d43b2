import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../src/config'
import { startServer, type RunningServer } from '../../src/server'

/** For a file that fetches from the fixture media server on 127.0.0.1, with short socket timeouts. */
export const MEDIA_ENV = { ALLOW_PRIVATE_URLS: 'true', SOCKET_TIMEOUT: '10' }

/** The real server of one browser test file: its own temp data dir, a free port, no yt-dlp updates. */
export interface E2eApp {
  server: RunningServer
  url: string
  dataDir: string
  /** A JSON request to the app; the parsed answer, whatever its status. */
  api(method: string, path: string, body?: unknown): Promise<any>
  close(): Promise<void>
}

export async function startApp(name: string, env: Record<string, string> = {}): Promise<E2eApp> {
  const dataDir = mkdtempSync(join(tmpdir(), `yt-serve-e2e-${name}-`))
  const server = await startServer(parseConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', YTDLP_AUTO_UPDATE: 'off', ...env }), {
    handleSignals: false,
  })
  return {
    server,
    url: server.url,
    dataDir,
    async api(method, path, body) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return res.json()
    },
    async close() {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
