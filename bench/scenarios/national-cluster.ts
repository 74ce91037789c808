import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freeClusterPorts, removeRunDir, startCluster, type RunningCluster } from '../../cluster/cluster.ts';
import { clusterDatabases, dropClusterDatabases, postgresServer } from '../../cluster/databases.ts';
import { connectDatabase, type DatabaseHandle } from '../../db/client.ts';
import type { RunningApi } from '../support/api.ts';
import { adminUrl, onSignalTeardown } from '../support/environment.ts';
import { ProcessMeter } from '../support/process-meter.ts';

// The cluster the `national` scenario runs on: `npm run cluster`'s, started by the same module on
// free ports and databases of its own, with the settings the scenario states, and dropped after.

/** Workflows each Đôn đốc worker keeps in memory (bounded, so 50,000 open workflows fit in 1 GiB). */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 2_000;
/**
 * PostgreSQL connections of each Đôn đốc process. Temporal's five processes take up to 75; two
 * APIs and two workers at 5 each, the bench's 4 and the raw query's 10 keep the whole run within
 * the default max_connections of 100.
 */
export const DEFAULT_POOL = 5;

export interface NationalCluster {
  cluster: RunningCluster;
  client: Client;
  database: DatabaseHandle;
  apis: RunningApi[];
  /** The coordinator token both APIs were started with (deployment-wide). */
  coordinatorToken: string;
  meter: ProcessMeter;
  /** What the Đôn đốc processes were started with, for the report. */
  settings: Record<string, string>;
}

function fromEnv(name: string, fallback: number): string {
  const text = process.env[name];
  if (!text) return String(fallback);
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${name} must be a whole number from 1, got "${text}"`);
  return text;
}

/** Starts the cluster with `env` added to Đôn đốc's processes, runs `body`, and removes everything after. */
export async function withNationalCluster<T>(
  env: Record<string, string>,
  log: (message: string) => void,
  body: (c: NationalCluster) => Promise<T>,
): Promise<T> {
  const postgresUrl = adminUrl();
  const prefix = `dondoc_bench_national_${randomBytes(4).toString('hex')}`;
  const runDir = await mkdtemp(join(tmpdir(), 'dondoc-national-'));
  const coordinatorToken = `dd_bench-national-${randomBytes(24).toString('base64url')}`;
  const settings = {
    DONDOC_WORKER_MAX_CACHED_WORKFLOWS: fromEnv('DONDOC_WORKER_MAX_CACHED_WORKFLOWS', DEFAULT_MAX_CACHED_WORKFLOWS),
    DONDOC_WORKER_DB_POOL_SIZE: fromEnv('DONDOC_WORKER_DB_POOL_SIZE', DEFAULT_POOL),
    DONDOC_API_DB_POOL_SIZE: fromEnv('DONDOC_API_DB_POOL_SIZE', DEFAULT_POOL),
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] =>
          e[0].startsWith('DONDOC_WORKER_') &&
          !['DONDOC_WORKER_MAX_CACHED_WORKFLOWS', 'DONDOC_WORKER_DB_POOL_SIZE'].includes(e[0]),
      ),
    ),
  };
  const steps: (() => Promise<void>)[] = [];
  let tornDown: Promise<void> | undefined;
  const teardown = () =>
    (tornDown ??= (async () => {
      for (const step of steps.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          console.error(`teardown step failed: ${String(error)}`);
        }
      }
    })());
  const unregister = onSignalTeardown(teardown);
  steps.push(() => removeRunDir(runDir));
  steps.push(() => dropClusterDatabases(postgresServer(postgresUrl), clusterDatabases(prefix)));
  try {
    const started = Date.now();
    const cluster = await startCluster({
      runDir,
      postgresUrl,
      databasePrefix: prefix,
      ports: await freeClusterPorts(),
      detach: false,
      env: {
        LOG_LEVEL: 'warn',
        DONDOC_BOOTSTRAP_TOKEN: coordinatorToken,
        DONDOC_RATE_LIMIT: '1000000000',
        ...settings,
        ...env,
      },
      log: (message) => log(`cluster +${Math.round((Date.now() - started) / 1000)} s: ${message}`),
    });
    steps.push(() => cluster.stop());
    const meter = new ProcessMeter(() => cluster.processes.map((p) => ({ name: p.name, pid: p.pid })));
    steps.push(async () => meter.stop());
    const connection = await Connection.connect({ address: cluster.addresses.temporal });
    steps.push(() => connection.close());
    const client = new Client({ connection, namespace: cluster.addresses.namespace });
    const database = connectDatabase(cluster.addresses.readModel, { max: 4, applicationName: 'dondoc-bench' });
    steps.push(() => database.close());
    const headers = { authorization: `Bearer ${coordinatorToken}` };
    return await body({
      cluster,
      client,
      database,
      apis: cluster.addresses.apis.map((url) => ({ url, headers })),
      coordinatorToken,
      meter,
      settings,
    });
  } finally {
    await teardown();
    unregister();
  }
}
