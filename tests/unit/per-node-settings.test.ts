// Settings saved per node (cluster mode): two nodes read one database; a value saved for one
// node wins over the one saved for every node, which wins over the environment and the default.
// On both stores, through the service and through PATCH /api/settings and the settings page.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../src/config'
import type { AppContext } from '../../src/context'
import type { DB } from '../../src/db/open'
import { savedSettings, storeSettings } from '../../src/db/server-settings'
import { applySavedSettings, listSettings, updateSettings } from '../../src/settings/service'
import { testContext } from '../helpers/context'
import { forEachDialect } from '../helpers/dialects'

const dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-per-node-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

/** A node as it starts: its own environment, the saved values applied. */
async function node(db: DB, env: Record<string, string>, log: string[] = []): Promise<AppContext> {
  const ctx: AppContext = {
    db,
    config: parseConfig({ DATA_DIR: dataDir, DOWNLOAD_CONCURRENCY: '2', EXTRACT_CONCURRENCY: '1', ...env }),
    log: (m) => log.push(m),
  }
  await applySavedSettings(ctx)
  return ctx
}

const none = () => {}
const state = async (ctx: AppContext, name: string) => {
  const s = (await listSettings(ctx)).find((x) => x.name === name)!
  return { value: s.value, source: s.source }
}

forEachDialect('per-node settings', (dialect) => {
  test('per node > every node > environment > default, each node seeing its own; reset steps back one level', async () => {
    const db = await dialect.open()
    try {
      const a = await node(db, { NODE_NAME: 'a' })
      const b = await node(db, { NODE_NAME: 'b' })
      // A named node saves a per-node setting for itself by default.
      await updateSettings(a, { download_concurrency: 4 }, none)
      expect(a.config.downloadConcurrency).toBe(4)
      expect(await state(a, 'download_concurrency')).toEqual({ value: 4, source: 'node' })
      expect(await state(b, 'download_concurrency')).toEqual({ value: 2, source: 'env' })
      expect((await node(db, { NODE_NAME: 'b' })).config.downloadConcurrency).toBe(2)
      expect((await node(db, { NODE_NAME: 'a' })).config.downloadConcurrency).toBe(4)

      // Saved for every node: a node starting later takes it; a node's own value still wins.
      await updateSettings(a, { download_concurrency: 6, extract_concurrency: 3 }, none, 'cluster')
      expect(await state(a, 'download_concurrency')).toEqual({ value: 4, source: 'node' })
      expect(await state(a, 'extract_concurrency')).toEqual({ value: 3, source: 'database' })
      const b2 = await node(db, { NODE_NAME: 'b' })
      expect([b2.config.downloadConcurrency, b2.config.extractConcurrency]).toEqual([6, 3])
      expect(await state(b2, 'download_concurrency')).toEqual({ value: 6, source: 'database' })

      // Reset without a scope forgets the value in force: a's own, then every node's.
      await updateSettings(a, { download_concurrency: null }, none)
      expect(await state(a, 'download_concurrency')).toEqual({ value: 6, source: 'database' })
      await updateSettings(a, { download_concurrency: null }, none)
      expect(await state(a, 'download_concurrency')).toEqual({ value: 2, source: 'env' })
      expect(a.config.downloadConcurrency).toBe(2)

      // The rows: one per (node, name).
      expect([...(await savedSettings(db, 'a')).node]).toEqual([])
      expect([...(await savedSettings(db, 'b')).cluster]).toEqual([['extract_concurrency', '3']])
    } finally {
      await db.destroy()
    }
  })

  test('the same name saved for two nodes and for every node: three rows, each node its own', async () => {
    const db = await dialect.open()
    try {
      const a = await node(db, { NODE_NAME: 'a' })
      const b = await node(db, { NODE_NAME: 'b' })
      await updateSettings(a, { rate_limit: '1M' }, none, 'node')
      await updateSettings(b, { rate_limit: '2M' }, none, 'node')
      await updateSettings(b, { rate_limit: '3M' }, none, 'cluster')
      // Saving again at the same scope replaces, not duplicates.
      await updateSettings(a, { rate_limit: '500K' }, none, 'node')
      const count = await db
        .selectFrom('server_settings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(count.n)).toBe(3)
      expect((await node(db, { NODE_NAME: 'a' })).config.rateLimit).toBe(500 * 1024)
      expect((await node(db, { NODE_NAME: 'b' })).config.rateLimit).toBe(2 * 1024 * 1024)
      expect((await node(db, { NODE_NAME: 'c' })).config.rateLimit).toBe(3 * 1024 * 1024)
    } finally {
      await db.destroy()
    }
  })

  test('a setting that is the same everywhere cannot be saved per node; a stray node row is dropped at start', async () => {
    const db = await dialect.open()
    try {
      const a = await node(db, { NODE_NAME: 'a' })
      await expect(updateSettings(a, { audio_format: 'flac' }, none, 'node')).rejects.toThrow(
        'audio_format is the same on every node: save it without scope=node',
      )
      // Without a scope it goes to every node, whatever the node's name.
      await updateSettings(a, { audio_format: 'flac' }, none)
      expect(await state(a, 'audio_format')).toEqual({ value: 'flac', source: 'database' })
      await storeSettings(db, new Map([['audio_format', 'opus']]), [], 'a')
      const log: string[] = []
      const again = await node(db, { NODE_NAME: 'a' }, log)
      expect(again.config.audioFormat).toBe('flac')
      expect(log).toEqual(['saved setting audio_format (node a) dropped: audio_format is the same on every node, not saved per node'])
      expect([...(await savedSettings(db, 'a')).node]).toEqual([])
    } finally {
      await db.destroy()
    }
  })

  test('a node without NODE_NAME (one machine; its host name may change) saves for every node', async () => {
    const db = await dialect.open()
    try {
      const lone = await node(db, {})
      await updateSettings(lone, { download_concurrency: 5 }, none)
      expect(await state(lone, 'download_concurrency')).toEqual({ value: 5, source: 'database' })
      expect((await node(db, { NODE_NAME: 'renamed-host' })).config.downloadConcurrency).toBe(5)
    } finally {
      await db.destroy()
    }
  })

  describe('through the API and the settings page', () => {
    test('PATCH ?scope=node|cluster, GET shows source and per_node, a bad scope is refused; the page form saves where it is told', async () => {
      await using t = await testContext({ ...(await dialect.env()), NODE_NAME: 'front', DOWNLOAD_CONCURRENCY: '2' })
      const find = async (name: string) => (await t.api('GET', '/api/settings')).json.settings.find((s: any) => s.name === name)
      expect(await find('download_concurrency')).toMatchObject({ value: 2, source: 'env', per_node: true })
      expect(await find('audio_format')).toMatchObject({ per_node: false })

      expect((await t.api('PATCH', '/api/settings?scope=cluster', { download_concurrency: 3 })).status).toBe(200)
      expect(await find('download_concurrency')).toMatchObject({ value: 3, source: 'database' })
      const saved = await t.api('PATCH', '/api/settings', { download_concurrency: 5 })
      expect(saved.status).toBe(200)
      expect(saved.json.settings.find((s: any) => s.name === 'download_concurrency')).toMatchObject({ value: 5, source: 'node' })
      expect(t.ctx.config.downloadConcurrency).toBe(5)

      const bad = await t.api('PATCH', '/api/settings?scope=everywhere', { download_concurrency: 4 })
      expect(bad.status).toBe(422)
      expect(JSON.stringify(bad.json)).toContain('scope must be node (this node only) or cluster (every node)')
      const notPerNode = await t.api('PATCH', '/api/settings?scope=node', { audio_format: 'flac' })
      expect(notPerNode.status).toBe(422)
      expect(notPerNode.json.error).toBe('audio_format is the same on every node: save it without scope=node')

      // The page: a per-node row has the choice, preset to where its value was saved.
      const page = await t.page('/settings')
      expect(page).toContain('<option value="node" selected>for this node (front)</option>')
      expect(page).not.toContain('name="scope" id="setting-audio_format-scope"')
      const form = (body: string) =>
        t.app.handle(
          new Request('http://localhost/settings/download_concurrency', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true', origin: 'http://localhost' },
            body,
          }),
        )
      const row = await (await form('value=7&scope=cluster')).text()
      // Saved for every node, but this node's own 5 still wins: the row says so.
      expect(row).toContain('data-source="node"')
      expect(t.ctx.config.downloadConcurrency).toBe(5)
      expect((await t.api('GET', '/api/settings')).json.settings.find((s: any) => s.name === 'download_concurrency')).toMatchObject({ value: 5 })
      expect(await (await form('value=8&scope=node')).text()).toContain('Saved for this node (front): in force now')
      expect(t.ctx.config.downloadConcurrency).toBe(8)
    }, 30_000)
  })
})
