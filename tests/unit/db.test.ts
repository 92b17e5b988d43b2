import { describe, expect, test } from 'bun:test'
import { sql } from 'kysely'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Migrator, NO_MIGRATIONS } from 'kysely/migration'
import { migrations } from '../../migrations/index'
import { migrateToLatest } from '../../src/db/migrate'
import { databaseFileGuard } from '../../src/db/file-guard'
import { insertPlaylist } from '../../src/db/playlists'
import { ActiveJobExists, insertJob } from '../../src/db/jobs'
import { applyIndex } from '../../src/db/videos'
import { forEachDialect } from '../helpers/dialects'
import { indexedEntry } from '../helpers/entries'

/** A database destroyed at the end of the test's scope, pass or fail (PostgreSQL holds a pool). */
const disposable = <T extends { destroy(): Promise<void> }>(db: T) => Object.assign(db, { [Symbol.asyncDispose]: () => db.destroy() })

const entry = indexedEntry

describe('migrations', () => {
  test('every file in migrations/ is registered, in order', () => {
    const files = readdirSync(join(import.meta.dir, '../../migrations'))
      .filter((f) => /^\d{4}_.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort()
    expect(Object.keys(migrations)).toEqual(files)
  })
})

forEachDialect('repositories', (dialect) => {
  test('migrating again is a no-op', async () => {
    await using db = disposable(await dialect.open())
    expect(await migrateToLatest(db)).toEqual([])
  })
  test('every migration goes down and up again', async () => {
    await using db = disposable(await dialect.open())
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
    const down = await migrator.migrateTo(NO_MIGRATIONS)
    expect(down.error).toBeUndefined()
    expect(down.results?.map((r) => r.status)).toEqual(Object.keys(migrations).map(() => 'Success'))
    expect(((await migrateToLatest(db)) ?? []).map((r) => r.migrationName)).toEqual(Object.keys(migrations))
  })

  describe('applyIndex', () => {
    test('adds, updates, marks missing, restores; unchanged writes nothing', async () => {
      await using db = disposable(await dialect.open())
      const p = await insertPlaylist(db, { url: 'http://h/f', title: 'F', folder: 'F', uploader: null, indexed_at: null })
      expect(await applyIndex(db, p.id, [entry(1), entry(2), entry(3)])).toEqual({ added: 3, updated: 0, missing: 0, restored: 0 })
      expect(await applyIndex(db, p.id, [entry(1), entry(2), entry(3)])).toEqual({ added: 0, updated: 0, missing: 0, restored: 0 })
      const d = await applyIndex(db, p.id, [entry(1), entry(3, { position: 2 }), entry(4, { position: 3 })])
      expect(d).toEqual({ added: 1, updated: 1, missing: 1, restored: 0 })
      const rows = await db.selectFrom('videos').selectAll().orderBy('id').execute()
      expect(rows.find((r) => r.source_id === 's2')!.missing_since).not.toBeNull()
      expect(await applyIndex(db, p.id, [entry(1), entry(2), entry(3), entry(4)])).toMatchObject({ restored: 1 })
    })
    test('duplicates in one index are stored once', async () => {
      await using db = disposable(await dialect.open())
      const p = await insertPlaylist(db, { url: 'http://h/g', title: 'G', folder: 'G', uploader: null, indexed_at: null })
      expect((await applyIndex(db, p.id, [entry(1), entry(1, { position: 2 })])).added).toBe(1)
    })
  })

  describe('one active job per playlist', () => {
    test('the database refuses a second active job', async () => {
      // On PostgreSQL each insert races on a connection of its own.
      await using db = disposable(await dialect.open({ connections: 20 }))
      const p = await insertPlaylist(db, { url: 'http://h/j', title: 'J', folder: 'J', uploader: null, indexed_at: null })
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => insertJob(db, p.id, 'both')))
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      expect(rejected).toHaveLength(19)
      expect(rejected.every((r) => r.reason instanceof ActiveJobExists)).toBe(true)
    })
  })
})

describe('databaseFileGuard', () => {
  test('null while the opened file is in place; says so when it is replaced or gone', () => {
    const { mkdtempSync, renameSync, rmSync, writeFileSync } = require('node:fs') as typeof import('node:fs')
    const dir = mkdtempSync(join(require('node:os').tmpdir(), 'yt-serve-guard-'))
    try {
      const path = join(dir, 'yt-serve.db')
      writeFileSync(path, 'opened')
      const check = databaseFileGuard(path)
      expect(check()).toBeNull()
      renameSync(path, `${path}.old`)
      expect(check()).toBe(`the database file ${path} is gone (was the data dir deleted or moved?); restore it and restart yt-serve`)
      writeFileSync(path, 'another')
      expect(check()).toBe(`the database file ${path} was replaced by another file; restart yt-serve to use it`)
      expect(databaseFileGuard(':memory:')()).toBeNull()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('migrate-db', () => {
  test('copies every table of the archive (or says why a table is left out)', async () => {
    const { COPIED, NOT_COPIED } = await import('../../src/db/copy')
    const { openDatabase } = await import('../../src/db/open')
    const db = openDatabase(':memory:')
    await migrateToLatest(db)
    const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
    const tables = rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('sqlite_'))
    expect(([...COPIED, ...NOT_COPIED] as string[]).sort()).toEqual(tables.sort())
    await db.destroy()
  })
})
