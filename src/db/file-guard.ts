import { statSync } from 'node:fs'

function identity(path: string): { dev: number; ino: number } | null {
  try {
    const s = statSync(path)
    return { dev: s.dev, ino: s.ino }
  } catch {
    return null
  }
}

/**
 * Whether the database file opened at `path` is still the one there. SQLite keeps writing
 * to an open file that was deleted or moved away, so without this a server whose data dir
 * went away runs its jobs to completion into a database nobody will open again.
 * The check answers null while all is well, else why not.
 */
export function databaseFileGuard(path: string): () => string | null {
  const opened = identity(path)
  return () => {
    if (!opened) return null // an in-memory database: nothing to compare
    const now = identity(path)
    if (!now) return `the database file ${path} is gone (was the data dir deleted or moved?); restore it and restart yt-serve`
    if (now.dev !== opened.dev || now.ino !== opened.ino) return `the database file ${path} was replaced by another file; restart yt-serve to use it`
    return null
  }
}
