import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase, type DatabaseHandle } from '../../db/client.ts';
import { runMigrations } from '../../db/migrate.ts';
import { seedAgencyRegistries } from '../../db/seed.ts';
import { startTemporalDevServer, type DevServer } from '../../runtime/temporal-dev-server.ts';
import { findTemporalCli, type FoundTemporalCli } from '../../runtime/temporal-cli.ts';
import { BENCH_TABLE_SQL } from '../ceiling-activities.ts';
import { findProcess } from './procfs.ts';
import type { WorkerProcess } from './workers.ts';

export function adminUrl(): string {
  return process.env.DONDOC_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function withDatabase(admin: string, name: string): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** What one scenario runs against: its own Temporal dev server and its own database. */
export interface BenchEnvironment {
  temporalAddress: string;
  /** The dev server's process, for its CPU time; undefined when it cannot be found. */
  temporalPid?: number;
  client: Client;
  database: DatabaseHandle;
  databaseUrl: string;
  /** Worker processes are stopped with the environment, whatever happens. */
  track(worker: WorkerProcess): WorkerProcess;
  /** Called on teardown, in reverse order. */
  onTeardown(step: () => Promise<void>): void;
}

const teardowns = new Set<() => Promise<void>>();

/** Tears everything down on Ctrl-C too: no database or server is left behind. */
export function installSignalCleanup(): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.error(`\n${signal}: cleaning up…`);
    void Promise.allSettled([...teardowns].map((t) => t())).finally(() => process.exit(130));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Runs `step` on Ctrl-C too (a scenario that sets up more than `withEnvironment` does); returns its removal. */
export function onSignalTeardown(step: () => Promise<void>): () => void {
  teardowns.add(step);
  return () => teardowns.delete(step);
}

let cli: FoundTemporalCli | undefined;

/**
 * Runs `body` with a fresh in-memory Temporal dev server on a free port and a fresh database
 * (migrations applied, registries seeded, bench table created) on the local PostgreSQL; drops the
 * database and stops the server afterwards, also when `body` fails.
 */
export async function withEnvironment<T>(scenario: string, body: (env: BenchEnvironment) => Promise<T>): Promise<T> {
  const admin = adminUrl();
  const name = `dondoc_bench_${scenario.replace(/\W/g, '_')}_${randomUUID().slice(0, 8)}`;
  const steps: (() => Promise<void>)[] = [];
  let tornDown: Promise<void> | undefined;
  const teardown = () => {
    tornDown ??= (async () => {
      for (const step of steps.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          console.error(`teardown step failed: ${String(error)}`);
        }
      }
    })();
    return tornDown;
  };
  teardowns.add(teardown);

  try {
    const probe = new pg.Client({ connectionString: admin });
    try {
      await probe.connect();
    } catch (error) {
      throw new Error(`The benchmarks need PostgreSQL at ${admin} (set DONDOC_BENCH_DATABASE_URL): ${String(error)}`, {
        cause: error,
      });
    }
    await probe.query(`CREATE DATABASE ${quoteIdent(name)}`);
    await probe.end();
    steps.push(async () => {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await dropper.end();
    });

    const databaseUrl = withDatabase(admin, name);
    const database = connectDatabase(databaseUrl, { max: 10, applicationName: 'dondoc-bench' });
    steps.push(() => database.close());
    await runMigrations(database.db);
    await seedAgencyRegistries(database.db);
    await database.pool.query(BENCH_TABLE_SQL);

    cli ??= await findTemporalCli({ log: (message) => console.error(`[temporal-cli] ${message}`) });
    const server: DevServer = await startTemporalDevServer({ cli, port: 0 });
    steps.push(() => server.stop());
    const port = server.address.split(':').at(-1)!;
    const temporalPid = findProcess(['start-dev', port]) ?? findProcess(['start-dev', `--port=${port}`]);

    const connection = await Connection.connect({ address: server.address });
    steps.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });

    const env: BenchEnvironment = {
      temporalAddress: server.address,
      temporalPid,
      client,
      database,
      databaseUrl,
      track(worker) {
        steps.push(() => worker.stop());
        return worker;
      },
      onTeardown(step) {
        steps.push(step);
      },
    };
    return await body(env);
  } finally {
    await teardown();
    teardowns.delete(teardown);
  }
}
