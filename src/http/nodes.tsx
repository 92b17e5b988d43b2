/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { listNodes } from '../db/nodes'
import { NodesPage } from '../../views/pages/nodes'
import type { Deps } from './deps'
import { models } from './models'
import { siteStatus } from './site-status'

/** The cluster's nodes: `/nodes` (a page that refreshes itself) and `GET /api/nodes`. */
export function nodesController(deps: Deps) {
  const { ctx } = deps
  return new Elysia({ name: 'nodes' })
    .get('/api/nodes', async () => ({ nodes: await listNodes(ctx.db) }), {
      response: { 200: models.nodes },
      detail: { summary: 'The nodes sharing this database: roles, state (active, stopped, lost), items in flight, back-off, versions' },
    })
    .get('/nodes', async () => <NodesPage nodes={await listNodes(ctx.db)} status={siteStatus(deps)} />)
    .get('/nodes/table', async () => <NodesPage nodes={await listNodes(ctx.db)} status={siteStatus(deps)} fragment />)
}
