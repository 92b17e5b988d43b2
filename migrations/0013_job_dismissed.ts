import type { Kysely } from 'kysely'

// A finished job's card stays on the home page (for a day) until the user dismisses it;
// the dismissal is stored so that it holds across reloads and browsers.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('dismissed_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('dismissed_at').execute()
}
