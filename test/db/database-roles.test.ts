import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../db/client.ts';
import { runMigrations } from '../../db/migrate.ts';
import { pendingMigrations, requireMigrated } from '../../db/migration-status.ts';
import { freePort } from '../../runtime/free-port.ts';
import { DEPLOYMENT_MARKER_ID } from '../../runtime/deployment-identity.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { databaseUrl, quoteIdent } from '../support/databases.ts';

// docker-compose.yml's database set-up (deploy/compose/postgres-init.sql), run here with names of
// its own on the tests' PostgreSQL: a Temporal role, Đôn đốc's owner and its application role.
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/dondoc.js');
const initSql = join(root, 'deploy/compose/postgres-init.sql');
const hasPsql = spawnSync('psql', ['--version']).status === 0;

const prefix = `dondoc_r_${inject('runId')}_${randomUUID().slice(0, 6)}`;
const names = {
  temporal_role: `${prefix}_temporal`,
  temporal_db: `${prefix}_temporal`,
  visibility_db: `${prefix}_visibility`,
  temporal_password: randomUUID(),
  dondoc_db: `${prefix}_app`,
  dondoc_owner_role: `${prefix}_owner`,
  dondoc_app_role: `${prefix}_app`,
  dondoc_owner_password: randomUUID(),
  dondoc_app_password: randomUUID(),
};
const admin = inject('pgAdminUrl');
const as = (role: string, password: string, database: string) => {
  const url = new URL(databaseUrl(admin, database));
  url.username = role;
  url.password = password;
  return url.toString();
};
const ownerUrl = as(names.dondoc_owner_role, names.dondoc_owner_password, names.dondoc_db);
const appUrl = as(names.dondoc_app_role, names.dondoc_app_password, names.dondoc_db);

let ctx: TestContext;
const children: ChildProcess[] = [];
let dataDir: string;

beforeAll(async () => {
  if (!hasPsql) return;
  const variables = Object.entries(names).flatMap(([name, value]) => ['-v', `${name}=${value}`]);
  const init = spawnSync(
    'psql',
    [databaseUrl(admin, 'postgres'), '-q', '-v', 'ON_ERROR_STOP=1', ...variables, '-f', initSql],
    {
      encoding: 'utf8',
    },
  );
  if (init.status !== 0) throw new Error(`postgres-init.sql failed:\n${init.stderr}`);
  ctx = await createTestContext();
  dataDir = await mkdtemp(join(tmpdir(), 'dondoc-roles-'));
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await ctx?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  if (!hasPsql) return;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    for (const db of [names.temporal_db, names.visibility_db, names.dondoc_db])
      await client.query(`drop database if exists ${quoteIdent(db)} with (force)`);
    for (const role of [names.temporal_role, names.dondoc_owner_role, names.dondoc_app_role])
      await client.query(`drop role if exists ${quoteIdent(role)}`);
  } finally {
    await client.end();
  }
});

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

function serve(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  return { child, output: () => output };
}

async function waitOk(url: string, what: { child: ChildProcess; output: () => string }): Promise<void> {
  await eventually(
    async () => {
      if (what.child.exitCode !== null) throw new Error(`exited:\n${what.output()}`);
      return (await fetch(url)).ok ? true : undefined;
    },
    60_000,
    `${url}\n${what.output().slice(-3000)}`,
  );
}

const codeOf = (error: unknown) =>
  (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;

describe.skipIf(!hasPsql)('the database roles of docker-compose.yml', () => {
  it('let the owner migrate, and the application role read and write rows and nothing more', async () => {
    const app = connectDatabase(appUrl, { max: 2 });
    try {
      // Before the migration job, a process that does not migrate refuses to start.
      expect(await pendingMigrations(app.db)).toBeGreaterThan(0);
      await expect(requireMigrated(app.db)).rejects.toThrow('run `dondoc migrate`');

      const migrated = await run(['migrate'], { DATABASE_URL: ownerUrl });
      expect(migrated.code, migrated.output).toBe(0);

      expect(await pendingMigrations(app.db)).toBe(0);
      await requireMigrated(app.db);
      await app.db.execute(sql`insert into dondoc_deployment (deployment_id) values (gen_random_uuid())`);
      await app.db.execute(sql`delete from dondoc_deployment`);
      // No DDL: neither a table nor the migrations' own schema.
      await expect(app.db.execute(sql`create table intruder (a int)`)).rejects.toSatisfy((e) => codeOf(e) === '42501');
      await expect(runMigrations(app.db)).rejects.toSatisfy((e) => codeOf(e) === '42501');
    } finally {
      await app.close();
    }
    // Neither side reaches the other's databases.
    for (const [url, what] of [
      [as(names.dondoc_app_role, names.dondoc_app_password, names.temporal_db), 'Temporal'],
      [as(names.temporal_role, names.temporal_password, names.dondoc_db), 'Đôn đốc'],
    ] as const) {
      const client = new pg.Client({ connectionString: url });
      await expect(client.connect(), what).rejects.toThrow(/permission denied|CONNECT privilege/);
      await client.end().catch(() => {});
    }
  });

  it('run the API and the worker as the application role, with DONDOC_MIGRATE_AT_START=false', async () => {
    const apiPort = await freePort();
    const healthPort = await freePort();
    const env = {
      DATABASE_URL: appUrl,
      DONDOC_MIGRATE_AT_START: 'false',
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: ctx.namespace,
      TEMPORAL_TASK_QUEUE: ctx.taskQueue,
      DONDOC_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const api = serve(['api'], {
      ...env,
      PORT: String(apiPort),
      DONDOC_BOOTSTRAP_TOKEN: 'dd_roles-bootstrap-token-0123456789',
    });
    await waitOk(`http://127.0.0.1:${apiPort}/readyz`, api);
    const worker = serve(['worker'], { ...env, DONDOC_WORKER_HEALTH_PORT: String(healthPort) });
    await waitOk(`http://127.0.0.1:${healthPort}/readyz`, worker);
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status).toBe(200);
    // The pair is recorded on both sides, and the worker runs the namespace's marker.
    const marker = await ctx.client.workflow.getHandle(DEPLOYMENT_MARKER_ID).describe();
    expect(marker.status.name).toBe('RUNNING');
    expect(marker.memo?.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
    const plans = await fetch(`http://127.0.0.1:${apiPort}/v1/plans`, {
      headers: { authorization: 'Bearer dd_roles-bootstrap-token-0123456789' },
    });
    expect(plans.status).toBe(200);
    for (const child of [worker.child, api.child]) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // Two processes of its own, each loading the whole application: more than a minute on a busy machine.
  }, 120_000);
});
