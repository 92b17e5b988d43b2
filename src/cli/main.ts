import { ConfigError } from '../config'
import { DomainError, type ErrorKind } from '../errors'
import { ToolMissingError } from '../tools/spawn'
import { add } from './add'
import { backup } from './backup'
import { helpText, parseArgs, suggest, usageLine, UsageError } from './args'
import type { Command } from './command'
import { doctor } from './doctor'
import { importCommand } from './import'
import { processIo, type Io } from './io'
import { migrate } from './migrate'
import { migrateDb } from './migrate-db'
import { run } from './run'
import { serve } from './serve'
import { status } from './status'
import { verify } from './verify'
import { version, versionLine } from './version'
import { worker } from './worker'
import { ytdlp } from './ytdlp'

export const COMMANDS: Record<string, Command> = {
  serve,
  worker,
  doctor,
  migrate,
  'migrate-db': migrateDb,
  add,
  run,
  status,
  verify,
  import: importCommand,
  backup,
  ytdlp,
  version,
}

export function globalHelp(): string {
  const rows = Object.values(COMMANDS).map((c) => `  ${c.spec.name.padEnd(12)}${c.spec.summary}`)
  return [
    'usage: yt-serve [COMMAND] [OPTIONS]',
    '',
    'Archive playlists with yt-dlp and extract their audio with ffmpeg.',
    '',
    'Commands:',
    ...rows,
    '',
    'Without a command, yt-serve runs "serve". "yt-serve COMMAND --help" lists the options of a command.',
    'Settings come from the environment and ./.env (see the README); command-line flags override them.',
    'Exit status: 0 success, 1 failure (failed check or items), 2 usage or user error, 130 cancelled.',
  ].join('\n')
}

/**
 * The exit status of each kind of domain error: the user can fix the first three (2, with the
 * usage), the last is a failure of the moment (1).
 */
const EXIT_OF: Record<ErrorKind, 1 | 2> = { not_found: 2, conflict: 2, invalid: 2, unavailable: 1 }

/** Prints an error the way its kind deserves and returns the exit status. */
export function reportError(err: unknown, command: Command | null, io: Io): number {
  const usage = () => {
    if (command) {
      io.err(usageLine(command.spec))
      io.err(`Run "yt-serve ${command.spec.name} --help" for details.`)
    } else io.err('usage: yt-serve [COMMAND] [OPTIONS]; run "yt-serve --help" for the commands.')
  }
  if (err instanceof UsageError || err instanceof ConfigError || (err instanceof DomainError && EXIT_OF[err.kind] === 2)) {
    io.err(`yt-serve: ${err.message}`)
    usage()
    return 2
  }
  if (err instanceof DomainError || err instanceof ToolMissingError) {
    io.err(`yt-serve: ${err.message}`)
    return 1
  }
  const message = err instanceof Error ? err.message : String(err)
  io.err(`yt-serve: ${message}`)
  if (process.env.YT_SERVE_DEBUG && err instanceof Error && err.stack) io.err(err.stack)
  else io.err('(set YT_SERVE_DEBUG=1 for a stack trace)')
  return 1
}

/** Entry point: returns the exit status. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [first, ...rest] = argv
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined
    if (topic && COMMANDS[topic]) io.out(helpText(COMMANDS[topic].spec))
    else if (topic) return reportError(new UsageError(`unknown command "${topic}"`), null, io)
    else io.out(globalHelp())
    return 0
  }
  if (first === '--version' || first === '-V') {
    io.out(versionLine())
    return 0
  }
  // No command, or only options: "serve".
  const implicit = first === undefined || first.startsWith('-')
  const name = implicit ? 'serve' : first
  const command = COMMANDS[name]
  if (!command) {
    const near = suggest(name, Object.keys(COMMANDS))
    return reportError(new UsageError(`unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}`), null, io)
  }
  try {
    const args = parseArgs(command.spec, implicit ? argv : rest)
    if (args.help) {
      io.out(helpText(command.spec))
      return 0
    }
    return await command.run(args, io)
  } catch (err) {
    return reportError(err, command, io)
  }
}
