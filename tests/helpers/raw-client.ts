import { connect } from 'node:net'

export interface RawReply {
  status: number
  headers: Map<string, string>
  body: string
}

/**
 * One HTTP/1.1 request written byte for byte (Connection: close), optionally from another
 * loopback source address: what fetch cannot do (chunked framing by hand, a second client IP).
 */
export function rawRequest(port: number, head: string, body = '', localAddress?: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => socket.end(`${head.trimEnd()}\r\nConnection: close\r\n\r\n${body}`))
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [top, ...rest] = text.split('\r\n\r\n')
      const [statusLine, ...lines] = top.split('\r\n')
      const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]))
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
    })
  })
}
