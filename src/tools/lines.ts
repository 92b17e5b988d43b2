/**
 * Splits a byte stream into lines. On stdout, \r counts as a break because progress
 * bars rewrite lines with it; on stderr it is dropped instead, since yt-dlp writes
 * "ERROR: \r[download] …" to clear a progress line in the middle of one message.
 */
export async function* readLines(stream: ReadableStream<Uint8Array>, opts: { carriageReturnBreaks?: boolean } = {}): AsyncGenerator<string> {
  const breaks = opts.carriageReturnBreaks === false ? /\r?\n/ : /\r\n|\r|\n/
  const clean = (s: string) => (opts.carriageReturnBreaks === false ? s.replace(/\r|\x1b\[[0-9;]*[A-Za-z]/g, '') : s)
  const dec = new TextDecoder()
  let buf = ''
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    buf += dec.decode(value, { stream: true })
    const parts = buf.split(breaks)
    buf = parts.pop() ?? ''
    for (const p of parts) {
      const line = clean(p)
      if (line !== '') yield line
    }
  }
  buf = clean(buf + dec.decode())
  if (buf !== '') yield buf
}
