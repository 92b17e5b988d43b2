import { expect } from 'bun:test'

export interface Sse {
  event: string
  id: string
  data: any
}

/** A minimal SSE reader over a real HTTP connection: reads until `until` says so (or the stream ends). */
export async function readSse(
  url: string,
  opts: { lastEventId?: string; until: (e: Sse, all: Sse[]) => boolean; signal?: AbortSignal; onEvent?: (e: Sse) => void },
): Promise<Sse[]> {
  const res = await fetch(url, { headers: opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}, signal: opts.signal })
  expect(res.headers.get('content-type')).toContain('text/event-stream')
  const reader = res.body!.getReader()
  const dec = new TextDecoder()
  let buf = ''
  const events: Sse[] = []
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return events
    buf += dec.decode(value, { stream: true })
    let i: number
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i)
      buf = buf.slice(i + 2)
      const e: Sse = { event: 'message', id: '', data: '' }
      for (const line of block.split('\n')) {
        const [k, ...rest] = line.split(':')
        const v = rest.join(':').replace(/^ /, '')
        if (k === 'event') e.event = v
        else if (k === 'id') e.id = v
        else if (k === 'data') e.data += v
      }
      e.data = JSON.parse(e.data)
      events.push(e)
      opts.onEvent?.(e)
      if (opts.until(e, events)) {
        await reader.cancel()
        return events
      }
    }
  }
}
