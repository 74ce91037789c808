import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../../db/client.ts';
import { runMigrations } from '../../db/migrate.ts';
import { seedAgencyRegistries } from '../../db/seed.ts';
import { bundleWorkflows } from '../../worker/create-worker.ts';
import { startTemporalDevServer } from '../../runtime/temporal-dev-server.ts';
import { findTemporalCli } from '../../runtime/temporal-cli.ts';
import { adminUrl, dropDatabases, quoteIdent } from '../support/databases.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    pgAdminUrl: string;
    templateDatabase: string;
    runId: string;
    workflowBundlePath: string;
  }
}

/**
 * Once per `npm test`: a real Temporal dev server (in memory, on a free port), a template database
 * with every migration applied on the machine's PostgreSQL, and the workflow bundle. Each test
 * file then clones its own database from the template and runs its own worker and task queue.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const admin = adminUrl();
  const template = `dondoc_tpl_${runId}`;

  const probe = new pg.Client({ connectionString: admin });
  try {
    await probe.connect();
  } catch (error) {
    throw new Error(
      `The integration tests need PostgreSQL at ${admin} (set DONDOC_TEST_DATABASE_URL). ${String(error)}`,
      { cause: error },
    );
  }
  await probe.query(`CREATE DATABASE ${quoteIdent(template)}`);
  await probe.end();

  const database = connectDatabase(admin.replace(/\/[^/?]*(\?|$)/, `/${template}$1`), { max: 2 });
  await runMigrations(database.db);
  await seedAgencyRegistries(database.db);
  await database.close();

  const cli = await findTemporalCli({ log: (message) => console.log(`[temporal-cli] ${message}`) });
  const server = await startTemporalDevServer({ cli, port: 0 });

  const dir = await mkdtemp(join(tmpdir(), 'dondoc-test-'));
  const bundlePath = join(dir, 'workflow-bundle.js');
  const bundle = await bundleWorkflows();
  await writeFile(bundlePath, bundle.code);

  project.provide('temporalAddress', server.address);
  project.provide('pgAdminUrl', admin);
  project.provide('templateDatabase', template);
  project.provide('runId', runId);
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await server.stop();
    await dropDatabases(admin, (name) => name === template || name.startsWith(`dondoc_t_${runId}_`));
    await rm(dir, { recursive: true, force: true });
  };
}
