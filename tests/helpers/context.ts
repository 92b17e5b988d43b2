import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../src/app'
import { parseConfig } from '../../src/config'
import type { Job, JobType } from '../../src/db/types'
import type { AppContext } from '../../src/context'
import { JobManager } from '../../src/jobs/manager'
import { openContext } from '../../src/server'
import { postgres } from './dialects'

export interface TestContext extends AsyncDisposable {
  ctx: AppContext
  manager: JobManager
  app: ReturnType<typeof createApp>
  dataDir: string
  /** app.handle with a JSON body; always a full http://localhost URL (Elysia needs one). */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>
  /** POST /api/playlists; the created playlist. Anything but 201 throws with the answer, so no test goes on without one. */
  addPlaylist(url: string, body?: Record<string, unknown>): Promise<any>
  /** POST a job for a playlist; the job as created (202, else it throws), still running. */
  startJob(playlistId: number, type: JobType, body?: Record<string, unknown>): Promise<Job>
  /** startJob, then wait for the run's own end (its promise, not a poll); the final job. */
  runJob(playlistId: number, type: JobType, body?: Record<string, unknown>): Promise<Job>
  /** GET a page through app.handle; its text, whatever the status. */
  page(path: string): Promise<string>
  close(): Promise<void>
}

async function created(what: string, res: Promise<{ status: number; json: any }>, status: number): Promise<any> {
  const r = await res
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.json)}`)
  return r.json
}

/**
 * A migrated database in a fresh temp DATA_DIR, a job manager and the HTTP app, wired like the server.
 * TEST_DATABASE=postgres runs it on a fresh PostgreSQL database of the test cluster instead of
 * SQLite (`TEST_DATABASE=postgres bun test tests/integration/x.test.ts`): any app-level test then
 * checks the other store too. A DATABASE_URL in `env` wins either way.
 */
export async function testContext(env: Record<string, string> = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-test-'))
  const store = process.env.TEST_DATABASE === 'postgres' && !('DATABASE_URL' in env) ? await postgres.env() : {}
  const config = parseConfig({ DATA_DIR: dataDir, ALLOW_PRIVATE_URLS: 'true', EXTRACT_CONCURRENCY: '2', SOCKET_TIMEOUT: '5', ...store, ...env })
  const ctx = await openContext(config, () => {})
  const manager = new JobManager(ctx)
  await manager.recover()
  const app = createApp({ ctx, manager })
  const t: TestContext = {
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
    addPlaylist(url, body = {}) {
      return created(`add ${url}`, t.api('POST', '/api/playlists', { url, ...body }), 201)
    },
    startJob(playlistId, type, body = {}) {
      return created(`${type} job for playlist ${playlistId}`, t.api('POST', `/api/playlists/${playlistId}/jobs`, { type, ...body }), 202)
    },
    async runJob(playlistId, type, body) {
      return manager.waitFor((await t.startJob(playlistId, type, body)).id)
    },
    async page(path) {
      return (await app.handle(new Request(`http://localhost${path}`))).text()
    },
    async close() {
      await manager.shutdown()
      await ctx.db.destroy()
      rmSync(dataDir, { recursive: true, force: true })
    },
    [Symbol.asyncDispose]: () => t.close(),
  }
  return t
}

/** Collects every snapshot the manager emits for one job, until it is done. */
export function recordJob(manager: JobManager, jobId: () => number | undefined): { snapshots: Job[]; stop(): void } {
  const snapshots: Job[] = []
  const stop = manager.subscribe(({ job }) => {
    if (job.id === jobId()) snapshots.push(structuredClone(job))
  })
  return { snapshots, stop }
}
