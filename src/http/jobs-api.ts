import { Elysia } from 'elysia'
import { dismiss, jobHistory } from '../activity/service'
import { listEvents } from '../db/events'
import type { Job, JobStatus } from '../db/types'
import { BadRequest } from './errors'
import type { Deps } from './deps'
import { models } from './models'

function parseStatuses(raw: string | undefined): JobStatus[] | undefined {
  if (!raw) return undefined
  const list = raw.split(',').map((s) => s.trim())
  const bad = list.find((s) => !(models.jobStatuses as readonly string[]).includes(s))
  if (bad) throw new BadRequest(`status must be one of: ${models.jobStatuses.join(', ')}`)
  return list as JobStatus[]
}

/** 202 when the job's owner, another node, will apply the action (the job carries `control`); 200 when it is done here. */
function asked(set: { status?: number | string }, job: Job): Job {
  if (job.control) set.status = 202
  return job
}

export function jobsApi({ ctx, manager }: Deps) {
  return new Elysia({ name: 'jobs-api', prefix: '/api/jobs' })
    .get(
      '/',
      async ({ query, set }) => {
        const { jobs, total } = await jobHistory(manager, {
          status: parseStatuses(query.status),
          type: query.type,
          playlist_id: query.playlist_id,
          limit: query.limit ?? 100,
          offset: query.offset ?? 0,
        })
        // The body stays a plain array (as before); the pager's total rides in a header.
        set.headers['x-total-count'] = String(total)
        return jobs
      },
      { query: models.jobQuery },
    )
    .get('/:id', ({ params }) => manager.get(params.id), { params: models.id })
    .get(
      '/:id/log',
      async ({ params }) => {
        await manager.get(params.id) // 404 for unknown jobs
        return listEvents(ctx.db, params.id)
      },
      { params: models.id },
    )
    .post('/:id/cancel', async ({ params, set }) => asked(set, await manager.cancel(params.id)), { params: models.id })
    .post('/:id/pause', async ({ params, set }) => asked(set, await manager.pause(params.id)), { params: models.id })
    .post('/:id/resume', async ({ params, set }) => asked(set, await manager.resume(params.id)), { params: models.id })
    .post('/:id/dismiss', ({ params }) => dismiss(manager, params.id), { params: models.id })
    .post('/:id/priority', ({ params, body }) => manager.setPriority(params.id, body.priority), { params: models.id, body: models.priority })
}
