import { checkExposure, clusterNode } from '../config'
import { startServer } from '../server'
import { DATA_DIR_FLAG, configFor, type Command } from './command'
import { acquireDataDirLock } from './lock'

export const serve: Command = {
  spec: {
    name: 'serve',
    summary: 'Run the web server (UI and JSON API). This is the default command.',
    description:
      'Listens on 127.0.0.1:8000 unless told otherwise. A non-loopback --host needs AUTH_TOKEN in the\n' +
      'environment, or --insecure-no-auth. Ctrl-C stops it; jobs in progress become resumable.',
    positionals: [],
    flags: [
      { name: 'host', value: 'HOST', env: 'HOST', help: 'address to listen on (default 127.0.0.1)' },
      { name: 'port', value: 'PORT', env: 'PORT', help: 'port to listen on, 0 for any free one (default 8000)' },
      DATA_DIR_FLAG,
      { name: 'insecure-no-auth', env: 'INSECURE_NO_AUTH', help: 'allow a non-loopback --host without AUTH_TOKEN' },
    ],
    examples: ['yt-serve serve --port 8080 --data-dir /srv/yt-serve'],
  },
  async run(args) {
    const config = configFor(serve.spec, args)
    checkExposure(config) // refuse before taking the data dir; startServer prints the warning
    acquireDataDirLock(config.dataDir, 'serve', clusterNode(config)) // released by the exit handler
    await startServer(config, { handleSignals: true })
    // startServer's signal handlers end the process.
    return new Promise<number>(() => {})
  },
}
