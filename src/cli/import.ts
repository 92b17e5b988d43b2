import { resolve } from 'node:path'
import type { AppContext } from '../context'
import { IMPORT_MATCHES, type ImportMatchMode, type ImportRow } from '../playlists/import-match'
import { importArchive, importFolder, type ImportReport } from '../playlists/import'
import { findOrAddPlaylist } from '../playlists/service'
import type { Playlist } from '../db/types'
import { openContext } from '../server'
import { UsageError } from './args'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { resolvePlaylist } from './run'

/** A name from someone else's folder, printable: control characters (a terminal's escape sequences) shown as \xNN. */
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)

const ACTION_WORDS: Record<ImportRow['action'], string> = {
  adopt: 'would adopt',
  adopted: 'adopted',
  skip: 'skipped',
  refused: 'REFUSED',
  unknown: 'left alone',
}

function printReport(report: ImportReport, playlist: Playlist, out: (line: string) => void): void {
  out(
    `${report.applied ? 'import' : 'dry run'} of ${printable(report.dir)} into playlist #${playlist.id} "${printable(playlist.title)}" (match by ${report.match})`,
  )
  for (const r of report.rows) {
    const entry = r.entry ? `#${r.entry.position} ${printable(r.entry.title)}` : '-'
    out(`  ${ACTION_WORDS[r.action].padEnd(11)} ${(r.matched_by ?? '-').padEnd(9)} ${printable(r.file)}`)
    out(`              entry: ${entry}; ${printable(r.detail)}${r.destination ? ` → ${printable(r.destination)}` : ''}`)
  }
  if (report.not_scanned > 0) out(`  … ${report.not_scanned} more file(s) not looked at (the scan stops at 20000)`)
  const c = report.counts
  out(
    report.applied
      ? `${c.adopted} adopted, ${c.skip} skipped, ${c.refused} refused, ${c.unknown} left alone`
      : `${c.adopt} would be adopted, ${c.skip} skipped, ${c.refused} refused, ${c.unknown} left alone; nothing was changed` +
          (c.adopt > 0 ? ` (add --apply to ${report.link ? 'hard-link' : 'move'} them into the archive)` : ''),
  )
}

/** An id, or a URL: found however it is spelled, or added (and indexed) now, as the import needs its entries. */
async function playlistFor(ctx: AppContext, ref: string, say: (line: string) => void): Promise<Playlist> {
  if (/^#?\d+$/.test(ref.trim())) return resolvePlaylist(ctx.db, ref)
  const found = await findOrAddPlaylist(ctx, ref)
  if (!found.existing) say(`added playlist #${found.playlist.id} "${printable(found.playlist.title)}" with ${found.added} entries`)
  return found.playlist
}

export const importCommand: Command = {
  spec: {
    name: 'import',
    summary: 'Adopt files of an existing archive (yt-dlp names, .info.json) into a playlist; a dry run unless --apply.',
    description:
      'Files are matched to entries by the id in yt-dlp\'s default names ("Title [id].mp4") or their .info.json,\n' +
      'or with --match title by title (check the dry run first). Each matched file is checked with ffprobe and\n' +
      'ffmpeg; with --apply it is moved (or hard-linked with --link) where a download would have put it and\n' +
      'counted as downloaded (videos) or extracted (audio), so the next job fetches only what is missing.\n' +
      'Other files are listed and left alone; symbolic links are refused. Exits 1 when a file was refused.',
    positionals: [{ name: 'DIR', required: true, help: 'the folder holding the archive (read recursively)' }],
    flags: [
      { name: 'playlist', value: 'ID|URL', required: true, help: 'the playlist to import into (a URL not added yet is added first)' },
      { name: 'apply', help: 'move or link the matched files (without it: only show what would happen)' },
      { name: 'dry-run', help: 'only show what would happen (the default)' },
      { name: 'link', help: 'hard-link instead of moving, keeping the folder as it is (copies across filesystems)' },
      { name: 'match', value: 'HOW', choices: IMPORT_MATCHES, help: 'id (default): names and .info.json; title: also by title' },
      { name: 'json', help: 'print the report as JSON' },
      DATA_DIR_FLAG,
    ],
    examples: ['yt-serve import /mnt/old-archive --playlist 1', 'yt-serve import /mnt/old-archive --playlist 1 --match title --apply --link'],
  },
  async run(args, io) {
    if (args.flags.apply && args.flags['dry-run']) throw new UsageError('--apply and --dry-run contradict each other', 'import')
    const config = configFor(importCommand.spec, args)
    const root = await importFolder(config, resolve(args.positionals[0]))
    const ctx = await openContext(config, (m) => io.err(m))
    try {
      const playlist = await playlistFor(ctx, String(args.flags.playlist), (l) => io.err(l))
      const report = await importArchive(ctx, playlist.id, root, {
        apply: args.flags.apply === true,
        link: args.flags.link === true,
        match: (args.flags.match as ImportMatchMode | undefined) ?? 'id',
      })
      if (args.flags.json) io.out(JSON.stringify(report))
      else printReport(report, playlist, (l) => io.out(l))
      return report.counts.refused > 0 ? 1 : 0
    } finally {
      await ctx.db.destroy()
    }
  },
}
