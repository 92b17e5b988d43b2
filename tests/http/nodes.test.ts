import { expect, test } from 'bun:test'
import { heartbeat, listNodes } from '../../src/db/nodes'
import { testContext } from '../helpers/context'

test('a serve node registers: /api/nodes and the Nodes page list it; a clean stop shows it stopped', async () => {
  await using t = await testContext({ NODE_NAME: 'front-1', NODE_ROLES: 'extract', LEASE_SECONDS: '30' })
  await t.manager.joinCluster('serve')
  const api = await t.api('GET', '/api/nodes')
  expect(api.status).toBe(200)
  expect(api.json.nodes).toHaveLength(1)
  expect(api.json.nodes[0]).toMatchObject({
    name: 'front-1',
    kind: 'serve',
    roles: ['extract'],
    state: 'active',
    current: [],
    lease_seconds: 30,
    backoff: null,
  })
  const page = await t.page('/nodes')
  expect(page).toContain('<a href="/nodes">Nodes</a>')
  expect(page).toMatch(/<th scope="row">front-1<\/th>/)
  expect(page).toContain('hx-get="/nodes/table"')
  await t.manager.shutdown()
  expect((await listNodes(t.ctx.db))[0]).toMatchObject({ name: 'front-1', state: 'stopped' })
})

test('GET /api/nodes answers in its documented shape: a worker backing off, in /api/openapi.json too', async () => {
  await using t = await testContext({ NODE_NAME: 'front-2', NODE_ROLES: 'none' })
  await t.manager.joinCluster('serve')
  // A worker's heartbeat while a 429 keeps it backing off: the pool state its scheduler reports.
  const backoff = { ...t.manager.scheduler.poolState(), until: new Date(Date.now() + 60_000).toISOString(), consecutive_rate_limits: 1 }
  const at = new Date().toISOString()
  const worker = { name: 'w9', host: 'box9', roles: 'download,extract', kind: 'worker' as const, version: '1.0.0', ytdlp_version: null }
  await heartbeat(t.ctx.db, { ...worker, lease_seconds: 30, started_at: at, backoff: JSON.stringify(backoff) })
  const api = await t.api('GET', '/api/nodes')
  expect(api.status).toBe(200)
  expect(api.json.nodes.map((n: any) => [n.name, n.kind, n.roles, n.state])).toEqual([
    ['front-2', 'serve', [], 'active'],
    ['w9', 'worker', ['download', 'extract'], 'active'],
  ])
  expect(api.json.nodes[1].backoff).toEqual(backoff)
  expect(Object.keys(api.json.nodes[1]).sort()).toEqual(
    [
      'backoff',
      'current',
      'heartbeat_at',
      'host',
      'kind',
      'lease_seconds',
      'name',
      'roles',
      'started_at',
      'state',
      'stopped_at',
      'version',
      'ytdlp_version',
    ].sort(),
  )
  // The schema in the OpenAPI document names exactly the fields the answer has.
  const doc = (await t.api('GET', '/api/openapi.json')).json
  const schema = doc.paths['/api/nodes'].get.responses['200'].content['application/json'].schema
  const item = schema.properties.nodes.items
  expect(Object.keys(item.properties).sort()).toEqual(Object.keys(api.json.nodes[1]).sort())
  expect(item.properties.state.enum ?? item.properties.state.anyOf?.map((a: any) => a.const)).toEqual(['active', 'stopped', 'lost'])
})
