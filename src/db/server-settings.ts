import type { DB } from './open'
import { now } from './time'

/** The settings saved on the settings page: name → its text. */
export async function savedSettings(db: DB): Promise<Map<string, string>> {
  const rows = await db.selectFrom('server_settings').select(['name', 'value']).execute()
  return new Map(rows.map((r) => [r.name, r.value]))
}

/** Saves some values and forgets others (they go back to the environment's or the default), all or none. */
export async function storeSettings(db: DB, save: Map<string, string>, forget: string[] = []): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [name, value] of save)
      await trx
        .insertInto('server_settings')
        .values({ name, value, updated_at: now() })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now() }))
        .execute()
    if (forget.length > 0) await trx.deleteFrom('server_settings').where('name', 'in', forget).execute()
  })
}
