import { Elysia, sse } from 'elysia'
import { Unavailable } from '../errors'
import { jobEventStream } from './event-stream'
import type { Deps } from './deps'
import { models } from './models'

/**
 * Server-Sent Events for `curl -N` and dashboards; the UI's polling stays the fallback.
 * Each open stream holds a socket and a manager subscription for as long as the client
 * likes, so their number is capped (MAX_EVENT_STREAMS); a closed stream frees its slot.
 */
export function eventsApi({ ctx, manager }: Deps) {
  let open = 0
  // Refusals (503, 404) are thrown here, before the stream: a throw inside a started
  // stream reaches the client as a bare 500 instead of our JSON error.
  async function openStream(jobId: number | null, request: Request) {
    if (open >= ctx.config.maxEventStreams)
      throw new Unavailable(`too many open event streams (MAX_EVENT_STREAMS=${ctx.config.maxEventStreams}); close one, or poll GET /api/jobs instead`)
    open++
    try {
      if (jobId !== null) await manager.get(jobId)
    } catch (err) {
      open--
      throw err
    }
    return (async function* () {
      try {
        for await (const ev of jobEventStream(manager, jobId, request.signal)) yield sse({ event: ev.event, id: ev.id, data: ev.data })
      } finally {
        open--
      }
    })()
  }
  return new Elysia({ name: 'events-api' })
    .get('/api/jobs/:id/events', ({ params, request }) => openStream(params.id, request), { params: models.id })
    .get('/api/events', ({ request }) => openStream(null, request))
}
