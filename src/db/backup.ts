import { sql } from 'kysely'
import type { DB } from './open'
import { isPostgres } from './dialect'

export interface BackupSummary {
  playlists: number
  videos: number
  jobs: number
}

/**
 * A consistent copy of the whole database in one file, taken while a server may be
 * writing (SQLite's VACUUM INTO reads one snapshot; copying the file under WAL is not safe).
 */
export async function backupDatabase(db: DB, dest: string): Promise<BackupSummary> {
  if (isPostgres(db)) throw new Error("VACUUM INTO is SQLite's: back a PostgreSQL database up with pg_dump")
  await sql`vacuum into ${dest}`.execute(db)
  const count = async (table: 'playlists' | 'videos' | 'jobs') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return { playlists: await count('playlists'), videos: await count('videos'), jobs: await count('jobs') }
}
