import type { Kysely } from 'kysely'

// Login sessions: random ids the server can expire and revoke. Only a hash of each id is
// stored, and a MAC of the token it was made under (keyed by the id, so the table alone
// cannot confirm a guess at the token); a changed AUTH_TOKEN fails that check.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('token_mac', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sessions').execute()
}
