import { Elysia, sse } from 'elysia'
import { jobEventStream } from '../jobs/event-stream'
import type { Deps } from './deps'
import { models } from './models'

/** Server-Sent Events for `curl -N` and dashboards; the UI's polling stays the fallback. */
export function eventsApi({ manager }: Deps) {
  return new Elysia({ name: 'events-api' })
    .get(
      '/api/jobs/:id/events',
      async function* ({ params, request }) {
        await manager.get(params.id) // 404 before the stream starts
        for await (const ev of jobEventStream(manager, params.id, request.signal)) yield sse({ event: ev.event, id: ev.id, data: ev.data })
      },
      { params: models.id },
    )
    .get('/api/events', async function* ({ request }) {
      for await (const ev of jobEventStream(manager, null, request.signal)) yield sse({ event: ev.event, id: ev.id, data: ev.data })
    })
}
