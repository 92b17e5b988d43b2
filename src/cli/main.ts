import { ConfigError, loadConfig } from '../config'
import { startServer } from '../server'

/** Entry point; returns the exit code. The full command line grows in src/cli/. */
export async function main(argv: string[]): Promise<number> {
  const [cmd = 'serve', ...rest] = argv
  if (cmd !== 'serve') {
    console.error(`unknown command "${cmd}"`)
    return 2
  }
  const flags: Record<string, string> = {}
  for (let i = 0; i < rest.length; i++) {
    const [k, v] = rest[i].split('=')
    const val = v ?? rest[++i]
    if (k === '--port') flags.PORT = val
    else if (k === '--host') flags.HOST = val
    else if (k === '--data-dir') flags.DATA_DIR = val
  }
  try {
    await startServer(loadConfig(flags))
    await new Promise(() => {})
    return 0
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`yt-serve: ${err.message}`)
      return 2
    }
    throw err
  }
}
