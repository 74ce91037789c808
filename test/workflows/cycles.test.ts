import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { assignments, auditLog, plans, tasks } from '../../db/schema.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import {
  agencyActor,
  command,
  coordinator,
  importSimulatedPlan,
  quietPolicy,
  notificationsOf,
  query,
  saveHistoryForReplay,
  waitForState,
} from '../support/assignments.ts';
import type { AssignmentInput } from '../../workflows/messages.ts';
import { assignmentWorkflow } from '../../workflows/assignment.ts';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
});

afterAll(async () => {
  await ctx?.close();
});

describe.concurrent('cycles and continue-as-new', () => {
  it('a yearly task runs its second cycle after the first, continuing as new with its history', async () => {
    // 30 December 2026, 09:00; eight seconds per day: the 2027 cycle begins about 12 s from now,
    // time enough on a loaded machine to close the 2026 cycle first.
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-12-30T09:00:00+07:00',
      secondsPerDay: 8,
      policy: quietPolicy,
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      tasks: [{ leads: ['SNV'], deadline: { kind: 'recurring', recurrence: { every: 'year' }, raw: 'Hàng năm' } }],
    });
    const id = `${plan.slug}:1:SNV`;
    const first = await waitForState(ctx.client, id, (v) => v.version >= 1 && v.cycle !== null);
    expect(first.cycle).toMatchObject({ year: 2026, due: '2026-12-31', effectiveDue: '2026-12-31' });
    const firstRun = (await ctx.client.workflow.getHandle(id).describe()).runId;

    const lead = agencyActor('SNV');
    await command(ctx.client, id, lead, { type: 'acknowledge' });
    await command(ctx.client, id, lead, {
      type: 'submitDeliverable',
      deliverableType: 'Kế hoạch',
      documentNumber: '300/KH-UBND',
      documentDate: '2026-12-30',
    });
    const closed = await command(ctx.client, id, coordinator, { type: 'accept' });
    expect(closed.status).toBe('completed');

    const second = await waitForState(ctx.client, id, (v) => v.cycle?.year === 2027, 60_000, 'the 2027 cycle');
    expect(second).toMatchObject({
      status: 'acknowledged',
      submissions: [],
      cycle: { year: 2027, due: '2027-12-31' },
      cycles: [{ year: 2026, status: 'completed', onTime: true, due: '2026-12-31' }],
    });
    expect(second.version).toBeGreaterThan(closed.version);
    expect((await ctx.client.workflow.getHandle(id).describe()).runId).not.toBe(firstRun);
    const row = await eventually(async () => {
      const [r] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
      return r && (r.state as { cycle?: { year: number } }).cycle?.year === 2027 ? r : undefined;
    });
    expect(row.status).toBe('acknowledged');
    expect(row.effectiveDue).toBe('2027-12-31');
    const announced = await eventually(async () => {
      const found = (await notificationsOf(ctx, id)).filter((n) => n.kind === 'cycle-started');
      return found.length > 0 ? found : undefined;
    });
    expect(announced).toHaveLength(1);
    expect(announced[0]!.text).toContain('Bắt đầu chu kỳ năm 2027');
    expect(announced[0]!.text).toContain('31/12/2027');
    await saveHistoryForReplay(ctx.client, id, 'recurring-first-cycle', firstRun);
  });

  it('starts the next yearly cycle even when the last one was left unfinished, once its escalation ladder has run', async () => {
    // 30 December 2026, 09:00; two seconds per day. Nobody acts: the 2026 cycle is escalated on the
    // first working day after its due day, then gives way to the 2027 cycle.
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-12-30T09:00:00+07:00',
      secondsPerDay: 2,
      policy: { ...quietPolicy, escalation: [{ level: 1, afterWorkingDays: 1 }] },
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      tasks: [{ leads: ['SYT'], deadline: { kind: 'recurring', recurrence: { every: 'year' }, raw: 'Hằng năm' } }],
    });
    const id = `${plan.slug}:1:SYT`;
    const firstRun = (await ctx.client.workflow.getHandle(id).describe()).runId;
    const second = await waitForState(ctx.client, id, (v) => v.cycle?.year === 2027, 45_000, 'the 2027 cycle');
    expect(second).toMatchObject({
      status: 'acknowledged',
      escalationLevel: 0,
      cycle: { year: 2027, due: '2027-12-31' },
      cycles: [{ year: 2026, status: 'assigned', onTime: false, due: '2026-12-31' }],
    });
    const trail = await eventually(async () => {
      const rows = await ctx.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'assignment'), eq(auditLog.entityId, id)));
      return rows.some((r) => r.action === 'startCycle') ? rows.sort((a, b) => a.id - b.id) : undefined;
    });
    // The ladder ran before the new cycle began, each step once.
    expect(trail.map((e) => e.action)).toEqual(['assign', 'escalation', 'startCycle']);
    // Nothing more of 2026 is chased: the workflow now waits on the 2027 cycle alone.
    expect((await query(ctx.client, id)).nextEvent?.at ?? '').not.toMatch(/^2026/);
    await saveHistoryForReplay(ctx.client, id, 'recurring-rollover', firstRun);
  });

  it('continues as new when its history grows, keeping every fact and writing each once', async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-02T09:00:00+07:00',
      secondsPerDay: 86_400,
      policy: quietPolicy,
      tasks: [{ leads: ['STP'], deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } }],
    });
    // A second workflow for the same task and agency, with a small history limit.
    const [taskRow] = await ctx.database.db
      .select()
      .from(tasks)
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .where(eq(plans.id, plan.id));
    const id = `${plan.slug}:1:STP:short-history`;
    const input: AssignmentInput = {
      assignmentId: id,
      planId: plan.id,
      planCode: taskRow!.plans.code,
      planPeriod: { start: taskRow!.plans.periodStart, end: taskRow!.plans.periodEnd },
      policy: taskRow!.plans.policy as Record<string, unknown>,
      taskId: taskRow!.tasks.id,
      taskNumber: '1',
      taskTitle: taskRow!.tasks.title,
      agencyCode: 'STP',
      deadline: taskRow!.tasks.deadline,
      historyLimit: 25,
    };
    const handle = await ctx.client.workflow.start(assignmentWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: id,
      args: [input],
    });
    const firstRun = handle.firstExecutionRunId;

    const lead = agencyActor('STP');
    await command(ctx.client, id, lead, { type: 'acknowledge' });
    const periods = ['2026-Q1', '2026-H1', '2026-Q3', '2026-Y'];
    for (const period of periods)
      await command(ctx.client, id, lead, { type: 'fileReport', period, summary: `Báo cáo ${period}` });
    for (const n of [1, 2, 3]) {
      await command(
        ctx.client,
        id,
        { role: 'agency', agencyCode: 'SNV', name: 'SNV' },
        { type: 'addContribution', text: `Ý kiến phối hợp ${n}` },
      );
    }
    const final = await query(ctx.client, id);
    const runs = await eventually(
      async () => {
        const list: string[] = [];
        for await (const execution of ctx.client.workflow.list({ query: `WorkflowId = '${id}'` }))
          list.push(execution.runId);
        return list.length > 1 ? list : undefined;
      },
      30_000,
      'a continued-as-new run',
    );
    expect(runs).toContain(firstRun);
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(final.reports.map((r) => r.period)).toEqual(periods);
    expect(final.contributions).toHaveLength(3);
    expect(final).toMatchObject({ status: 'in_progress', version: 9 });
    // Every change was recorded exactly once across the runs.
    const trail = await eventually(async () => {
      const rows = await ctx.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'assignment'), eq(auditLog.entityId, id)));
      return rows.length >= 9 ? rows : undefined;
    });
    expect(trail.map((e) => e.action).sort()).toEqual([
      'acknowledge',
      'addContribution',
      'addContribution',
      'addContribution',
      'assign',
      'fileReport',
      'fileReport',
      'fileReport',
      'fileReport',
    ]);
    await saveHistoryForReplay(ctx.client, id, 'continue-as-new', firstRun);
  });
});
