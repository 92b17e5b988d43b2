// The real server (startServer) in its own process, for the scale benchmark:
//   bun bench/serve-child.ts '{"DATA_DIR": "...", ...env}'
// Prints {"url": ...} once listening; SIGTERM stops it gracefully.
import { parseConfig } from '../src/config'
import { startServer } from '../src/server'

const env = JSON.parse(process.argv[2]) as Record<string, string>
const server = await startServer(parseConfig({ HOST: '127.0.0.1', PORT: '0', ALLOW_PRIVATE_URLS: 'true', ...env }), { handleSignals: true })
console.log(JSON.stringify({ url: server.url, pid: process.pid }))
