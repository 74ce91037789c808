import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { auditLog, notifications } from '../../db/schema.ts';
import { ensureHousekeeping } from '../../services/housekeeping.ts';
import { buildTestApp, createTestContext, eventually, type TestContext } from '../support/context.ts';
import { bearer, testTokens } from '../support/auth.ts';
import { saveHistoryForReplay } from '../support/assignments.ts';

// An assignment whose workflow Temporal closed (an operator's terminate, a limit) while the work is
// open: found within the housekeeping's round, shown to the coordinator, refused to others with the
// reason, and restarted by the coordinator from the state it had.
let ctx: TestContext;
let app: FastifyInstance;
let coordinator: Record<string, string>;
let snv: Record<string, string>;
let id = '';

const get = async (who: Record<string, string>, url: string) => app.inject({ method: 'GET', url, headers: who });
const post = async (who: Record<string, string>, url: string, payload: object = {}) =>
  app.inject({ method: 'POST', url, headers: who, payload });

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker({ housekeeping: { roundMs: 500 } });
  await ensureHousekeeping(ctx.client, ctx.taskQueue);
  app = await buildTestApp(ctx);
  const tokens = testTokens(ctx);
  coordinator = bearer(await tokens.coordinator());
  snv = bearer(await tokens.agency('SNV'));
  const imported = await post(coordinator, '/v1/plans', {
    code: '77/KH-UBND',
    title: 'Kế hoạch CCHC năm 2027',
    province: 'Vĩnh Phúc',
    periodStart: '2027-01-01',
    periodEnd: '2027-12-31',
    tasks: [{ number: '1', title: 'Rà soát thủ tục hành chính', leads: ['Sở Nội vụ'], dueDate: '2027-06-30' }],
  });
  expect(imported.statusCode).toBe(201);
  id = `${imported.json().plan.slug}:1:SNV`;
  await eventually(
    async () => ((await get(coordinator, `/v1/assignments/${id}`)).json().version >= 1 ? true : undefined),
    30_000,
    'the first projection',
  );
  expect((await post(snv, `/v1/assignments/${id}/acknowledge`)).statusCode).toBe(200);
  const filed = await post(snv, `/v1/assignments/${id}/reports`, {
    period: '2027-Q1',
    summary: 'Đã rà soát 40 thủ tục',
  });
  expect(filed.statusCode).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await ctx?.close();
});

describe('an assignment whose workflow was closed while its work is open', () => {
  it('is found, shown to the coordinator and refuses commands with the reason', async () => {
    const before = await ctx.client.workflow.getHandle(id).describe();
    await ctx.client.workflow.getHandle(id).terminate('thử nghiệm: dừng cưỡng bức');

    const stopped = await eventually(
      async () => {
        const body = (await get(coordinator, `/v1/assignments/${id}`)).json();
        return body.stopped ? body : undefined;
      },
      30_000,
      'the assignment marked stopped',
    );
    expect(stopped.stopped).toMatchObject({ reason: 'terminated' });
    expect(stopped.stopped.text).toContain('cần khởi động lại');
    expect(stopped.status).toBe('in_progress');

    const listed = (await get(coordinator, '/v1/assignments?stopped=true')).json().items;
    expect(listed.map((a: { id: string }) => a.id)).toEqual([id]);
    const told = await ctx.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.assignmentId, id), eq(notifications.kind, 'workflow-stopped')));
    expect(told).toHaveLength(1);
    expect(told[0]!.recipientRole).toBe('coordinator');
    const [entry] = await ctx.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'workflow-stopped')));
    expect(entry!.details).toMatchObject({ reason: 'terminated', runId: before.runId });

    const refused = await post(snv, `/v1/assignments/${id}/reports`, { period: '2027-H1', summary: 'Báo cáo 6 tháng' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('khởi động lại');
  });

  it('is restarted by the coordinator alone, from the state it had', async () => {
    expect((await post(snv, `/v1/assignments/${id}/restart`)).statusCode).toBe(403);
    const restarted = await post(coordinator, `/v1/assignments/${id}/restart`);
    expect(restarted.statusCode).toBe(200);
    expect(restarted.json()).toMatchObject({ stopped: null, status: 'in_progress' });
    expect((await ctx.client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');

    // The new run carries what the old one had: the acknowledgement, the report, the version.
    const filed = await post(snv, `/v1/assignments/${id}/reports`, { period: '2027-H1', summary: 'Báo cáo 6 tháng' });
    expect(filed.statusCode).toBe(200);
    const after = filed.json();
    expect(after.reports.map((r: { period: string }) => r.period)).toEqual(['2027-Q1', '2027-H1']);
    expect(after.acknowledgedAt).toBeTruthy();
    expect(after.version).toBeGreaterThan(3);
    const timeline = (await get(coordinator, `/v1/assignments/${id}`)).json().timeline;
    expect(timeline.map((e: { action: string }) => e.action)).toEqual([
      'assign',
      'acknowledge',
      'fileReport',
      'workflow-stopped',
      'workflow-restart',
      'fileReport',
    ]);

    // A running one is not restarted again.
    expect((await post(coordinator, `/v1/assignments/${id}/restart`)).statusCode).toBe(409);
    await saveHistoryForReplay(ctx.client, id, 'restarted-from-read-model');
  });
});
