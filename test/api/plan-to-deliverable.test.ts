import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auditLog } from '../../db/schema.ts';
import { connectDatabase } from '../../db/client.ts';
import { Client } from '@temporalio/client';
import { buildApp } from '../../api/app.ts';
import { dispatchPlan } from '../../services/workflow-dispatch.ts';
import { buildTestApp, createTestContext, eventually, quietLogger, type TestContext } from '../support/context.ts';
import { samplePlan } from '../support/plans.ts';
import { bearer, testTokens } from '../support/auth.ts';

let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;
let snv: Record<string, string>;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  app = await buildTestApp(ctx);
  const tokens = testTokens(ctx);
  coordinator = bearer(await tokens.coordinator());
  snv = bearer(await tokens.agency('SNV'));
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

async function getAssignment(id: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/assignments/${encodeURIComponent(id)}`,
    headers: coordinator,
  });
  return { status: response.statusCode, body: response.json() };
}

describe('a plan, its assignments and a deliverable, through every layer', () => {
  it('imports a plan: one workflow and one projected assignment per (task, lead agency)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: samplePlan(),
      headers: coordinator,
    });
    expect(response.statusCode).toBe(201);
    const result = response.json();
    expect(result.outcome).toBe('created');
    expect(result.plan).toMatchObject({ code: '2866/QĐ-UBND', slug: '2866-qd-ubnd' });
    // Task 35 is led by two departments: three assignments in all.
    expect(result.assignments).toMatchObject({ created: 3, total: 3, started: 3, pendingStart: 0 });

    const ids = ['2866-qd-ubnd:14:SNV', '2866-qd-ubnd:35:SYT', '2866-qd-ubnd:35:SGDDT'];
    for (const id of ids) {
      const description = await ctx.client.workflow.getHandle(id).describe();
      expect(description.status.name).toBe('RUNNING');
    }
    const projected = await eventually(
      async () => {
        const { body } = await getAssignment(ids[0]!);
        return body.version >= 1 ? body : undefined;
      },
      30_000,
      'the projection of the first assignment',
    );
    expect(projected).toMatchObject({
      id: '2866-qd-ubnd:14:SNV',
      plan: { code: '2866/QĐ-UBND' },
      task: { number: '14' },
      agencyCode: 'SNV',
      status: 'assigned',
      effectiveDue: '2021-12-31',
    });
    expect(projected.timeline.map((e: { action: string }) => e.action)).toEqual(['assign']);
  });

  it('posting the same plan again duplicates nothing', async () => {
    const before = await app.inject({ method: 'GET', url: '/v1/assignments', headers: coordinator });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: samplePlan(),
      headers: coordinator,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ outcome: 'unchanged', changes: [], assignments: { created: 0, total: 3 } });
    const after = await app.inject({ method: 'GET', url: '/v1/assignments', headers: coordinator });
    expect(after.json().items).toHaveLength(before.json().items.length);
  });

  it("refuses, with 409 and nothing written, a different plan code that would share the existing one's IDs", async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: samplePlan({ code: '2866-QĐ-UBND' }),
      headers: coordinator,
    });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain('2866/QĐ-UBND');
    const plans = await app.inject({ method: 'GET', url: '/v1/plans', headers: coordinator });
    expect(plans.json().items.map((p: { code: string }) => p.code)).toEqual(['2866/QĐ-UBND']);
  });

  it('keeps an import whose workflows cannot be started yet, answers with them pending, and starts them later', async () => {
    // A client of a namespace that does not exist: every start fails, as when Temporal is away.
    const away = await buildApp(
      {
        ...ctx.deps,
        temporal: {
          ...ctx.deps.temporal,
          client: new Client({ connection: ctx.client.connection, namespace: 'no-such-namespace' }),
        },
      },
      { logger: quietLogger() },
    );
    const response = await away.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: samplePlan({ code: '9/KH-TEST' }),
      headers: coordinator,
    });
    await away.close();
    expect(response.statusCode).toBe(201);
    const result = response.json();
    expect(result.assignments).toMatchObject({ created: 3, started: 0, pendingStart: 3 });
    expect((await dispatchPlan(ctx.deps, result.plan.id)).started).toBe(3);
    expect((await ctx.client.workflow.getHandle('9-kh-test:14:SNV').describe()).status.name).toBe('RUNNING');
  });

  it('records a deliverable through the workflow, then refuses a second one with 409 and a reason', async () => {
    const id = '2866-qd-ubnd:14:SNV';
    const deliverable = {
      type: 'Kế hoạch',
      documentNumber: '319/KH-UBND',
      date: '2021-12-20',
      link: 'https://vinhphuc.gov.vn/vb/319',
    };
    const first = await app.inject({
      method: 'POST',
      url: `/v1/assignments/${id}/deliverables`,
      payload: deliverable,
      headers: snv,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'submitted',
      submissions: [{ type: 'Kế hoạch', documentNumber: '319/KH-UBND', outcome: 'pending' }],
    });

    const shown = await getAssignment(id);
    expect(shown.body.status).toBe('submitted');
    expect(shown.body.timeline.map((e: { action: string }) => e.action)).toEqual(['assign', 'submitDeliverable']);
    const auditRows = (await ctx.database.db.select().from(auditLog)).length;

    const second = await app.inject({
      method: 'POST',
      url: `/v1/assignments/${id}/deliverables`,
      payload: { ...deliverable, documentNumber: '320/KH-UBND' },
      headers: snv,
    });
    expect(second.statusCode).toBe(409);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.json()).toMatchObject({ status: 409, title: 'Conflict' });
    expect(second.json().detail).toContain('đang chờ');

    // Nothing recorded: same submissions, same version, no audit entry, no update in the history.
    const after = await getAssignment(id);
    expect(after.body.submissions).toHaveLength(1);
    expect(after.body.version).toBe(shown.body.version);
    expect((await ctx.database.db.select().from(auditLog)).length).toBe(auditRows);
    const history = await ctx.client.workflow.getHandle(id).fetchHistory();
    const accepted = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(accepted).toHaveLength(1);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/assignments/2866-qd-ubnd:35:SYT/deliverables',
      payload: { type: 'Báo cáo', date: '2022-13-40' },
      headers: coordinator,
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['/documentNumber']));

    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      payload: samplePlan({
        code: 'X/2026',
        tasks: [{ number: '1', title: 'Thử', leads: ['Sở Nội vu và Sở Không Có'], dueDate: '2022-01-01' }],
      }),
      headers: coordinator,
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0]).toMatchObject({ field: '/tasks/0/leads/0' });
    expect(unknown.json().errors[0].message).toContain('Sở Không Có');
  });

  it('answers 404 for an assignment that does not exist', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/assignments/nope:1:X', headers: coordinator });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('pages lists with a cursor', async () => {
    const plan = `plan=${encodeURIComponent('2866/QĐ-UBND')}`;
    const first = await app.inject({ method: 'GET', url: `/v1/assignments?${plan}&limit=2`, headers: coordinator });
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (
      await app.inject({
        method: 'GET',
        url: `/v1/assignments?${plan}&limit=2&cursor=${page1.nextCursor}`,
        headers: coordinator,
      })
    ).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const all = [...page1.items, ...page2.items].map((a: { id: string }) => a.id);
    expect(new Set(all).size).toBe(3);
  });

  it('reports health, readiness and its OpenAPI document', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: { status: 'ok' }, temporal: { status: 'ok' } });
    // Down: says which part, and nothing of why (no address, no driver message) to the public.
    const unreachable = connectDatabase('postgres://dondoc@127.0.0.1:1/nowhere');
    const broken = await buildApp({ db: unreachable.db, temporal: ctx.deps.temporal }, { logger: quietLogger() });
    try {
      const down = await broken.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({
        status: 'not ready',
        database: { status: 'unavailable' },
        temporal: { status: 'ok' },
      });
      expect(down.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|nowhere/);
    } finally {
      await broken.close();
      await unreachable.close();
    }
    const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/v1/plans', '/v1/assignments/{id}', '/v1/assignments/{id}/deliverables']),
    );
    // The interactive page is served only with DONDOC_API_DOCS=true (test/api/protection.test.ts).
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(404);
  });
});
