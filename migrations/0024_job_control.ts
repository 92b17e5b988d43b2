import type { Kysely } from 'kysely'

// Cluster mode: pause, resume and cancel asked of a serve that does not own the job. The
// non-owner records the request here ('pause' | 'resume' | 'cancel'); the owner's agent reads
// it on its per-pass row read, applies it as a local click would, then clears it. Null: none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('control', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('control').execute()
}
