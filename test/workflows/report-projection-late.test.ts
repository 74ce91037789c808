import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.ts';
import { auditLog, notifications, reportFilings } from '../../db/schema.ts';
import { toRealTime } from '../../domain/clock.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import {
  agencyActor,
  command,
  importSimulatedPlan,
  quietPolicy,
  saveHistoryForReplay,
} from '../support/assignments.ts';

// Finding 7 of RELIABILITY.md: a report the workflow accepted in time, whose write to the read model
// is held up past the plan's late mark (the database away), was marked late by the plan, which
// reads the read model: its lead and the coordinator were told an on-time report was missing.

let ctx: TestContext;
let stopWorker: (() => Promise<void>) | undefined;
/** Assignments whose writes to the read model fail, as when the database is away. */
const unwritable = new Set<string>();

beforeAll(async () => {
  ctx = await createTestContext();
  const activities = createActivities({ db: ctx.database.db, calendar: await loadCalendar() });
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    namespace: ctx.namespace,
    taskQueue: ctx.taskQueue,
    activities: {
      ...activities,
      recordAssignment: async (input: Parameters<typeof activities.recordAssignment>[0]) => {
        if (unwritable.has(input.snapshot.id)) throw new Error('connect ECONNREFUSED (the database is away)');
        return activities.recordAssignment(input);
      },
    },
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
    await connection.close();
  };
});

afterAll(async () => {
  unwritable.clear();
  await stopWorker?.();
  await ctx?.close();
});

describe('a report filed in time whose write reaches the read model after the late mark', () => {
  it('is not told late, and is not counted late; the report never filed is', async () => {
    // Thursday 19 March 2026, 20:00, 96 s a day: the Q1 report is due by the 19th; its late mark
    // falls on Friday 08:00, 48 s from now.
    const clock = { secondsPerDay: 96, virtualStart: '2026-03-19T20:00:00+07:00', realStart: new Date().toISOString() };
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: clock.virtualStart,
      secondsPerDay: clock.secondsPerDay,
      policy: { ...quietPolicy, reports: ['Q1'] },
      tasks: [{ leads: ['SNV', 'SYT'], deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } }],
    });
    const id = (code: string) => `${plan.slug}:1:${code}`;
    const markAt = toRealTime(new Date('2026-03-20T08:00:00+07:00'), clock).getTime();
    const filings = async () =>
      ctx.database.db
        .select({ id: reportFilings.assignmentId, late: reportFilings.late, filedAt: reportFilings.filedAt })
        .from(reportFilings)
        .where(and(sql`${reportFilings.assignmentId} like ${`${plan.slug}:%`}`, eq(reportFilings.period, '2026-Q1')))
        .orderBy(reportFilings.assignmentId);
    await eventually(async () => ((await filings()).length === 2 ? true : undefined), 30_000, 'both filings owed');

    // Sở Nội vụ files in time, but its write cannot reach the read model until after the mark's
    // instant; Sở Y tế never files.
    unwritable.add(id('SNV'));
    const filed = await command(ctx.client, id('SNV'), agencyActor('SNV'), {
      type: 'fileReport',
      period: '2026-Q1',
      summary: 'Báo cáo quý I của Sở Nội vụ',
    });
    expect(Date.now()).toBeLessThan(markAt);
    expect(filed.reports[0]!.late).toBe(false);
    await new Promise((r) => setTimeout(r, Math.max(0, markAt - Date.now()) + 5_000));
    const owedInReadModel = (await filings()).find((f) => f.id === id('SNV'))!;
    expect(owedInReadModel.filedAt).toBeNull();
    unwritable.delete(id('SNV'));

    const lateNotices = async () =>
      ctx.database.db
        .select({ id: notifications.assignmentId, to: sql<string>`coalesce(recipient_agency, recipient_role)` })
        .from(notifications)
        .where(and(sql`${notifications.assignmentId} like ${`${plan.slug}:%`}`, eq(notifications.kind, 'report-late')))
        .orderBy(notifications.assignmentId, notifications.id);
    const notices = await eventually(
      async () => {
        const rows = await lateNotices();
        return rows.length >= 2 ? rows : undefined;
      },
      90_000,
      'the late mark',
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(await lateNotices()).toEqual(notices);
    // Only Sở Y tế's missing report is chased: its lead and the coordinator are told.
    expect(notices.map((n) => [n.id, n.to]).sort()).toEqual(
      [
        [id('SYT'), 'SYT'],
        [id('SYT'), 'coordinator'],
      ].sort(),
    );
    const marked = await ctx.database.db
      .select({ id: auditLog.entityId })
      .from(auditLog)
      .where(and(sql`${auditLog.entityId} like ${`${plan.slug}:%`}`, eq(auditLog.action, 'report-late')));
    expect(marked.map((m) => m.id)).toEqual([id('SYT')]);
    // As the coordinator's report list counts them: Sở Nội vụ filed on time, Sở Y tế late and owed.
    expect((await filings()).map((f) => [f.id, f.late, f.filedAt !== null])).toEqual([
      [id('SNV'), false, true],
      [id('SYT'), true, false],
    ]);
    // The run that showed its unwritten change to the plan's marks, for the replay test.
    await saveHistoryForReplay(ctx.client, id('SNV'), 'report-written-after-mark');
  }, 180_000);
});
