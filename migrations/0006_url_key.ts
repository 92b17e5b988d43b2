import type { Kysely } from 'kysely'

// One playlist per URL, however it is spelled: `url` keeps what the user typed, `url_key`
// the form every spelling shares, under a unique index. Rows added before this share a key
// only with a duplicate that slipped in; the oldest keeps it and the others stay null
// (listed as before, and no new spelling of them can be added).

/** Frozen copy of urlKey (src/library/urls.ts) as of this migration: migrations never import application code. */
function urlKey(raw: string): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return raw.trim()
  }
  const host = url.host.replace(/\.(?=:|$)/, '')
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') || '/' : url.pathname
  return `${url.protocol}//${host}${path}${url.search}${url.hash}`
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('playlists').addColumn('url_key', 'text').execute()
  const rows: { id: number; url: string }[] = await db.selectFrom('playlists').select(['id', 'url']).orderBy('id').execute()
  const seen = new Set<string>()
  for (const row of rows) {
    const key = urlKey(row.url)
    if (seen.has(key)) continue
    seen.add(key)
    await db.updateTable('playlists').set({ url_key: key }).where('id', '=', row.id).execute()
  }
  await db.schema.createIndex('playlists_url_key').unique().on('playlists').column('url_key').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('playlists_url_key').execute()
  await db.schema.alterTable('playlists').dropColumn('url_key').execute()
}
