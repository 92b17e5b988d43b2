import type { DB } from './open'
import type { YtdlpState, YtdlpStateUpdate } from './types'

const EMPTY: YtdlpState = {
  id: 1,
  source: 'auto',
  version: null,
  path: null,
  asset: null,
  sha256: null,
  channel: null,
  installed_at: null,
  previous_version: null,
  previous_path: null,
  previous_sha256: null,
  checked_at: null,
  error: null,
}

/** The managed yt-dlp's one row; a database that never installed one reads as empty. */
export async function readYtdlpState(db: DB): Promise<YtdlpState> {
  return (await db.selectFrom('ytdlp_state').selectAll().where('id', '=', 1).executeTakeFirst()) ?? { ...EMPTY }
}

export async function writeYtdlpState(db: DB, patch: YtdlpStateUpdate): Promise<YtdlpState> {
  await db
    .insertInto('ytdlp_state')
    .values({ ...EMPTY, ...patch, id: 1 } as YtdlpState)
    .onConflict((oc) => oc.column('id').doUpdateSet(patch))
    .execute()
  return readYtdlpState(db)
}
