import type { Config } from '../config'
import type { DB } from '../db/open'

/** What the job layer needs from the outside world; tests build one over a temp dir. */
export interface AppContext {
  db: DB
  config: Config
  log: (message: string) => void
}
