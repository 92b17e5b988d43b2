import { clusterSuite } from '../helpers/cluster-suite'

clusterSuite('on one SQLite file', async () => ({}))
