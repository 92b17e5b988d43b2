import { Database as Sqlite } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely } from 'kysely'
import { BunSqliteDialect } from 'kysely-bun-sqlite'
import type { Database } from './types'

export type DB = Kysely<Database>

/** Opens (creating if needed) the SQLite file with the pragmas a long-running server wants. */
export function openDatabase(path: string): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Sqlite(path, { create: true, strict: true })
  sqlite.run('PRAGMA journal_mode = WAL')
  // NORMAL is corruption-safe under WAL; at worst the last commits are lost on power loss.
  sqlite.run('PRAGMA synchronous = NORMAL')
  sqlite.run('PRAGMA foreign_keys = ON')
  // The CLI's `status` reads while a server writes.
  sqlite.run('PRAGMA busy_timeout = 5000')
  return new Kysely<Database>({ dialect: new BunSqliteDialect({ database: sqlite }) })
}
