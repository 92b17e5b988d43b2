import { Database } from 'bun:sqlite'
import { closeSync, copyFileSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { migrateToLatest } from '../../src/db/migrate'
import { openDatabase } from '../../src/db/open'
import { insertPlaylist } from '../../src/db/playlists'
import { applyIndex } from '../../src/db/videos'

const PAGE = 4096

/** A sound, migrated database in `dataDir` with one playlist of `entries` entries, all in the main file (no WAL). */
export async function soundDatabase(dataDir: string, entries = 500): Promise<string> {
  const path = join(dataDir, 'yt-serve.db')
  const db = openDatabase(path)
  await migrateToLatest(db)
  const p = await insertPlaylist(db, { url: 'http://127.0.0.1:9/feed.xml', title: 'Sound', folder: 'Sound' })
  const rows = Array.from({ length: entries }, (_, i) => ({
    source_id: `e${i}`,
    position: i,
    title: `entry ${i}`,
    uploader: null,
    duration: 60,
    source_url: `http://127.0.0.1:9/media/e${i}.mp4`,
    thumbnail_url: null,
    upload_date: null,
    extractor: 'generic',
  }))
  await applyIndex(db, p.id, rows)
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
  await db.destroy()
  return path
}

/**
 * A copy of `source` in `dataDir` with garbage written over some of its pages: 'tail'
 * garbles the second half of the entries' leaf pages (found with dbstat, so the schema, which
 * spans several pages as migrations grow, stays readable), 'header' the first 100 bytes (the
 * file no longer reads as SQLite).
 */
export function damagedCopy(source: string, dataDir: string, where: 'tail' | 'header'): string {
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, 'yt-serve.db')
  copyFileSync(source, path)
  const pages = statSync(path).size / PAGE
  if (pages < 8) throw new Error(`${source} has only ${pages} pages: too small to damage meaningfully`)
  const fd = openSync(path, 'r+')
  try {
    if (where === 'header') writeSync(fd, Buffer.alloc(100, 0xa5), 0, 100, 0)
    else
      for (const pg of entryLeafPages(source).slice(-Math.ceil(entryLeafPages(source).length / 2)))
        writeSync(fd, Buffer.alloc(PAGE, 0xa5), 0, PAGE, (pg - 1) * PAGE)
  } finally {
    closeSync(fd)
  }
  return path
}

/** The page numbers (1-based) of the videos table's leaves. */
function entryLeafPages(source: string): number[] {
  const db = new Database(source, { readonly: true })
  try {
    return (db.query("select pageno from dbstat where name = 'videos' and pagetype = 'leaf' order by pageno").all() as { pageno: number }[]).map(
      (r) => r.pageno,
    )
  } finally {
    db.close()
  }
}
