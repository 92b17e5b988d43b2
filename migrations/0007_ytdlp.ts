import { sql, type Kysely } from 'kysely'

// The managed yt-dlp: one row, so the server, the CLI and a restarted process agree on
// which yt-dlp runs, what the last check found, and what a rollback returns to.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ytdlp_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    // 'auto': the managed yt-dlp when one is installed; 'system': the one on the PATH.
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('auto'))
    .addColumn('version', 'text')
    .addColumn('path', 'text')
    .addColumn('asset', 'text')
    .addColumn('sha256', 'text')
    .addColumn('channel', 'text')
    .addColumn('installed_at', 'text')
    .addColumn('previous_version', 'text')
    .addColumn('previous_path', 'text')
    .addColumn('previous_sha256', 'text')
    .addColumn('checked_at', 'text')
    .addColumn('error', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ytdlp_state').execute()
}
