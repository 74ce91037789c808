import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freeClusterPorts,
  readClusterState,
  removeRunDir,
  startCluster,
  type RunningCluster,
} from '../../cluster/cluster.ts';
import { clusterDatabases, dropClusterDatabases, postgresServer } from '../../cluster/databases.ts';
import { isRunning } from '../../cluster/processes.ts';
import { NUM_HISTORY_SHARDS, TEMPORAL_SERVER_VERSION } from '../../cluster/settings.ts';
import { TEMPORAL_PROCESSES } from '../../cluster/temporal-config.ts';
import { samplePlan } from '../support/plans.ts';

// The cluster of `npm run cluster`, started by the same module on free ports and its own databases:
// Temporal's five processes on PostgreSQL, two workers and two APIs on one read model. One
// assignment goes through both APIs: imported through the first, acted on through the second, read
// back through the first.

const postgresUrl = process.env.DONDOC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `dondoc_cluster_t_${Date.now().toString(36)}${process.pid.toString(36)}`;
let runDir: string;
let cluster: RunningCluster | undefined;

beforeAll(async () => {
  const started = Date.now();
  runDir = await mkdtemp(join(tmpdir(), 'dondoc-cluster-'));
  cluster = await startCluster({
    runDir,
    postgresUrl,
    databasePrefix: prefix,
    ports: await freeClusterPorts(),
    detach: false,
    env: { LOG_LEVEL: 'warn', DONDOC_API_DB_POOL_SIZE: '4', DONDOC_WORKER_DB_POOL_SIZE: '4' },
    log: (message) => console.log(`[cluster +${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`),
  });
});

afterAll(async () => {
  await cluster?.stop();
  await dropClusterDatabases(postgresServer(postgresUrl), clusterDatabases(prefix));
  if (runDir) await removeRunDir(runDir);
});

const as = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

describe('the cluster of npm run cluster', () => {
  it('runs one assignment through both APIs, on two workers and a Temporal of five processes, and stops them all', async () => {
    const { addresses, processes } = cluster!;
    expect(processes.map((p) => p.name)).toEqual([...TEMPORAL_PROCESSES, 'api-1', 'api-2', 'worker-1', 'worker-2']);
    expect(new Set(processes.map((p) => p.pid)).size).toBe(processes.length);
    const [api1, api2] = addresses.apis as [string, string];
    expect(api1).not.toBe(api2);

    // Temporal as deployed: the Helm values' shard count, and both workers polling the one task queue.
    const connection = await Connection.connect({ address: addresses.temporal });
    try {
      const info = await connection.workflowService.getClusterInfo({});
      expect(info.historyShardCount).toBe(NUM_HISTORY_SHARDS);
      expect(info.serverVersion).toBe(TEMPORAL_SERVER_VERSION);
      const pollers = async () =>
        (
          await connection.workflowService.describeTaskQueue({
            namespace: addresses.namespace,
            taskQueue: { name: addresses.taskQueue },
            taskQueueType: 1, // workflow tasks
          })
        ).pollers.map((poller) => poller.identity);
      const workerPids = processes.filter((p) => p.name.startsWith('worker-')).map((p) => `${p.pid}@`);
      const polling = Date.now() + 30_000;
      let identities = await pollers();
      while (
        !workerPids.every((pid) => identities.some((identity) => identity?.startsWith(pid))) &&
        Date.now() < polling
      ) {
        await new Promise((r) => setTimeout(r, 500));
        identities = await pollers();
      }
      for (const pid of workerPids) expect(identities.some((identity) => identity?.startsWith(pid))).toBe(true);
    } finally {
      await connection.close();
    }

    const coordinator = (await readFile(addresses.bootstrapTokenFile, 'utf8')).trim();
    const imported = await fetch(`${api1}/v1/plans`, {
      method: 'POST',
      headers: as(coordinator),
      body: JSON.stringify(samplePlan()),
    });
    expect(imported.status).toBe(201);
    // A token made through one API is known to the other: they share the read model.
    const issued = await fetch(`${api2}/v1/tokens`, {
      method: 'POST',
      headers: as(coordinator),
      body: JSON.stringify({ role: 'agency', agency: 'SYT', registry: 'vinh-phuc', name: 'Văn thư Sở Y tế' }),
    });
    expect(issued.status).toBe(201);
    const syt = ((await issued.json()) as { token: string }).token;

    const id = '2866-qd-ubnd:35:SYT';
    const read = async (api: string) =>
      (await (await fetch(`${api}/v1/assignments/${id}`, { headers: as(syt) })).json()) as {
        version?: number;
        status?: string;
        submissions?: { documentNumber: string }[];
      };
    // Its workflow has run on one of the workers once the read model has its first version.
    const deadline = Date.now() + 60_000;
    while (((await read(api2)).version ?? 0) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

    const submitted = await fetch(`${api2}/v1/assignments/${id}/deliverables`, {
      method: 'POST',
      headers: as(syt),
      body: JSON.stringify({ type: 'Báo cáo', documentNumber: '45/BC-SYT', date: '2022-11-30' }),
    });
    expect(submitted.status).toBe(200);
    expect(((await submitted.json()) as { status: string }).status).toBe('submitted');
    expect(await read(api1)).toMatchObject({ status: 'submitted', submissions: [{ documentNumber: '45/BC-SYT' }] });
    // The workflow itself, reached through the other API, refuses the same deliverable twice.
    const again = await fetch(`${api1}/v1/assignments/${id}/deliverables`, {
      method: 'POST',
      headers: as(syt),
      body: JSON.stringify({ type: 'Báo cáo', documentNumber: '46/BC-SYT', date: '2022-12-01' }),
    });
    expect(again.status).toBe(409);

    expect(processes.filter((p) => !isRunning(p)).map((p) => p.name)).toEqual([]);
    await cluster!.stop();
    expect(processes.filter(isRunning).map((p) => p.name)).toEqual([]);
    expect(await readClusterState(runDir)).toBeUndefined();
    cluster = undefined;
  });
});
