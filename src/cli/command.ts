import { loadConfig, type Config } from '../config'
import { envOverrides, type CommandSpec, type FlagSpec, type ParsedArgs } from './args'
import type { Io } from './io'

export interface Command {
  spec: CommandSpec
  /** Returns the exit status; throws UsageError / DomainError / ConfigError for user mistakes. */
  run(args: ParsedArgs, io: Io): Promise<number>
}

export const DATA_DIR_FLAG: FlagSpec = { name: 'data-dir', value: 'DIR', env: 'DATA_DIR', help: 'where the database and the files live (default ./data)' }

/** Environment (and ./.env) merged with this command's flags. */
export function configFor(spec: CommandSpec, args: ParsedArgs): Config {
  return loadConfig(envOverrides(spec, args))
}
