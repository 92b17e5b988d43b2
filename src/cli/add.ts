import { playlistCounts } from '../db/playlists'
import { addPlaylist } from '../playlists/service'
import { playlistDir, mediaRoot } from '../library/paths'
import { checkUrlSyntax } from '../library/urls'
import { openContext } from '../server'
import { DATA_DIR_FLAG, configFor, type Command } from './command'

export const add: Command = {
  spec: {
    name: 'add',
    summary: 'Index a playlist with yt-dlp and store it; prints its id, title and entry count.',
    description: 'Nothing is downloaded yet: use "yt-serve run ID --type both" (or the web UI) for that.',
    positionals: [{ name: 'URL', required: true, help: 'the playlist (or channel, or feed) URL' }],
    flags: [DATA_DIR_FLAG, { name: 'json', help: 'print the stored playlist as JSON' }],
    examples: ['yt-serve add "https://www.youtube.com/playlist?list=PL…"'],
  },
  async run(args, io) {
    const config = configFor(add.spec, args)
    const url = checkUrlSyntax(args.positionals[0]) // before anything is created on disk
    const ctx = await openContext(config, (m) => io.err(m))
    try {
      const p = await addPlaylist(ctx, url)
      const counts = await playlistCounts(ctx.db, p.id)
      if (args.flags.json) {
        io.out(JSON.stringify({ id: p.id, title: p.title, url: p.url, folder: p.folder, entries: counts.entries }))
        return 0
      }
      io.out(`added playlist #${p.id} "${p.title}" with ${counts.entries} entries`)
      io.out(`  folder: ${playlistDir(mediaRoot(config), p.folder)}`)
      io.out(`  next:   yt-serve run ${p.id} --type both`)
      return 0
    } finally {
      await ctx.db.destroy()
    }
  },
}
