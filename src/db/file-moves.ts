import type { DB } from './open'
import type { FileMove } from './types'
import { now } from './time'

/** Recorded before the rename: the crash story of a relayout (see settleMoves). */
export async function recordMove(db: DB, move: Omit<FileMove, 'id' | 'created_at'>): Promise<number> {
  const row = await db
    .insertInto('file_moves')
    .values({ ...move, created_at: now() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The file is at to_path: the entry's column follows it, and the record goes, in one transaction. */
export async function finishMove(db: DB, move: Pick<FileMove, 'id' | 'video_id' | 'field' | 'to_path'>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (move.video_id !== null)
      await trx
        .updateTable('videos')
        .set({ [move.field]: move.to_path, updated_at: now() })
        .where('id', '=', move.video_id)
        .execute()
    await trx.deleteFrom('file_moves').where('id', '=', move.id).execute()
  })
}

/** The file never left from_path: nothing changes but the record. */
export async function dropMove(db: DB, id: number): Promise<void> {
  await db.deleteFrom('file_moves').where('id', '=', id).execute()
}

/**
 * Moves recorded and not settled: after a crash, each is finished or undone. A relayout that
 * another node runs now (`node` is not its owner) is in the middle of its moves: not ours to settle.
 */
export async function pendingMoves(db: DB, node: string): Promise<FileMove[]> {
  return db
    .selectFrom('file_moves')
    .selectAll()
    .where('job_id', 'not in', (eb) =>
      eb.selectFrom('jobs').select('id').where('status', 'in', ['queued', 'running', 'paused']).where('node', 'is not', null).where('node', '!=', node),
    )
    .orderBy('id')
    .execute()
}
