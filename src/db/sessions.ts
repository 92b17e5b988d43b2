import type { DB } from './open'
import type { Session } from './types'

export async function insertSession(db: DB, session: Session): Promise<void> {
  await db.insertInto('sessions').values(session).execute()
}

export async function findSession(db: DB, idHash: string): Promise<Session | undefined> {
  return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
}

export async function deleteSession(db: DB, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

/** Timestamps are ISO strings, so "expired" is a text comparison. */
export async function deleteExpiredSessions(db: DB, at: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', at).execute()
}
