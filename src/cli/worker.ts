import { existsSync } from 'node:fs'
import { playlistFolders } from '../db/playlists'
import { strandedAdvice, strandedFolders } from '../library/media-dir'
import { DomainError } from '../errors'
import { dbPath, openContext } from '../server'
import { JobManager } from '../jobs/manager'
import { killAllTools } from '../tools/spawn'
import { DATA_DIR_FLAG, configFor, type Command } from './command'

export const worker: Command = {
  spec: {
    name: 'worker',
    summary: 'Run a cluster node without a web UI: it downloads and/or extracts items of any job.',
    description:
      'Shares the database of a "serve" node (its DATABASE_URL, or the SQLite file of the same DATA_DIR)\n' +
      'and its media (the same DATA_DIR, a shared mount): it takes the items\n' +
      'no other node holds, under a lease it renews while it works (NODE_ROLES, DOWNLOAD_CONCURRENCY,\n' +
      'EXTRACT_CONCURRENCY, RATE_LIMIT, PROXY and SOURCE_ADDRESS are its own). If it dies, its items go\n' +
      'back to the other nodes once the lease (LEASE_SECONDS) runs out. See docs/cluster.md.',
    positionals: [],
    flags: [DATA_DIR_FLAG, { name: 'name', value: 'NAME', env: 'NODE_NAME', help: "this node's name in the cluster (default the host name)" }],
    examples: ['NODE_NAME=box2 SOURCE_ADDRESS=192.0.2.12 STAGING_DIR=/var/tmp/yt-serve yt-serve worker --data-dir /mnt/archive'],
  },
  async run(args, io) {
    const config = configFor(worker.spec, args)
    // On SQLite the file must be the serve node's (a typo in DATA_DIR would start an empty archive).
    if (!config.databaseUrl && !existsSync(dbPath(config)))
      throw new DomainError('not_found', `no database in ${config.dataDir}: start a "serve" node on it first`)
    if (config.nodeRoles.length === 0) throw new DomainError('invalid', 'NODE_ROLES is empty: a worker needs download and/or extract')
    const ctx = await openContext(config, (m) => io.out(m))
    const stranded = strandedFolders(config, await playlistFolders(ctx.db))
    if (stranded.length) io.out(`WARNING: ${strandedAdvice(config, stranded)}`)
    const manager = new JobManager(ctx)
    await manager.recoverNode()
    await manager.joinCluster('worker')
    io.out(`yt-serve worker ${config.nodeName} (${config.nodeRoles.join(', ')}) on ${config.dataDir}${config.mediaDir ? `, media in ${config.mediaDir}` : ''}`)
    let stopping: Promise<void> | null = null
    const stop = () =>
      (stopping ??= (async () => {
        await manager.shutdown()
        killAllTools('SIGKILL')
        await ctx.db.destroy()
      })())
    return new Promise<number>((resolve) => {
      const onSignal = (sig: string) => {
        if (stopping) return
        io.out(`${sig}: stopping; items in flight go back to the other nodes`)
        setTimeout(() => process.exit(1), 5000).unref()
        void stop().then(() => resolve(0))
      }
      process.on('SIGINT', () => onSignal('SIGINT'))
      process.on('SIGTERM', () => onSignal('SIGTERM'))
    })
  },
}
