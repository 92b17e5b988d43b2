import { afterAll, beforeAll } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'

/** What the multi-process tests of one file share; `media` and `itemBytes` are set before the first test. */
export interface ClusterFixture {
  media: MediaServer
  /** The size of a 2 s fixture item: a per-address throttle of this many bytes a second holds items in flight about a second each. */
  itemBytes: number
  /** A temp dir removed after the file's tests, pass or fail. */
  tempDir(prefix: string): string
}

/** The fixture media server and temp dirs for one test file (registers its beforeAll and afterAll). */
export function clusterFixture(): ClusterFixture {
  const dirs: string[] = []
  const fx: ClusterFixture = {
    media: undefined as unknown as MediaServer,
    itemBytes: 0,
    tempDir(prefix) {
      const d = mkdtempSync(join(tmpdir(), prefix))
      dirs.push(d)
      return d
    },
  }
  beforeAll(async () => {
    fx.media = await startMediaServer()
    const probe = await fx.media.addItem({ name: 'probe', seconds: 2 })
    fx.itemBytes = Number((await fetch(probe, { method: 'HEAD' })).headers.get('content-length'))
  })
  afterAll(async () => {
    await fx.media?.stop()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  return fx
}
