import type { Kysely } from 'kysely'

// A playlist the user renamed keeps its title: an index then leaves it alone instead of
// putting the upstream title back at the next sync.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('playlists')
    .addColumn('renamed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('playlists').dropColumn('renamed').execute()
}
