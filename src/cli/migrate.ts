import { migrateToLatest } from '../db/migrate'
import { storeName } from '../server'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { openStore, readMigrations } from './db-state'

export const migrate: Command = {
  spec: {
    name: 'migrate',
    summary: 'Create the database if needed and apply pending migrations.',
    description: 'serve, add and run also migrate on start; this command does it on its own and reports what it did.',
    positionals: [],
    flags: [DATA_DIR_FLAG],
  },
  async run(args, io) {
    const config = configFor(migrate.spec, args)
    const path = storeName(config)
    const db = await openStore(config)
    try {
      const before = await readMigrations(db)
      if (before.unknown.length) throw new Error(`${path} was written by a newer yt-serve (unknown migrations: ${before.unknown.join(', ')}); upgrade yt-serve`)
      const results = (await migrateToLatest(db)) ?? []
      for (const r of results) io.out(`applied ${r.migrationName}`)
      const total = before.applied.length + before.pending.length
      io.out(results.length ? `${path}: ${results.length} migration(s) applied, now at ${total}/${total}` : `${path}: up to date (${total} migrations applied)`)
      return 0
    } finally {
      await db.destroy()
    }
  },
}
