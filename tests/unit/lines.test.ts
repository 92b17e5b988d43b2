import { expect, test } from 'bun:test'
import { readLines } from '../../src/tools/lines'

function stream(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch))
      c.close()
    },
  })
}
const collect = async (s: AsyncGenerator<string>) => {
  const out: string[] = []
  for await (const l of s) out.push(l)
  return out
}

test('stdout: \\r and \\n both end a line, across chunk borders, multi-byte safe', async () => {
  const bytes = new TextEncoder().encode('a\r\nb\rcé\nd')
  const s = new ReadableStream<Uint8Array>({
    start(c) {
      for (const b of bytes) c.enqueue(new Uint8Array([b]))
      c.close()
    },
  })
  expect(await collect(readLines(s))).toEqual(['a', 'b', 'cé', 'd'])
})

test('stderr: a \\r inside a message does not split it', async () => {
  expect(await collect(readLines(stream('ERROR: \r[download] Got error\n', 'x\x1b[Ky\n'), { carriageReturnBreaks: false }))).toEqual([
    'ERROR: [download] Got error',
    'xy',
  ])
})
