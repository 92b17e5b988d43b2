import { toJob, listJobs } from '../db/jobs'
import { listPlaylists, type PlaylistWithCounts } from '../db/playlists'
import type { Job } from '../db/types'
import { storeName } from '../server'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { UsageError } from './args'
import { openExisting } from './db-state'
import { lockHolder, type LockInfo } from './lock'
import { itemStats, summaryLine } from './progress-bars'

export interface StatusReport {
  data_dir: string
  /** null when there is no database yet. */
  database: string | null
  /** The serve or run process that currently owns the data dir, if any. */
  owner: LockInfo | null
  playlists: PlaylistWithCounts[]
  jobs: Job[]
}

export function formatStatus(r: StatusReport): string[] {
  const lines = [`data dir: ${r.data_dir}`]
  if (r.owner) lines.push(`in use by: yt-serve ${r.owner.command} (pid ${r.owner.pid}, since ${r.owner.started_at})`)
  if (!r.database) {
    lines.push('no database yet: add a playlist (yt-serve add URL) or start the server')
    return lines
  }
  const titles = new Map(r.playlists.map((p) => [p.id, p.title]))
  lines.push('', `Playlists (${r.playlists.length}):`)
  if (!r.playlists.length) lines.push('  none yet: yt-serve add URL')
  for (const p of r.playlists) {
    const c = p.counts
    lines.push(
      `  #${p.id}  ${p.title}: ${c.entries} entries, ${c.downloaded} downloaded, ${c.extracted} extracted, ${c.failed} failed` +
        `${c.skipped ? `, ${c.skipped} skipped` : ''}${c.missing ? `, ${c.missing} gone upstream` : ''}`,
    )
  }
  lines.push('', `Jobs (${r.jobs.length} most recent):`)
  if (!r.jobs.length) lines.push('  none yet')
  for (const j of r.jobs) {
    const when = j.finished_at ?? j.started_at ?? j.created_at
    lines.push(`  #${j.id}  ${j.type} of #${j.playlist_id} "${titles.get(j.playlist_id) ?? '?'}": ${j.status}, ${summaryLine(j)}  (${when})`)
    if (j.error && j.status !== 'completed') lines.push(`        ${j.error}`)
    for (const item of j.current) lines.push(`        ${item.phase === 'download' ? '↓' : '♪'} ${item.title}  ${itemStats(item)}`)
  }
  return lines
}

export const status: Command = {
  spec: {
    name: 'status',
    summary: 'Show playlists and recent jobs from the database.',
    description: 'Read-only: safe while a server or a "run" is working on the same data dir (it shows their live progress).',
    positionals: [],
    flags: [
      DATA_DIR_FLAG,
      { name: 'json', help: 'print JSON instead of text' },
      { name: 'limit', value: 'N', help: 'how many recent jobs to show (default 20)' },
    ],
  },
  async run(args, io) {
    const config = configFor(status.spec, args)
    const rawLimit = args.flags.limit
    const limit = rawLimit === undefined ? 20 : Number(rawLimit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new UsageError(`--limit must be a whole number from 1 to 1000, got "${rawLimit}"`, 'status')
    const path = storeName(config)
    const report: StatusReport = { data_dir: config.dataDir, database: null, owner: lockHolder(config.dataDir), playlists: [], jobs: [] }
    const db = await openExisting(config, (names) => io.err(`applied pending migrations: ${names.join(', ')}`))
    if (db) {
      try {
        report.database = path
        report.playlists = await listPlaylists(db)
        report.jobs = (await listJobs(db, { limit })).map((row) => toJob(row))
      } finally {
        await db.destroy()
      }
    }
    if (args.flags.json) io.out(JSON.stringify(report, null, 2))
    else for (const line of formatStatus(report)) io.out(line)
    return 0
  },
}
