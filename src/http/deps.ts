import type { AppContext } from '../context'
import type { JobManager } from '../jobs/manager'

/** What every controller gets; built once in createApp. */
export interface Deps {
  ctx: AppContext
  manager: JobManager
}
