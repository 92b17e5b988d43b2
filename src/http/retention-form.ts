import type { RetentionSettings } from '../playlists/retention'

type RetentionForm = { keep_newest?: string; delete_videos_after_days?: string; keep_audio?: '' | 'true' | 'false' }

const count = (v: string | undefined) => (v === undefined ? undefined : v === '' ? null : Number(v))

/** The retention fields a form or query sent: absent stays unchanged, "" is the server default (null). */
export function retentionFromForm(body: RetentionForm): Partial<RetentionSettings> {
  const out: Partial<RetentionSettings> = {}
  const keep = count(body.keep_newest)
  const days = count(body.delete_videos_after_days)
  if (keep !== undefined) out.keep_newest = keep
  if (days !== undefined) out.delete_videos_after_days = days
  if (body.keep_audio !== undefined) out.keep_audio = body.keep_audio === '' ? null : body.keep_audio === 'true'
  return out
}
