import { expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { migrateToLatest } from '../../src/db/migrate'
import { openDatabase } from '../../src/db/open'

const SNAPSHOT = join(import.meta.dir, '../fixtures/schema/sqlite.sql')

// Migrations learned a second dialect (PostgreSQL); an SQLite archive must not notice. The
// schema SQLite records after every migration is compared byte for byte with the one the
// migrations made before they had a PostgreSQL path. UPDATE_SCHEMA=1 rewrites it on purpose.
test('the migrated SQLite schema is the recorded one, byte for byte', async () => {
  const db = openDatabase(':memory:')
  await migrateToLatest(db)
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where sql is not null order by type, name`.execute(db)
  await db.destroy()
  const schema = `${rows.map((r) => `${r.sql};`).join('\n')}\n`
  if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SNAPSHOT, schema)
  expect(schema).toBe(readFileSync(SNAPSHOT, 'utf8'))
})
