import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../db/client.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

// The chaos run stops PostgreSQL under a worker: a connection the pool had lent out (a transaction
// in flight) was ended by the server, pg emitted 'error' on that client with no one listening, and
// the worker process died instead of retrying.

let ctx: TestContext;
let handle: DatabaseHandle;

beforeAll(async () => {
  ctx = await createTestContext();
  handle = connectDatabase(ctx.databaseUrl, { max: 2 });
});

afterAll(async () => {
  await handle?.close();
  await ctx?.close();
});

describe('a connection the database ends while the process is using it', () => {
  it('fails the work in flight, and the process and its pool carry on', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let backend = 0;
    const inFlight = handle.db.transaction(async (tx) => {
      const { rows } = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      backend = rows[0]!.pid;
      await held;
      await tx.execute(sql`select 1`);
    });
    const outcome = inFlight.then(
      () => 'committed',
      () => 'failed',
    );
    while (backend === 0) await new Promise((r) => setTimeout(r, 20));

    // What a stop of PostgreSQL does to each connection: "terminating connection due to administrator command".
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [backend]);
    await admin.end();
    await new Promise((r) => setTimeout(r, 500));
    release();

    expect(await outcome).toBe('failed');
    const { rows } = await handle.db.execute<{ ok: number }>(sql`select 1 as ok`);
    expect(rows[0]!.ok).toBe(1);
  });
});
