import type { SelectQueryBuilder } from 'kysely'
import { isPostgres } from './dialect'
import type { DB } from './open'
import { now } from './time'
import type { ItemProgress, JobRow } from './types'

// Item leases: a node takes an item by writing its name and an expiry on the row, renews the
// expiry while it works (its heartbeat), and clears it when done. A lease that ran out belongs
// to a dead node: any node gives the item back (reclaimExpired) and another takes it.

export type LeasePhase = 'download' | 'extract'

const stateOf = (phase: LeasePhase) => (phase === 'download' ? 'download_state' : 'extract_state')
const inFlight = (phase: LeasePhase) => (phase === 'download' ? 'downloading' : 'extracting')

/**
 * On PostgreSQL a claim reads its rows with FOR UPDATE SKIP LOCKED, so two claimers never wait
 * on or take the same row. SQLite has no row locks (Kysely would emit the clause verbatim, a
 * syntax error there); its one writer at a time already serializes the claim's single UPDATE.
 */
function lockable<O>(db: DB, qb: SelectQueryBuilder<any, any, O>): SelectQueryBuilder<any, any, O> {
  return isPostgres(db) ? qb.forUpdate().skipLocked() : qb
}

/**
 * Leases those of `ids` that wait in `phase` and are free (no lease, an expired one, or this
 * node's own) to `node` until `until`. One statement: an UPDATE whose WHERE re-checks the lease,
 * so of two nodes racing for an item exactly one gets it. Returns the ids leased.
 */
export async function leaseItems(db: DB, node: string, phase: LeasePhase, ids: number[], until: string): Promise<number[]> {
  if (ids.length === 0) return []
  const t = now()
  const out: number[] = []
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500)
    const rows = await db
      .updateTable('videos')
      .set({ lease_node: node, lease_until: until })
      .where('id', 'in', (eb) =>
        lockable(
          db,
          eb
            .selectFrom('videos as free')
            .select('free.id')
            .where('free.id', 'in', slice)
            .where(`free.${stateOf(phase)}`, 'in', ['pending', inFlight(phase)])
            .where((w) => w.or([w('free.lease_node', 'is', null), w('free.lease_until', '<', t), w('free.lease_node', '=', node)])),
        ),
      )
      .returning('id')
      .execute()
    out.push(...rows.map((r) => r.id))
  }
  const got = new Set(out)
  return ids.filter((id) => got.has(id))
}

/** The node's heartbeat: every lease it holds runs until `until`. */
export async function renewLeases(db: DB, node: string, until: string): Promise<number> {
  const r = await db.updateTable('videos').set({ lease_until: until }).where('lease_node', '=', node).executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** The node is done with these items (ended, given back): free for anyone, live progress gone. */
export async function releaseLeases(db: DB, node: string, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db
      .updateTable('videos')
      .set({ lease_node: null, lease_until: null, live_progress: null })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('lease_node', '=', node)
      .execute()
}

/** Every lease of `node` (its clean stop, or its restart: nothing it held before runs now). */
export async function releaseAllLeases(db: DB, node: string): Promise<void> {
  await db.updateTable('videos').set({ lease_node: null, lease_until: null, live_progress: null }).where('lease_node', '=', node).execute()
}

/**
 * A node stops helping with a job (its writes failed): its items of the job in flight go back
 * to pending and its leases on them go, so any node may take them.
 */
export async function giveBackJobItems(db: DB, node: string, jobId: number): Promise<void> {
  const held = (eb: any) => eb.and([eb('lease_node', '=', node), eb.or([eb('download_job_id', '=', jobId), eb('extract_job_id', '=', jobId)])])
  await db.updateTable('videos').set({ download_state: 'pending' }).where('download_state', '=', 'downloading').where(held).execute()
  await db.updateTable('videos').set({ extract_state: 'pending' }).where('extract_state', '=', 'extracting').where(held).execute()
  await db.updateTable('videos').set({ lease_node: null, lease_until: null, live_progress: null }).where(held).execute()
}

/**
 * Items whose lease ran out: their node died mid-item. The phase in flight goes back to pending
 * (a download restarts; yt-dlp on another node has no .part of it) and the lease is cleared.
 * Conditional on the expiry, so a node that renewed meanwhile keeps its items. Returns how many.
 */
export async function reclaimExpired(db: DB, at = now()): Promise<number> {
  const expired = await db.selectFrom('videos').select('id').where('lease_until', '<', at).execute()
  if (expired.length === 0) return 0
  const ids = expired.map((r) => r.id)
  let n = 0
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500)
    await db
      .updateTable('videos')
      .set({ download_state: 'pending' })
      .where('id', 'in', slice)
      .where('lease_until', '<', at)
      .where('download_state', '=', 'downloading')
      .execute()
    await db
      .updateTable('videos')
      .set({ extract_state: 'pending' })
      .where('id', 'in', slice)
      .where('lease_until', '<', at)
      .where('extract_state', '=', 'extracting')
      .execute()
    const r = await db
      .updateTable('videos')
      .set({ lease_node: null, lease_until: null, live_progress: null })
      .where('id', 'in', slice)
      .where('lease_until', '<', at)
      .executeTakeFirst()
    n += Number(r.numUpdatedRows)
  }
  return n
}

/** Where one job's work stands across the cluster, as a node that is not running it all sees it. */
export interface SharedWork {
  /** Waiting in the phase (or left in flight by a node whose lease ran out), leased by nobody: any node may take them (playlist order). */
  download: number[]
  extract: number[]
  /** Leased by other nodes (running or about to): the phase is not over while any remain. */
  elsewhere: { download: number; extract: number }
  /** Live progress other nodes wrote for their items in flight. */
  live: ItemProgress[]
}

export async function sharedWork(db: DB, job: Pick<JobRow, 'id' | 'type'>, node: string): Promise<SharedWork> {
  const rows = await db
    .selectFrom('videos')
    .select(['id', 'download_state', 'extract_state', 'download_job_id', 'extract_job_id', 'lease_node', 'lease_until', 'live_progress'])
    .where((eb) => eb.or([eb('download_job_id', '=', job.id), eb('extract_job_id', '=', job.id)]))
    .orderBy('position')
    .execute()
  const t = now()
  const out: SharedWork = { download: [], extract: [], elsewhere: { download: 0, extract: 0 }, live: [] }
  for (const r of rows) {
    const leasedElsewhere = r.lease_node !== null && r.lease_node !== node && r.lease_until !== null && r.lease_until >= t
    const free = r.lease_node === null || (r.lease_until !== null && r.lease_until < t)
    const dl = job.type !== 'extract' && r.download_job_id === job.id && (r.download_state === 'pending' || r.download_state === 'downloading')
    const ex = job.type !== 'download' && r.extract_job_id === job.id && (r.extract_state === 'pending' || r.extract_state === 'extracting')
    // Another node's item in flight whose lease ran out (the node is silent, or the lease
    // expired between reclaimExpired's read and this one) is free work like a pending one,
    // never "over": else the owner could end the job with it still marked downloading. This
    // node's own item in flight is its own to finish, whatever its lease says.
    const orphan = free && r.lease_node !== node
    if (dl && leasedElsewhere) out.elsewhere.download++
    else if (dl && free && (r.download_state === 'pending' || orphan)) out.download.push(r.id)
    else if (ex && leasedElsewhere) out.elsewhere.extract++
    else if (ex && free && r.download_state === 'downloaded' && (r.extract_state === 'pending' || orphan)) out.extract.push(r.id)
    if (leasedElsewhere && r.live_progress && (dl || ex)) {
      try {
        out.live.push(JSON.parse(r.live_progress))
      } catch {}
    }
  }
  return out
}

/** Jobs (running, in the database) with work no node has leased (pending, or in flight under a lease that ran out): what an idle node may help with. */
export async function jobsWithFreeWork(db: DB): Promise<number[]> {
  const t = now()
  const free = (eb: any) => eb.or([eb('videos.lease_node', 'is', null), eb('videos.lease_until', '<', t)])
  const dl = await db
    .selectFrom('videos')
    .innerJoin('jobs', 'jobs.id', 'videos.download_job_id')
    .select('jobs.id')
    .distinct()
    .where('jobs.status', '=', 'running')
    .where('jobs.type', '!=', 'extract')
    .where('videos.download_state', 'in', ['pending', 'downloading'])
    .where(free)
    .execute()
  const ex = await db
    .selectFrom('videos')
    .innerJoin('jobs', 'jobs.id', 'videos.extract_job_id')
    .select('jobs.id')
    .distinct()
    .where('jobs.status', '=', 'running')
    .where('jobs.type', '!=', 'download')
    .where('videos.extract_state', 'in', ['pending', 'extracting'])
    .where('videos.download_state', '=', 'downloaded')
    .where(free)
    .execute()
  return [...new Set([...dl, ...ex].map((r) => r.id))]
}

/** The node's live progress of an item it holds (throttled by the caller). */
export async function writeLiveProgress(db: DB, node: string, p: ItemProgress): Promise<void> {
  await db
    .updateTable('videos')
    .set({ live_progress: JSON.stringify(p) })
    .where('id', '=', p.video_id)
    .where('lease_node', '=', node)
    .execute()
}

/**
 * A named lease for a chore that runs once cluster-wide: taken when free or expired (or
 * already ours), renewed by taking it again. True when `node` holds it until `until`.
 */
export async function holdClusterLease(db: DB, name: string, node: string, until: string): Promise<boolean> {
  const t = now()
  await db
    .insertInto('cluster_leases')
    .values({ name, node, until })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ node, until })
        .where((eb) => eb.or([eb('cluster_leases.node', '=', node), eb('cluster_leases.until', '<', t)])),
    )
    .execute()
  const row = await db.selectFrom('cluster_leases').select('node').where('name', '=', name).executeTakeFirst()
  return row?.node === node
}
