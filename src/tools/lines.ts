/** Splits a byte stream into lines; \r counts as a break because progress bars rewrite lines with it. */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const dec = new TextDecoder()
  let buf = ''
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    buf += dec.decode(value, { stream: true })
    const parts = buf.split(/\r\n|\r|\n/)
    buf = parts.pop() ?? ''
    for (const p of parts) if (p !== '') yield p
  }
  buf += dec.decode()
  if (buf !== '') yield buf
}
