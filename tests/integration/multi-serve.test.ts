import { multiServeSuite } from '../helpers/multi-serve-suite'

// Two `serve` nodes (NODE_NAME given) on one SQLite file in one data dir.
multiServeSuite('on one SQLite file', async () => ({}))
