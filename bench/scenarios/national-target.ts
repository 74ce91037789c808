import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DatabaseHandle } from '../../db/client.ts';
import { DEFAULT_CACHED_WORKFLOWS } from '../../runtime/config.ts';
import { startApiProcess, type RunningApi } from '../support/api.ts';
import { withEnvironment } from '../support/environment.ts';
import { ProcessMeter, type MeteredProcess } from '../support/process-meter.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/workers.ts';

// What the `national` scenario's parts run against: the cluster (national-cluster.ts) or, beside
// it in the same run, the dev server of the other scenarios with the same two workers and two APIs.

export interface NationalTarget {
  label: 'cluster' | 'dev server';
  temporal: { address: string; namespace: string };
  readModelUrl: string;
  /** Every process of the target, for CPU and memory: Temporal's, the workers', the APIs'. */
  processes(): MeteredProcess[];
  client: Client;
  database: DatabaseHandle;
  apis: RunningApi[];
  meter: ProcessMeter;
  /** What the Đôn đốc processes were started with, for the report. */
  settings: Record<string, string>;
}

/**
 * PostgreSQL connections of each Đôn đốc process. Temporal's five processes take up to 75; two
 * APIs and two workers at 5 each, the bench's 4 and the raw query's 10 keep the whole run within
 * the default max_connections of 100.
 */
export const DEFAULT_POOL = 5;

function fromEnv(name: string, fallback: number): string {
  const text = process.env[name];
  if (!text) return String(fallback);
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${name} must be a whole number from 1, got "${text}"`);
  return text;
}

/** The workers' and APIs' settings: the cache bound and pool sizes, and any other DONDOC_WORKER_* given. */
export function dondocSettings(): Record<string, string> {
  return {
    // The worker's own default (runtime/config.ts), stated in the report.
    DONDOC_WORKER_MAX_CACHED_WORKFLOWS: fromEnv('DONDOC_WORKER_MAX_CACHED_WORKFLOWS', DEFAULT_CACHED_WORKFLOWS),
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
}

/**
 * The dev server (one process, in memory) with two Đôn đốc workers and two APIs on a fresh
 * database, started with the same settings as the cluster's; stopped and dropped after `body`.
 */
export async function withNationalDevServer<T>(
  env: Record<string, string>,
  log: (message: string) => void,
  body: (t: NationalTarget) => Promise<T>,
): Promise<T> {
  return withEnvironment('national', async (bench) => {
    const settings = dondocSettings();
    const taskQueue = 'dondoc-national';
    const token = `dd_bench-national-${randomBytes(24).toString('base64url')}`;
    const workers: WorkerProcess[] = [];
    for (const n of [1, 2])
      workers.push(
        bench.track(
          await startWorkerProcess({
            kind: 'dondoc',
            name: `worker-${n}`,
            temporalAddress: bench.temporalAddress,
            databaseUrl: bench.databaseUrl,
            taskQueue,
            client: bench.client,
            env: { ...settings, ...env },
          }),
        ),
      );
    const apis: (RunningApi & { pid: number })[] = [];
    for (const n of [1, 2]) {
      const api = await startApiProcess(bench, {
        token,
        taskQueue,
        poolSize: Number(settings.DONDOC_API_DB_POOL_SIZE),
        env,
      });
      bench.onTeardown(api.stop);
      apis.push(api);
      log(`dev server: api-${n} at ${api.url}`);
    }
    const processes = (): MeteredProcess[] => [
      ...(bench.temporalPid ? [{ name: 'dev server', pid: bench.temporalPid }] : []),
      ...apis.map((a, i) => ({ name: `api-${i + 1}`, pid: a.pid })),
      ...workers.map((w) => ({ name: w.name, pid: w.pid })),
    ];
    const meter = new ProcessMeter(processes);
    bench.onTeardown(async () => meter.stop());
    return body({
      label: 'dev server',
      temporal: { address: bench.temporalAddress, namespace: 'default' },
      readModelUrl: bench.databaseUrl,
      processes,
      client: bench.client,
      database: bench.database,
      apis: apis.map((a) => ({ url: a.url, headers: a.headers })),
      meter,
      settings,
    });
  });
}
