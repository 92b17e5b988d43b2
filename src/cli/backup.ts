import { mediaRoot } from '../library/paths'
import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { backupDatabase } from '../db/backup'
import { openDatabase } from '../db/open'
import { Conflict, DomainError } from '../errors'
import { formatBytes } from '../library/units'
import { dbPath, storeName } from '../server'
import { DATA_DIR_FLAG, configFor, type Command } from './command'

export const backup: Command = {
  spec: {
    name: 'backup',
    summary: 'Write a consistent copy of the database to a new file, even while a server runs.',
    description:
      'The database holds the playlists, every entry with its state, and the job history. The media\n' +
      'files are plain files under the data dir: copy those with rsync or your usual backup.',
    positionals: [{ name: 'FILE', required: true, help: 'where to write the copy (must not exist yet)' }],
    flags: [DATA_DIR_FLAG],
    examples: ['yt-serve backup /backups/yt-serve-$(date +%F).db --data-dir /srv/yt-serve'],
  },
  async run(args, io) {
    const config = configFor(backup.spec, args)
    if (config.databaseUrl)
      throw new DomainError(
        'invalid',
        `the archive's database is PostgreSQL (${storeName(config)}, from DATABASE_URL), and this command copies an SQLite file only. ` +
          `Back it up with PostgreSQL's own tool: pg_dump --format=custom --file=FILE "$DATABASE_URL" (restore with pg_restore --dbname=URL FILE). ` +
          `The media files are under ${mediaRoot(config)}: back them up as plain files`,
      )
    const source = dbPath(config)
    const dest = resolve(args.positionals[0])
    if (!existsSync(source)) throw new DomainError('not_found', `no database in ${config.dataDir} yet: nothing to back up`)
    if (existsSync(dest)) throw new Conflict(`${dest} already exists; choose a new file name`)
    if (!existsSync(dirname(dest))) throw new DomainError('not_found', `the folder ${dirname(dest)} does not exist`)
    const db = openDatabase(source)
    try {
      const n = await backupDatabase(db, dest)
      io.out(`backed up ${source} to ${dest} (${formatBytes(statSync(dest).size)}): ${n.playlists} playlist(s), ${n.videos} entries, ${n.jobs} job(s)`)
      io.out(`the media files are under ${mediaRoot(config)}: back them up as plain files`)
      return 0
    } finally {
      await db.destroy()
    }
  },
}
