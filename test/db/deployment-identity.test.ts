import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/client.ts';
import {
  checkDeploymentIdentity,
  DEPLOYMENT_MARKER_ID,
  DeploymentMismatch,
  ensureDeploymentTable,
} from '../../runtime/deployment-identity.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';

// Each context is a fresh database (no plan) and a fresh namespace (no workflow).
let a: TestContext;
let b: TestContext;
let c: TestContext;

beforeAll(async () => {
  [a, b, c] = await Promise.all([createTestContext(), createTestContext(), createTestContext()]);
});

afterAll(async () => {
  await Promise.all([a, b, c].map((ctx) => ctx?.close()));
});

const check = (db: TestContext, temporal: TestContext) =>
  checkDeploymentIdentity({
    db: db.database.db,
    client: temporal.client,
    taskQueue: temporal.taskQueue,
    where: { database: 'DATABASE_URL', temporal: `namespace "${temporal.namespace}"` },
  });

const recorded = async (ctx: TestContext) =>
  (
    await ctx.database.db.execute<{ id: string }>(
      sql`select deployment_id::text as id from dondoc_deployment where confirmed_at is not null`,
    )
  ).rows[0]?.id;

describe('a database and a Temporal namespace that belong together', () => {
  it('are paired on their first start, by processes starting at once, and recognised afterwards', async () => {
    // The API and the worker of a new deployment start together, each with its own pool.
    const other = connectDatabase(a.databaseUrl, { max: 2 });
    try {
      const [first, second] = await Promise.all([
        check(a, a),
        checkDeploymentIdentity({
          db: other.db,
          client: a.client,
          taskQueue: a.taskQueue,
          where: { database: 'DATABASE_URL', temporal: 'namespace' },
        }),
      ]);
      expect(first.deploymentId).toBe(second.deploymentId);
      expect(first.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await other.close();
    }
    const id = await recorded(a);
    const marker = await a.client.workflow.getHandle(DEPLOYMENT_MARKER_ID).describe();
    expect(marker.status.name).toBe('RUNNING');
    expect(marker.memo).toEqual({ deploymentId: id });
    expect(await check(a, a)).toEqual({ deploymentId: id, adopted: false });
  });

  it('refuses a fresh database against a namespace that serves another one, and leaves both as they were', async () => {
    const error = await check(b, a).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentMismatch);
    const message = (error as Error).message;
    expect(message).toContain(`The database (DATABASE_URL) and the Temporal namespace "${a.namespace}"`);
    expect(message).toContain(`the namespace belongs to deployment ${await recorded(a)}`);
    expect(message).toContain('Point DATABASE_URL and TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE');
    expect(await recorded(b)).toBeUndefined();
    expect(await check(a, a)).toMatchObject({ adopted: false });
  });

  it('refuses a paired database against a namespace that never served it (a new one, or one whose data was lost)', async () => {
    const error = await check(a, b).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentMismatch);
    expect((error as Error).message).toContain('the namespace has never served it');
    await expect(b.client.workflow.getHandle(DEPLOYMENT_MARKER_ID).describe()).rejects.toThrow();
  });

  it('starts again a marker that someone terminated', async () => {
    const id = await recorded(a);
    await a.client.workflow.getHandle(DEPLOYMENT_MARKER_ID).terminate('by hand');
    expect(await check(a, a)).toEqual({ deploymentId: id, adopted: false });
    expect((await a.client.workflow.getHandle(DEPLOYMENT_MARKER_ID).describe()).status.name).toBe('RUNNING');
  });

  it('refuses, from before the ids, a database without plans against a namespace running our workflows', async () => {
    // A namespace used by an earlier version: an assignment workflow, and no marker.
    await c.client.workflow.start('assignmentWorkflow', {
      workflowId: '2866-qd-ubnd:35:SYT',
      taskQueue: `${c.taskQueue}-nobody`,
      args: [{}],
    });
    await eventually(async () =>
      (await c.client.workflow.count("WorkflowType = 'assignmentWorkflow'")).count > 0 ? true : undefined,
    );
    await expect(check(c, c)).rejects.toThrow(
      'the database has no plan while the namespace runs workflows of Đôn đốc, so those belong to another database.',
    );
    expect(await recorded(c)).toBeUndefined();
  });

  it('creates its table once, however many processes start together', async () => {
    await c.database.db.execute(sql`drop table dondoc_deployment`);
    const pools = [1, 2, 3].map(() => connectDatabase(c.databaseUrl, { max: 1 }));
    try {
      await Promise.all(pools.map((pool) => ensureDeploymentTable(pool.db)));
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
    const { rows } = await c.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from information_schema.tables where table_name = 'dondoc_deployment'`,
    );
    expect(rows[0]!.n).toBe(1);
  });
});
