import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freeClusterPorts, removeRunDir, startCluster } from '../../cluster/cluster.ts';
import { clusterDatabases, dropClusterDatabases, postgresServer } from '../../cluster/databases.ts';
import { connectDatabase } from '../../db/client.ts';
import { adminUrl, onSignalTeardown } from '../support/environment.ts';
import { dondocSettings, type NationalTarget } from './national-target.ts';
import { ProcessMeter } from '../support/process-meter.ts';

// The cluster the `national` scenario runs on: `npm run cluster`'s, started by the same module on
// free ports and databases of its own, with the settings the scenario states, and dropped after.

export async function withNationalCluster<T>(
  env: Record<string, string>,
  log: (message: string) => void,
  body: (c: NationalTarget) => Promise<T>,
): Promise<T> {
  const postgresUrl = adminUrl();
  const prefix = `dondoc_bench_national_${randomBytes(4).toString('hex')}`;
  const runDir = await mkdtemp(join(tmpdir(), 'dondoc-national-'));
  const coordinatorToken = `dd_bench-national-${randomBytes(24).toString('base64url')}`;
  const settings = dondocSettings();
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
      label: 'cluster',
      temporal: { address: cluster.addresses.temporal, namespace: cluster.addresses.namespace },
      readModelUrl: cluster.addresses.readModel,
      processes: () => cluster.processes.map((p) => ({ name: p.name, pid: p.pid })),
      client,
      database,
      apis: cluster.addresses.apis.map((url) => ({ url, headers })),
      meter,
      settings,
    });
  } finally {
    await teardown();
    unregister();
  }
}
