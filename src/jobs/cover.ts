import type { Video } from '../db/types'
import type { JobRun } from './job-run'

/** Cover art comes with issue 7; until then extraction embeds none. */
export async function fetchCover(_run: JobRun, _video: Video): Promise<string | null> {
  return null
}
