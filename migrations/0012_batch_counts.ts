import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect'

// A job that downloads a playlist in batches kept the display string "25/100 total (75 remaining)"
// in download_batch_info, and resume read it back as a flag. It becomes two numbers:
// - batch_total: the entries the playlist has to download, counted when the job claimed its batch;
//   null when one batch covers them all (the string was null then too);
// - batch_done_before: of those, the ones already downloaded before this job's own downloads.
// The string is computed from them (and download_completed) for the API and the views.
//
// The legacy columns progress / total_items / completed_items (0001) stay: older clients read
// them. They are derived from the phase counters on every write, never read back.

/** "25/100 total (75 remaining)" as the old code wrote it: done = batch_done_before + download_completed. */
const OLD = /^(\d+)\/(\d+) total \(\d+ remaining\)$/

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('batch_total', 'integer').execute()
  await db.schema
    .alterTable('jobs')
    .addColumn('batch_done_before', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  const rows: { id: number; download_batch_info: string; download_completed: number }[] = await db
    .selectFrom('jobs')
    .select(['id', 'download_batch_info', 'download_completed'])
    .where('download_batch_info', 'is not', null)
    .execute()
  for (const row of rows) {
    const m = OLD.exec(row.download_batch_info)
    // Not the shape this code ever wrote: counted as one batch, as a null string would have been.
    if (!m) continue
    const done = Number(m[1])
    await db
      .updateTable('jobs')
      .set({ batch_total: Number(m[2]), batch_done_before: Math.max(0, done - row.download_completed) })
      .where('id', '=', row.id)
      .execute()
  }
  await db.schema.alterTable('jobs').dropColumn('download_batch_info').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('download_batch_info', 'text').execute()
  const done = sql<number>`(batch_done_before + download_completed)`
  // SQLite's two-argument max is PostgreSQL's greatest.
  const left = isPostgres(db) ? sql<number>`greatest(0, batch_total - ${done})` : sql<number>`max(0, batch_total - ${done})`
  await db
    .updateTable('jobs')
    .set({
      download_batch_info: sql<string>`${done} || '/' || batch_total || ' total (' || ${left} || ' remaining)'`,
    })
    .where('batch_total', 'is not', null)
    .execute()
  await db.schema.alterTable('jobs').dropColumn('batch_done_before').execute()
  await db.schema.alterTable('jobs').dropColumn('batch_total').execute()
}
