import { openContext } from '../server'
import { YTDLP_STALE_DAYS } from '../tools/ytdlp-release'
import { YtdlpUpdater, type YtdlpStatus } from '../ytdlp/updater'
import { UsageError } from './args'
import { DATA_DIR_FLAG, configFor, type Command } from './command'

const ACTIONS = ['status', 'update', 'rollback', 'use-system'] as const

export function formatYtdlpStatus(s: YtdlpStatus): string[] {
  const u = s.in_use
  const age =
    u.age_days === null ? '' : `, released ${u.age_days} days ago${u.stale ? ` (older than ${YTDLP_STALE_DAYS} days: run "yt-serve ytdlp update")` : ''}`
  const m = s.managed
  return [
    `in use: ${u.version ?? 'unknown version'} at ${u.path}${age}`,
    `  why: ${u.why}`,
    `managed: ${m.version ? `${m.version} (${m.asset}, installed ${m.installed_at})` : 'none installed'}${m.previous_version ? `; previous ${m.previous_version} (rollback)` : ''}${m.use_system ? '; not used (use-system)' : ''}`,
    `channel: ${s.channel} from ${s.releases_url}, asset ${s.asset}; auto-update ${s.auto_update}`,
    `last check: ${m.checked_at ?? 'never'}${m.error ? `; last error: ${m.error}` : ''}`,
  ]
}

export const ytdlp: Command = {
  spec: {
    name: 'ytdlp',
    summary: 'Show, update or roll back the managed yt-dlp, or go back to the system one.',
    description:
      'status: which yt-dlp runs and why. update: download the release for YTDLP_CHANNEL, verify it against SHA2-256SUMS, ' +
      'test it and switch to it (after any running download chunk). rollback: back to the previous version. ' +
      'use-system: run the yt-dlp on the PATH again. A failed update changes nothing and exits 1.',
    positionals: [{ name: 'ACTION', required: true, help: ACTIONS.join(' | ') }],
    flags: [DATA_DIR_FLAG, { name: 'json', help: 'print the result as JSON' }],
    examples: ['yt-serve ytdlp status', 'yt-serve ytdlp update', 'YTDLP_CHANNEL=nightly yt-serve ytdlp update', 'yt-serve ytdlp rollback --json'],
  },
  async run(args, io) {
    const action = args.positionals[0] as (typeof ACTIONS)[number]
    if (!ACTIONS.includes(action)) throw new UsageError(`ACTION must be one of ${ACTIONS.join(', ')}, got "${action}"`, 'ytdlp')
    const json = args.flags.json === true
    const config = configFor(ytdlp.spec, args)
    const ctx = await openContext(config, json ? () => {} : (m) => io.err(m))
    try {
      const updater = new YtdlpUpdater(ctx)
      if (action === 'update') {
        if (config.ytdlpPath && !json) io.err(`note: YTDLP_PATH is set (${config.ytdlpPath}), so the managed yt-dlp is installed but not used`)
        const r = await updater.update()
        if (!json)
          io.out(
            r.outcome === 'installed'
              ? `yt-dlp ${r.version} installed${r.previous_version ? ` (${r.previous_version} kept for rollback)` : ''}`
              : `yt-dlp ${r.version} is up to date`,
          )
      } else if (action === 'rollback') {
        const s = await updater.rollback()
        if (!json) io.out(`yt-dlp rolled back to ${s.version}`)
      } else if (action === 'use-system') {
        await updater.useSystem()
        if (!json) io.out('the system yt-dlp runs from now on ("yt-serve ytdlp update" switches back to the managed one)')
      }
      const status = await updater.status()
      if (json) io.out(JSON.stringify(status))
      else if (action === 'status') for (const line of formatYtdlpStatus(status)) io.out(line)
      return 0
    } finally {
      await ctx.db.destroy()
    }
  },
}
