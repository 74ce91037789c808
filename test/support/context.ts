import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { connectDatabase, type DatabaseHandle } from '../../db/client.ts';
import { createActivities, type Activities, type ActivityDeps } from '../../activities/index.ts';
import { buildApp, type AppOptions } from '../../api/app.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';
import { ensureSearchAttributes } from '../../runtime/search-attributes.ts';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import { createLogger } from '../../runtime/logger.ts';
import { databaseUrl, dropDatabases, quoteIdent } from './databases.ts';

export interface TestContext {
  database: DatabaseHandle;
  databaseUrl: string;
  client: Client;
  /** This file's own Temporal namespace: business workflow IDs never meet another file's. */
  namespace: string;
  taskQueue: string;
  deps: ServiceDeps;
  /**
   * Starts a worker on this file's task queue (its activities on `databaseUrl` and `calendar` if
   * given, else the shipped calendar); returns a stop function.
   */
  startWorker(options?: WorkerOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface WorkerOptions {
  databaseUrl?: string;
  calendar?: WorkingCalendar;
  delivery?: ActivityDeps['delivery'];
  files?: ActivityDeps['files'];
  housekeeping?: ActivityDeps['housekeeping'];
  /** Replaces some activities, given the real ones: a slow or failing database, a held mark. */
  activities?: (real: Activities) => Partial<Activities>;
}

function withOverrides(real: Activities, overrides: WorkerOptions['activities']): Activities {
  return overrides ? { ...real, ...overrides(real) } : real;
}

let runtimeInstalled = false;

/** The SDK's own logs only when something is wrong (once per test process). */
function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger((process.env.TEST_TEMPORAL_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
}

export const quietLogger = () =>
  createLogger({ name: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false });

/** This test file's own database (cloned from the migrated template) and task queue. */
export async function createTestContext(): Promise<TestContext> {
  const admin = inject('pgAdminUrl');
  const name = `dondoc_t_${inject('runId')}_${randomUUID().slice(0, 8)}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(inject('templateDatabase'))}`);
  await adminClient.end();

  const url = databaseUrl(admin, name);
  const database = connectDatabase(url);
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const namespace = `test-${randomUUID().slice(0, 8)}`;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  // A new namespace takes a moment to reach every service of the dev server.
  await eventually(
    async () => ((await connection.workflowService.describeNamespace({ namespace })).namespaceInfo ? true : undefined),
    30_000,
    `namespace ${namespace}`,
  );
  const client = new Client({ connection, namespace });
  // As every process does at start: the search attributes our workflows set, known to the namespace.
  await ensureSearchAttributes(client);
  const taskQueue = `test-${randomUUID()}`;
  const workers: (() => Promise<void>)[] = [];

  const startWorker = async (options: WorkerOptions = {}) => {
    quietTemporalRuntime();
    const activityDb = options.databaseUrl ? connectDatabase(options.databaseUrl) : undefined;
    const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      activities: withOverrides(
        createActivities({
          db: (activityDb ?? database).db,
          calendar: options.calendar ?? (await loadCalendar()),
          delivery: options.delivery,
          files: options.files,
          housekeeping: options.housekeeping,
        }),
        options.activities,
      ),
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });
    const running = worker.run();
    const stop = async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await nativeConnection.close();
      await activityDb?.close();
    };
    workers.push(stop);
    return stop;
  };

  return {
    database,
    databaseUrl: url,
    client,
    namespace,
    taskQueue,
    deps: { db: database.db, temporal: { client, taskQueue } },
    startWorker,
    async close() {
      await Promise.all(workers.map((stop) => stop().catch(() => {})));
      await connection.close();
      await database.close();
      await dropDatabases(admin, (n) => n === name);
    },
  };
}

export async function buildTestApp(ctx: TestContext, options: Omit<AppOptions, 'logger'> = {}) {
  return buildApp(ctx.deps, { logger: quietLogger(), ...options });
}

/** A gate a test opens when it chooses: `passed` resolves once `open` is called. */
export function latch(): { passed: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const passed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { passed, open };
}

/** Polls until `probe` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
