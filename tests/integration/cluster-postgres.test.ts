import { describe, test } from 'bun:test'
import { clusterSuite } from '../helpers/cluster-suite'
import { cluster, postgresMissing } from '../helpers/postgres-cluster'

// The same serve + workers, on PostgreSQL: leases taken with FOR UPDATE SKIP LOCKED, one fresh
// database per test on the suite's throwaway cluster. (The back-off test is about the node,
// not the store: it runs once, on SQLite.) Only here can nodes have their own DATA_DIRs: they
// share the database and MEDIA_DIR.
const missing = postgresMissing()
if (missing) describe('cluster nodes on PostgreSQL', () => test.skip(`skipped: ${missing}`, () => {}))
else clusterSuite('on PostgreSQL', async () => ({ DATABASE_URL: await (await cluster()).createDatabase() }), false, true)
