import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { dispatchPlan } from '../../services/workflow-dispatch.ts';
import { and, eq, sql } from 'drizzle-orm';
import { markReports } from '../../activities/mark-reports.ts';
import { assignments, auditLog, notifications, reportFilings } from '../../db/schema.ts';
import { planReportsQuery, planReportsWorkflowId } from '../../workflows/messages.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importPlan } from '../../services/plan-import.ts';
import {
  agencyActor,
  command,
  coordinator,
  importSimulatedPlan,
  quietPolicy,
  saveHistoryForReplay,
  simulatedPlan,
} from '../support/assignments.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
});

afterAll(async () => {
  await ctx?.close();
});

const countsOf = async (slug: string) => {
  const like = `${slug}:%`;
  const [audit] = await ctx.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(sql`${auditLog.entityId} like ${like}`, sql`${auditLog.action} in ('report-reminder', 'report-late')`));
  const notes = await ctx.database.db
    .select({
      id: notifications.assignmentId,
      kind: notifications.kind,
      to: sql<string>`coalesce(${notifications.recipientAgency}, ${notifications.recipientRole})`,
    })
    .from(notifications)
    .where(
      and(
        sql`${notifications.assignmentId} like ${like}`,
        sql`${notifications.kind} in ('report-reminder', 'report-late')`,
      ),
    )
    .orderBy(notifications.id);
  return { audit: audit!.n, notes: notes.map((n) => [n.id.slice(slug.length + 1), n.kind, n.to]) };
};

describe.concurrent("the plan's report timers", () => {
  it('remind and mark late, at once, every agency still owing the report, and nobody twice', async () => {
    // Tuesday 17 March 2026, 18:00; eight seconds a day. The Q1 reminder goes out Wednesday 08:00
    // (about 5 s from now), the late mark Friday 08:00 (about 21 s).
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-17T18:00:00+07:00',
      secondsPerDay: 8,
      policy: { ...quietPolicy, reports: ['Q1'], reportReminderWorkingDays: [1] },
      tasks: [{ leads: ['SNV', 'STP', 'SYT'], deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } }],
    });
    const id = (code: string) => `${plan.slug}:1:${code}`;
    await eventually(
      async () => {
        const rows = await ctx.database.db
          .select()
          .from(reportFilings)
          .where(sql`${reportFilings.assignmentId} like ${`${plan.slug}:%`}`);
        return rows.length === 3 ? rows : undefined;
      },
      10_000,
      'every assignment owing its Q1 report',
    );
    // Sở Tư pháp reports at once; Sở Y tế's assignment is cancelled: neither is chased.
    await command(ctx.client, id('STP'), agencyActor('STP'), {
      type: 'fileReport',
      period: '2026-Q1',
      summary: 'Đã rà soát',
    });
    await command(ctx.client, id('SYT'), coordinator, { type: 'cancel', reason: 'Không còn phù hợp' });

    const handle = ctx.client.workflow.getHandle(planReportsWorkflowId(plan.id));
    expect(await handle.query(planReportsQuery)).toMatchObject({
      revision: 1,
      next: { kind: 'report-reminder', period: '2026-Q1', at: '2026-03-18T08:00:00+07:00' },
    });
    await eventually(
      async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined),
      40_000,
      "the plan's last report timer",
    );

    const after = await countsOf(plan.slug);
    expect(after.notes).toEqual([
      ['1:SNV', 'report-reminder', 'SNV'],
      ['1:SNV', 'report-late', 'SNV'],
      ['1:SNV', 'report-late', 'coordinator'],
    ]);
    expect(after.audit).toBe(2);
    const filings = await ctx.database.db
      .select()
      .from(reportFilings)
      .where(sql`${reportFilings.assignmentId} like ${`${plan.slug}:%`}`)
      .orderBy(reportFilings.assignmentId);
    expect(filings.map((f) => [f.assignmentId.slice(plan.slug.length + 1), f.late, f.filedAt !== null])).toEqual([
      ['1:SNV', true, false],
      ['1:STP', false, true],
    ]);
    expect(filings[0]!.markedLateAt?.toISOString()).toBe('2026-03-20T01:00:00.000Z');
    const [snv] = await ctx.database.db
      .select({ state: assignments.state })
      .from(assignments)
      .where(eq(assignments.id, id('SNV')));
    expect((snv!.state as { latePeriods: string[] }).latePeriods).toEqual(['2026-Q1']);

    // The activity retried (a worker lost after its commit) writes nothing twice.
    await markReports(ctx.database.db, {
      planId: plan.id,
      event: { kind: 'report-due', period: '2026-Q1', at: '2026-03-20T08:00:00+07:00' },
      realAt: new Date().toISOString(),
    });
    await markReports(ctx.database.db, {
      planId: plan.id,
      event: { kind: 'report-reminder', period: '2026-Q1', workingDaysBefore: 1, at: '2026-03-18T08:00:00+07:00' },
      realAt: new Date().toISOString(),
    });
    expect(await countsOf(plan.slug)).toEqual(after);
    await saveHistoryForReplay(ctx.client, planReportsWorkflowId(plan.id), 'plan-report-timers');
  });

  it('follow a revised plan: a report added to the policy gets its timers', async () => {
    const tasks = [{ leads: ['SNV'], deadline: { kind: 'date' as const, due: '2026-12-31', raw: '2026' } }];
    // Monday 4 May 2026; a day lasts an hour, so nothing fires during the test.
    const first = await importSimulatedPlan(ctx, {
      virtualStart: '2026-05-04T09:00:00+07:00',
      secondsPerDay: 3600,
      policy: { ...quietPolicy, reports: ['Q3'] },
      tasks,
    });
    const handle = ctx.client.workflow.getHandle(planReportsWorkflowId(first.plan.id));
    await eventually(
      async () => ((await handle.query(planReportsQuery)).next ? true : undefined),
      10_000,
      "the plan's timers",
    );
    // 19 September 2026 is a Saturday: the last day moves to Monday 21, the late mark to Tuesday.
    expect((await handle.query(planReportsQuery)).next).toEqual({
      kind: 'report-due',
      period: '2026-Q3',
      at: '2026-09-22T08:00:00+07:00',
    });

    const revised = await importSimulatedPlan(ctx, {
      code: first.plan.code,
      virtualStart: '2026-05-04T09:00:00+07:00',
      secondsPerDay: 3600,
      policy: { ...quietPolicy, reports: ['H1', 'Q3'] },
      tasks,
    });
    expect(revised.plan.revision).toBe(2);
    // 19 June 2026 is a Friday: the six-month report falls late on Monday 22 June.
    const next = await eventually(
      async () => {
        const state = await handle.query(planReportsQuery);
        return state.revision === 2 ? state.next : undefined;
      },
      10_000,
      'the revision',
    );
    expect(next).toEqual({ kind: 'report-due', period: '2026-H1', at: '2026-06-22T08:00:00+07:00' });
    await saveHistoryForReplay(ctx.client, planReportsWorkflowId(first.plan.id), 'plan-report-timers-revised');
  });

  it('wait for an assignment whose workflow could not start before the instant, then mark it too', async () => {
    // Thursday 19 March 2026, 20:00; eight seconds a day: the Q1 reports fall late in 4 s.
    const options = {
      virtualStart: '2026-03-19T20:00:00+07:00',
      secondsPerDay: 8,
      policy: { ...quietPolicy, reports: ['Q1'] },
      tasks: [{ leads: ['SNV'], deadline: { kind: 'date' as const, due: '2026-12-31', raw: '2026' } }],
    };
    const first = simulatedPlan(options);
    const { plan } = await importPlan(ctx.deps, first);
    // A revision adds Sở Tư pháp while Temporal cannot be reached (a namespace that does not exist).
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const away = {
      ...ctx.deps,
      temporal: { client: new Client({ connection, namespace: 'nowhere' }), taskQueue: ctx.taskQueue },
    };
    const failures: unknown[] = [];
    const revised = await importPlan(
      away,
      {
        ...first,
        tasks: [
          {
            ...first.tasks[0]!,
            leads: [
              { code: 'SNV', name: 'SNV' },
              { code: 'STP', name: 'STP' },
            ],
            leadsRaw: 'SNV, STP',
          },
        ],
      },
      { onDispatchFailure: (error) => failures.push(error), revise: true },
    );
    await connection.close();
    expect(failures).toHaveLength(1);
    expect(revised.assignments.pendingStart).toBe(1);

    await sleep(6_000);
    // Past the instant: the plan's timer waits for the assignment it cannot see yet.
    expect((await countsOf(plan.slug)).audit).toBe(0);

    await dispatchPlan(ctx.deps, plan.id);
    const marked = await eventually(
      async () => {
        const counts = await countsOf(plan.slug);
        return counts.audit === 2 ? counts : undefined;
      },
      60_000,
      'both late marks',
    );
    expect(marked.notes.map(([id, kind]) => `${id} ${kind}`).sort()).toEqual([
      '1:SNV report-late',
      '1:SNV report-late',
      '1:STP report-late',
      '1:STP report-late',
    ]);
    // A test's default minute is the wait's own: the six seconds before it need their room too.
  }, 120_000);
});
