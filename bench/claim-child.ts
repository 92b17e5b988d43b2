// One claiming node for the claim benchmark (bench/cluster-claims.ts), in its own process:
//
//   bun bench/claim-child.ts '{"node": "c1", "jobId": 1, "databaseUrl": "postgres://…"}'   (or "sqlitePath")
//
// It does what a follower's scheduler does with a job's shared backlog, minus yt-dlp: read the
// free items (sharedWork, as the node agent's poll does), walk them in chunks of CLUSTER_CHUNK,
// lease each chunk (leaseItems, the real claim; a chunk another node took first comes back
// short), write each leased item's result and release the lease. It re-reads the backlog as
// soon as its list is used up (a real node waits for its next poll, POLL_MS) and stops when
// nothing is free. Prints "ready", starts on a line on stdin, prints one JSON line at the end.
import { findJob } from '../src/db/jobs'
import { leaseItems, releaseLeases, sharedWork } from '../src/db/leases'
import { openDatabase } from '../src/db/open'
import { openPostgres } from '../src/db/postgres'
import { now } from '../src/db/time'
import { updateVideo } from '../src/db/videos'
import { CLUSTER_CHUNK } from '../src/jobs/scheduler'

const spec = JSON.parse(process.argv[2]) as { node: string; jobId: number; databaseUrl?: string; sqlitePath?: string }
const db = spec.databaseUrl ? openPostgres(spec.databaseUrl) : openDatabase(spec.sqlitePath!)
const job = (await findJob(db, spec.jobId))!
console.log('ready')
for await (const _line of console) break

const startedAt = Date.now()
let claimed = 0
let chunks = 0
let lost = 0
let reads = 0
for (;;) {
  const work = await sharedWork(db, job, spec.node)
  reads++
  if (work.download.length === 0) break
  for (let i = 0; i < work.download.length; i += CLUSTER_CHUNK) {
    const ids = work.download.slice(i, i + CLUSTER_CHUNK)
    chunks++
    const until = new Date(Date.now() + 60_000).toISOString()
    const got = await leaseItems(db, spec.node, 'download', ids, until)
    lost += ids.length - got.length
    for (const id of got) await updateVideo(db, id, { download_state: 'downloaded', downloaded_at: now(), error: null })
    await releaseLeases(db, spec.node, got)
    claimed += got.length
  }
}
const endedAt = Date.now()
await db.destroy()
console.log(JSON.stringify({ node: spec.node, claimed, chunks, lost, reads, startedAt, endedAt }))
