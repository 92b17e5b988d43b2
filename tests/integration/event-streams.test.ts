import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServerProcess, waitUntil, type ServerProcess } from '../helpers/server-process'

const MAX = 3
let server: ServerProcess
let dataDir: string
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-streams-'))
  server = await startServerProcess({ DATA_DIR: dataDir, MAX_EVENT_STREAMS: String(MAX) })
})
afterAll(async () => {
  server.proc.kill('SIGTERM')
  await server.proc.exited
  rmSync(dataDir, { recursive: true, force: true })
})

/** An open stream over real HTTP, its first event (the snapshot) already read. */
async function openStream(path = '/api/events') {
  const ac = new AbortController()
  const res = await fetch(server.url + path, { signal: ac.signal })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const reader = res.body!.getReader()
  const first = new TextDecoder().decode((await reader.read()).value)
  expect(first).toContain('event: snapshot')
  return { close: () => ac.abort() }
}

describe('MAX_EVENT_STREAMS', () => {
  test('streams beyond the cap get a 503 JSON error; a closed stream frees its slot', async () => {
    const streams = [await openStream(), await openStream(), await openStream()]
    for (const path of ['/api/events', '/api/jobs/1/events']) {
      const res = await fetch(server.url + path)
      expect(res.status).toBe(503)
      expect(res.headers.get('content-type')).toContain('application/json')
      expect((await res.json()).error).toContain(`too many open event streams (MAX_EVENT_STREAMS=${MAX})`)
    }
    // The rest of the server is unaffected.
    expect((await server.json('GET', '/api/health')).status).toBe(200)

    streams.shift()!.close()
    // The server learns of the close asynchronously; wait for the slot to come back.
    const reopened = await waitUntil(
      'a freed slot',
      async () => {
        const ac = new AbortController()
        const res = await fetch(`${server.url}/api/events`, { signal: ac.signal })
        if (res.status === 200) return { close: () => ac.abort() }
        expect(res.status).toBe(503)
        await res.body?.cancel()
        return undefined
      },
      10_000,
    )
    streams.push(reopened)
    expect((await fetch(`${server.url}/api/events`)).status).toBe(503)
    for (const s of streams) s.close()
  })

  test('refused streams do not use up slots: a 404 for an unknown job, then MAX streams open again', async () => {
    await waitUntil(
      'all slots free',
      async () => {
        const res = await fetch(`${server.url}/api/jobs/999/events`)
        await res.body?.cancel()
        return res.status === 404
      },
      10_000,
    )
    for (let i = 0; i < 2 * MAX; i++) expect((await fetch(`${server.url}/api/jobs/999/events`)).status).toBe(404)
    const streams = [await openStream(), await openStream(), await openStream()]
    expect((await fetch(`${server.url}/api/events`)).status).toBe(503)
    for (const s of streams) s.close()
  })
})
