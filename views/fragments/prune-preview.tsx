/** @jsxImportSource @kitajs/html */
import type { PrunePreview as Preview } from '../../src/playlists/retention'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** What the rules in force say, in words: "keep the newest 5 · videos older than 30 days · audio kept". */
export function retentionSummary(rules: Preview['rules']): string {
  const parts: string[] = []
  if ((rules.keep_newest ?? 0) > 0) parts.push(`keep the newest ${rules.keep_newest}`)
  if ((rules.delete_videos_after_days ?? 0) > 0) parts.push(`delete videos after ${plural(rules.delete_videos_after_days ?? 0, 'day', 'days')}`)
  if (parts.length === 0) return 'retention off'
  parts.push(rules.keep_audio ? 'audio kept' : 'audio deleted too')
  return parts.join(' · ')
}

/** The dry run: what the next prune would delete, entry by entry; nothing has been touched. */
export function PrunePreview({ preview }: { preview: Preview }) {
  const { entries, videos, audio } = preview
  return (
    <div class="prune-preview" role="status">
      <p>
        <span class="muted" safe>{`Dry run (${retentionSummary(preview.rules)}): `}</span>
        {entries.length === 0 ? (
          <span>the next prune would delete nothing.</span>
        ) : (
          <span
            safe
          >{`the next prune would delete ${plural(videos, 'video', 'videos')} and ${plural(audio, 'audio file', 'audio files')} of ${plural(entries.length, 'entry', 'entries')}:`}</span>
        )}
      </p>
      {entries.length > 0 ? (
        <ul class="prune-list">
          {entries.slice(0, 50).map((e) => (
            <li>
              <span safe>{e.title}</span>{' '}
              <span class="muted" safe>{`(${e.reason}; ${[e.video_path ? 'video' : '', e.audio_path ? 'audio' : ''].filter(Boolean).join(' and ')})`}</span>
            </li>
          ))}
          {entries.length > 50 ? <li class="muted" safe>{`and ${entries.length - 50} more`}</li> : ''}
        </ul>
      ) : (
        ''
      )}
    </div>
  )
}
