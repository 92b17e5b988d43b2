import type { Video } from '../db/types'
import type { JobRun } from './job-run'

/** Cover art for the audio file; filled in with issue 7's thumbnail support. */
export async function coverFor(_run: JobRun, _video: Video): Promise<string | null> {
  return null
}
