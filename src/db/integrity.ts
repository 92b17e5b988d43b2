import { statSync } from 'node:fs'
import { sql } from 'kysely'
import { Unavailable } from '../errors'
import { openDatabase, type DB } from './open'

/** At most this many problems are listed; one is enough to know the file is damaged. */
const MAX_PROBLEMS = 10

/**
 * quick_check reads every page, so its time grows with the file: about 150 MB/s from a
 * warm cache, far less from an SD card. Above this size the start skips it (and says so)
 * rather than keep the server from answering for many seconds; `doctor` always runs it.
 */
export const START_CHECK_MAX_BYTES = 128 * 1024 * 1024

/**
 * SQLite's own consistency check: 'quick' (PRAGMA quick_check) checks every page and
 * b-tree, 'full' (integrity_check) also matches every index to its table, several times
 * slower. Returns the problems found, [] for a sound file. A page too damaged to read
 * makes the pragma itself fail: that is a problem too.
 */
export async function integrityProblems(db: DB, mode: 'quick' | 'full'): Promise<string[]> {
  const pragma = sql.raw(`${mode === 'quick' ? 'quick_check' : 'integrity_check'}(${MAX_PROBLEMS})`)
  try {
    const { rows } = await sql<Record<string, string>>`pragma ${pragma}`.execute(db)
    const lines = rows.flatMap((r) => String(Object.values(r)[0]).split('\n')).filter((l) => l && !l.startsWith('*** in database'))
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)]
  }
}

/** What to do about a damaged database file, for the CLI and doctor alike. */
export const restoreAdvice = (path: string) =>
  `stop yt-serve, move ${path} and any -wal and -shm files beside it aside (say to ${path}.damaged), then copy your last ` +
  `backup (made with "yt-serve backup FILE") to ${path}. Without a backup, the sqlite3 tool may salvage what is readable: ` +
  `sqlite3 ${path}.damaged .recover | sqlite3 ${path}`

/** SQLite's codes for a file that is not (or no longer) a database. */
export const isDamageError = (err: unknown) => ['SQLITE_CORRUPT', 'SQLITE_NOTADB'].includes((err as { code?: string }).code ?? '')

export class DamagedDatabase extends Unavailable {
  constructor(path: string, problems: string[]) {
    super(`the database ${path} is damaged (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}). To recover: ${restoreAdvice(path)}`)
  }
}

/**
 * Run before anything writes: jobs working on a damaged file fail at random later and
 * may damage it further. Throws DamagedDatabase; logs why when the file is too large to
 * check quickly.
 */
export async function checkBeforeUse(db: DB, path: string, log: (m: string) => void, maxBytes = START_CHECK_MAX_BYTES): Promise<void> {
  const size = path === ':memory:' ? 0 : (statSync(path, { throwIfNoEntry: false })?.size ?? 0)
  if (size > maxBytes) {
    log(`the database is ${Math.round(size / 1024 / 1024)} MiB: its integrity check is left out at start; run "yt-serve doctor" to check it`)
    return
  }
  const problems = await integrityProblems(db, 'quick')
  if (problems.length) throw new DamagedDatabase(path, problems)
}

/** Opens the database for a command that writes (serve, run, add, verify): refused when it is damaged. */
export async function openChecked(path: string, log: (m: string) => void): Promise<DB> {
  let db: DB
  try {
    db = openDatabase(path)
  } catch (err) {
    // A damaged first page fails the opening pragmas already.
    if (isDamageError(err)) throw new DamagedDatabase(path, [(err as Error).message])
    throw err
  }
  try {
    await checkBeforeUse(db, path, log)
    return db
  } catch (err) {
    await db.destroy()
    throw err
  }
}
