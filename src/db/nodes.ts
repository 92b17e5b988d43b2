import type { DB } from './open'
import { now } from './time'
import type { DownloadPoolState, NodeRole, NodeRow, NodeTable } from './types'

export type NodeState = 'active' | 'stopped' | 'lost'

export interface NodeInfo extends Omit<NodeRow, 'roles' | 'backoff'> {
  roles: NodeRole[]
  state: NodeState
  /** Items this node holds a live lease on: what it works on now. */
  current: { video_id: number; title: string; job_id: number | null; phase: 'download' | 'extract' }[]
  backoff: DownloadPoolState | null
}

/** A node's start, and every heartbeat after it: the row says who it is and that it is alive. */
export async function heartbeat(db: DB, node: Omit<NodeTable, 'heartbeat_at' | 'stopped_at'>): Promise<void> {
  const t = now()
  await db
    .insertInto('nodes')
    .values({ ...node, heartbeat_at: t, stopped_at: null })
    .onConflict((oc) => oc.column('name').doUpdateSet({ ...node, heartbeat_at: t, stopped_at: null }))
    .execute()
}

export async function markNodeStopped(db: DB, name: string): Promise<void> {
  await db.updateTable('nodes').set({ stopped_at: now() }).where('name', '=', name).execute()
}

export const nodeState = (n: Pick<NodeRow, 'stopped_at' | 'heartbeat_at' | 'lease_seconds'>, at = Date.now()): NodeState =>
  n.stopped_at ? 'stopped' : at - Date.parse(n.heartbeat_at) > n.lease_seconds * 1000 ? 'lost' : 'active'

/** Names of the other nodes alive now (not stopped, heard from within their lease). */
export async function livePeers(db: DB, self: string): Promise<string[]> {
  const rows = await db.selectFrom('nodes').selectAll().where('name', '!=', self).where('stopped_at', 'is', null).execute()
  return rows.filter((r) => nodeState(r) === 'active').map((r) => r.name)
}

/**
 * The other nodes not alive now (lost: silent longer than their lease; or stopped), with the
 * heartbeat they were last seen with: whose jobs a live `serve` may take over (takeOverJob).
 */
export async function silentNodes(db: DB, self: string): Promise<Pick<NodeRow, 'name' | 'heartbeat_at'>[]> {
  const rows = await db.selectFrom('nodes').selectAll().where('name', '!=', self).execute()
  return rows.filter((r) => nodeState(r) !== 'active').map((r) => ({ name: r.name, heartbeat_at: r.heartbeat_at }))
}

export async function listNodes(db: DB): Promise<NodeInfo[]> {
  const rows = await db.selectFrom('nodes').selectAll().orderBy('name').execute()
  const t = now()
  const held = await db
    .selectFrom('videos')
    .select(['id', 'title', 'lease_node', 'download_state', 'download_job_id', 'extract_job_id'])
    .where('lease_node', 'is not', null)
    .where('lease_until', '>=', t)
    .orderBy('position')
    .execute()
  return rows.map((r) => {
    let backoff: DownloadPoolState | null = null
    try {
      backoff = r.backoff ? JSON.parse(r.backoff) : null
    } catch {}
    const current = held
      .filter((h) => h.lease_node === r.name)
      .map((h) => {
        const phase = h.download_state === 'downloaded' ? ('extract' as const) : ('download' as const)
        return { video_id: h.id, title: h.title, job_id: phase === 'download' ? h.download_job_id : h.extract_job_id, phase }
      })
    return { ...r, roles: r.roles ? (r.roles.split(',') as NodeRole[]) : [], state: nodeState(r), current, backoff }
  })
}
