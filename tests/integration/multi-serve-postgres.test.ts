import { describe, test } from 'bun:test'
import { multiServeSuite } from '../helpers/multi-serve-suite'
import { cluster, postgresMissing } from '../helpers/postgres-cluster'

// The same serve nodes on PostgreSQL, one fresh database per test on the suite's throwaway cluster.
const missing = postgresMissing()
if (missing) describe('several serve nodes on PostgreSQL', () => test.skip(`skipped: ${missing}`, () => {}))
else multiServeSuite('on PostgreSQL', async () => ({ DATABASE_URL: await (await cluster()).createDatabase() }))
