import { databaseUrl } from '../config'
import { copyArchive, rowCounts, type RowCounts } from '../db/copy'
import { migrateToLatest } from '../db/migrate'
import { describePostgres, openPostgresChecked } from '../db/postgres'
import { Conflict, DomainError } from '../errors'
import { dbPath } from '../server'
import { UsageError } from './args'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { openExisting } from './db-state'
import { acquireDataDirLock } from './lock'

const describeCounts = (n: RowCounts) =>
  `${n.playlists} playlist(s), ${n.videos} entries, ${n.jobs} job(s), ${n.job_events} job log line(s), ${n.sessions} session(s), ${n.ytdlp_state} yt-dlp state row(s)`

export const migrateDb: Command = {
  spec: {
    name: 'migrate-db',
    summary: 'Copy the SQLite archive of the data dir into an empty PostgreSQL database.',
    description:
      'Copies playlists, entries and their states, jobs, job logs, settings, login sessions and the managed\n' +
      "yt-dlp's state, keeping every id, then checks the row counts. The target must be empty (create one with\n" +
      '"createdb yt_serve"). The SQLite file is left as it was. Stop the server first: the data dir is locked\n' +
      'while the copy runs. Afterwards set DATABASE_URL to the same URL and start yt-serve.',
    positionals: [],
    flags: [DATA_DIR_FLAG, { name: 'to', value: 'URL', required: true, help: 'postgres://user:password@host:5432/database, an empty database' }],
    examples: ['yt-serve migrate-db --to postgres://yt:secret@db.lan/yt_serve --data-dir /srv/yt-serve'],
  },
  async run(args, io) {
    // The source is always the SQLite file, whatever DATABASE_URL says.
    const config = { ...configFor(migrateDb.spec, args), databaseUrl: null }
    let url: string | null
    try {
      url = databaseUrl({ '--to': String(args.flags.to ?? '') }, '--to')
    } catch (err) {
      throw new UsageError((err as Error).message, 'migrate-db')
    }
    if (!url) throw new UsageError('--to needs the postgres:// URL of an empty database', 'migrate-db')
    const target = describePostgres(url)
    const release = acquireDataDirLock(config.dataDir, 'migrate-db')
    try {
      const from = await openExisting(config, (names) => io.err(`applied pending migrations to ${dbPath(config)} first: ${names.join(', ')}`))
      if (!from) throw new DomainError('not_found', `no database in ${config.dataDir}: nothing to copy`)
      try {
        const to = await openPostgresChecked(url)
        try {
          await migrateToLatest(to)
          const there = await rowCounts(to)
          if (Object.values(there).some((n) => n > 0))
            throw new Conflict(
              `${target} is not empty (${describeCounts(there)}): migrate-db copies into an empty database only, so nothing is mixed or lost. ` +
                'Create a new one (createdb yt_serve) or empty this one, then run it again',
            )
          io.out(`copying ${dbPath(config)} into ${target}`)
          const copied = await copyArchive(from, to, (table, n) => {
            if (n % 5000 === 0) io.err(`  ${table}: ${n} rows`)
          })
          io.out(`copied and verified: ${describeCounts(copied)}`)
          io.out(`next: set DATABASE_URL to that URL (in .env or the environment) and start yt-serve; ${dbPath(config)} is left as it was`)
          return 0
        } finally {
          await to.destroy()
        }
      } finally {
        await from.destroy()
      }
    } finally {
      release()
    }
  },
}
