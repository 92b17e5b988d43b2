import { DomainError } from '../errors'
import { verifyFiles } from '../playlists/verify'
import { openContext } from '../server'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { storeExists } from './db-state'
import { resolvePlaylist } from './run'

export const verify: Command = {
  spec: {
    name: 'verify',
    summary: 'Check that every file the archive counts is on disk; missing ones are marked to be fetched again.',
    description:
      'Exits 0 when everything is in place and 1 when files were missing (they go back to pending, so the\n' +
      'next "yt-serve run PLAYLIST --type both" restores them). Refused while a job of the playlist runs.',
    positionals: [{ name: 'PLAYLIST', required: true, help: 'the playlist id (see "yt-serve status") or its URL' }],
    flags: [DATA_DIR_FLAG, { name: 'json', help: 'print the report as JSON' }],
    examples: ['yt-serve verify 1', 'yt-serve verify 1 --json'],
  },
  async run(args, io) {
    const config = configFor(verify.spec, args)
    if (!storeExists(config)) throw new DomainError('not_found', `no database in ${config.dataDir} yet: add a playlist first (yt-serve add URL)`)
    const ctx = await openContext(config, (m) => io.err(m))
    try {
      const playlist = await resolvePlaylist(ctx.db, args.positionals[0])
      const report = await verifyFiles(ctx, playlist.id)
      const lost = report.videos_missing + report.audio_missing + report.chapters_missing
      if (args.flags.json) io.out(JSON.stringify(report))
      else {
        io.out(`playlist #${playlist.id} "${playlist.title}": ${report.checked} archived file(s) checked`)
        for (const m of report.missing) io.out(`  missing ${m.file}: ${m.path} (${m.title})`)
        if (lost > report.missing.length) io.out(`  … and ${lost - report.missing.length} more`)
        io.out(
          lost === 0
            ? 'all files are in place'
            : `${report.videos_missing} video and ${report.audio_missing} audio file(s) missing${report.chapters_missing ? `, and ${report.chapters_missing} chapter file(s)` : ''}: marked to be fetched again (yt-serve run ${playlist.id} --type both)`,
        )
      }
      return lost === 0 ? 0 : 1
    } finally {
      await ctx.db.destroy()
    }
  },
}
