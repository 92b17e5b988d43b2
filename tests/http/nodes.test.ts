import { expect, test } from 'bun:test'
import { listNodes } from '../../src/db/nodes'
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
