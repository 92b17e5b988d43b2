import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../src/app'
import { parseConfig } from '../../src/config'
import type { Job } from '../../src/db/types'
import type { AppContext } from '../../src/context'
import { JobManager } from '../../src/jobs/manager'
import { openContext } from '../../src/server'

export interface TestContext {
  ctx: AppContext
  manager: JobManager
  app: ReturnType<typeof createApp>
  dataDir: string
  /** app.handle with a JSON body; always a full http://localhost URL (Elysia needs one). */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>
  close(): Promise<void>
}

/** A migrated database in a fresh temp DATA_DIR, a job manager and the HTTP app, wired like the server. */
export async function testContext(env: Record<string, string> = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-test-'))
  const config = parseConfig({ DATA_DIR: dataDir, ALLOW_PRIVATE_URLS: 'true', EXTRACT_CONCURRENCY: '2', SOCKET_TIMEOUT: '5', ...env })
  const ctx = await openContext(config, () => {})
  const manager = new JobManager(ctx)
  await manager.recover()
  const app = createApp({ ctx, manager })
  return {
    ctx,
    manager,
    app,
    dataDir,
    async api(method, path, body, headers = {}) {
      const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
      // A real client sends Content-Length; app.handle's Request would not add it.
      const sized = text === undefined ? headers : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }
      const res = await app.handle(new Request(`http://localhost${path}`, { method, headers: sized, body: text }))
      const out = await res.text()
      let json: any = out
      try {
        json = JSON.parse(out)
      } catch {}
      return { status: res.status, json }
    },
    async close() {
      await manager.shutdown()
      await ctx.db.destroy()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Collects every snapshot the manager emits for one job, until it is done. */
export function recordJob(manager: JobManager, jobId: () => number | undefined): { snapshots: Job[]; stop(): void } {
  const snapshots: Job[] = []
  const stop = manager.subscribe(({ job }) => {
    if (job.id === jobId()) snapshots.push(structuredClone(job))
  })
  return { snapshots, stop }
}
