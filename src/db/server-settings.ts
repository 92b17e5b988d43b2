import type { DB } from './open'
import { now } from './time'

/** Where a saved value holds: for every node ('' in the `node` column) or for one node. */
export interface SavedSettings {
  /** Saved for every node: name → its text. */
  cluster: Map<string, string>
  /** Saved for this node only; wins over the cluster-wide value. */
  node: Map<string, string>
}

/** The settings saved on the settings page that hold for `node`: cluster-wide ones and its own. */
export async function savedSettings(db: DB, node: string): Promise<SavedSettings> {
  const rows = await db.selectFrom('server_settings').select(['node', 'name', 'value']).where('node', 'in', ['', node]).execute()
  const out: SavedSettings = { cluster: new Map(), node: new Map() }
  for (const r of rows) (r.node === '' ? out.cluster : out.node).set(r.name, r.value)
  return out
}

/** Values to save and names to forget for one node ('' for every node). */
export interface SettingChanges {
  node: string
  save: Map<string, string>
  forget: string[]
}

/**
 * Saves some values and forgets others (they go back to the cluster-wide value, the
 * environment's or the default), for each node named, all or none.
 */
export async function storeSettingChanges(db: DB, changes: SettingChanges[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const { node, save, forget } of changes) {
      for (const [name, value] of save)
        await trx
          .insertInto('server_settings')
          .values({ node, name, value, updated_at: now() })
          .onConflict((oc) => oc.columns(['node', 'name']).doUpdateSet({ value, updated_at: now() }))
          .execute()
      if (forget.length > 0) await trx.deleteFrom('server_settings').where('node', '=', node).where('name', 'in', forget).execute()
    }
  })
}

/** storeSettingChanges for one node; `node` '' saves for every node. */
export const storeSettings = (db: DB, save: Map<string, string>, forget: string[] = [], node = ''): Promise<void> =>
  storeSettingChanges(db, [{ node, save, forget }])
