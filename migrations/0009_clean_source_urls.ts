import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect'

// An entry's source_url is the URL a person opens: yt-dlp's smuggled data
// ("…#__youtubedl_smuggle=…") moves out of it. What the download still needs besides the id
// (a referer, say) goes to smuggled_data; the generic extractor's force_videoid goes, since
// the download smuggles our own id in its place.

const MARK = '#__youtubedl_smuggle='

/** Frozen copy of unsmuggle and keptSmuggledData (src/tools/ytdlp.ts) as of this migration: migrations never import application code. */
function split(raw: string): { url: string; kept: string | null } {
  const i = raw.indexOf(MARK)
  if (i < 0) return { url: raw, kept: null }
  let data: Record<string, unknown> = {}
  try {
    const parsed = JSON.parse(decodeURIComponent(raw.slice(i + MARK.length).replace(/\+/g, ' ')))
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed
  } catch {}
  const { force_videoid: _id, ...rest } = data
  return { url: raw.slice(0, i), kept: Object.keys(rest).length > 0 ? JSON.stringify(rest) : null }
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('videos').addColumn('smuggled_data', 'text').execute()
  const rows: { id: number; source_url: string }[] = await db
    .selectFrom('videos')
    .select(['id', 'source_url'])
    // A literal substring test (LIKE would read the mark's underscores as wildcards); PostgreSQL has no instr.
    .where(isPostgres(db) ? sql<boolean>`strpos(source_url, ${MARK}) > 0` : sql<boolean>`instr(source_url, ${MARK}) > 0`)
    .execute()
  for (const row of rows) {
    const { url, kept } = split(row.source_url)
    await db.updateTable('videos').set({ source_url: url, smuggled_data: kept }).where('id', '=', row.id).execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('videos').dropColumn('smuggled_data').execute()
}
