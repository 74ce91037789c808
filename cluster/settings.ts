/**
 * What the cluster of `npm run cluster` runs, and what a province deploys with docker-compose.yml
 * and deploy/kubernetes/temporal-values.yaml: test/unit/deployment-files.test.ts holds those two
 * files to these figures, so that what was measured here is what goes out.
 */

/** The Temporal server built from `go.temporal.io/server` (and its SQL schema tool). */
export const TEMPORAL_SERVER_VERSION = '1.31.2';

/**
 * History shards: fixed for the life of a cluster (Temporal refuses to start on a database made
 * with another count). Each shard is owned by one history process at a time; 512 spread over two
 * processes is 256 each, and leaves room for many more processes before a shard is a bottleneck.
 */
export const NUM_HISTORY_SHARDS = 512;

/** The namespace Đôn đốc's workflows live in, and how long closed ones are kept. */
export const CLUSTER_NAMESPACE = 'dondoc';
export const NAMESPACE_RETENTION_HOURS = 720;

/**
 * PostgreSQL connections of one Temporal process at most: its own store (workflows, shards, queues)
 * and the visibility store (lists of workflows). Five processes take 5 × (10 + 5) = 75 at most;
 * PostgreSQL's default max_connections is 100, which leaves room for Đôn đốc's pools.
 */
export const TEMPORAL_SQL_MAX_CONNS = 10;
export const TEMPORAL_VISIBILITY_MAX_CONNS = 5;

/** Node's flags for a Đôn đốc API process (package.json's `api` script): a larger young generation, fewer scavenges under load. */
export const API_NODE_FLAGS = ['--max-semi-space-size=32'];

/**
 * Node's flags for a Đôn đốc worker: package.json's `worker` script, the compose file and the
 * Kubernetes manifest start it with these. The young generation as for the API; the old generation
 * capped, so that V8 collects before the process holds more than
 * about 1 GiB: with V8's default limit (about 4 GiB here) a worker holding 50,000 open workflows
 * reached 1.8 GiB of mostly garbage, with this cap and the default cache 835 MiB (BENCHMARKS.md).
 */
export const WORKER_NODE_FLAGS = [...API_NODE_FLAGS, '--max-old-space-size=640'];
