import { VERSION } from '../version'
import type { Command } from './command'

export function versionLine(): string {
  const build = Bun.isStandaloneExecutable ? 'single binary' : 'from source'
  return `yt-serve ${VERSION} (bun ${Bun.version}, ${process.platform}-${process.arch}, ${build})`
}

export const version: Command = {
  spec: { name: 'version', summary: 'Print the version of yt-serve and of the Bun runtime inside it.', positionals: [], flags: [] },
  async run(_args, io) {
    io.out(versionLine())
    return 0
  },
}
