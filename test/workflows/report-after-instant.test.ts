import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.ts';
import { auditLog, notifications, reportFilings } from '../../db/schema.ts';
import { toRealTime } from '../../domain/clock.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { agencyActor, command, importSimulatedPlan, query, quietPolicy } from '../support/assignments.ts';

// Finding 3 of RELIABILITY.md: the plan's late mark is written a moment after its instant (the
// whole outage, when the database is away). A report that comes in within that moment is late,
// and filed: its lead is told nothing, as a lead who filed is never chased; it is listed late.

let ctx: TestContext;
let stopWorker: (() => Promise<void>) | undefined;
let releaseMark: () => void = () => {};
const markHeld = new Promise<void>((resolve) => {
  releaseMark = resolve;
});

beforeAll(async () => {
  ctx = await createTestContext();
  // A worker whose plan's late mark waits for the test: the database is slow to take it.
  const activities = createActivities({ db: ctx.database.db, calendar: await loadCalendar() });
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    namespace: ctx.namespace,
    taskQueue: ctx.taskQueue,
    activities: {
      ...activities,
      markReports: async (input: Parameters<typeof activities.markReports>[0]) => {
        if (input.event.kind === 'report-due') await markHeld;
        return activities.markReports(input);
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
  releaseMark();
  await stopWorker?.();
  await ctx?.close();
});

describe('a report filed after its late mark’s instant, before the mark is written', () => {
  it('is recorded late and filed, and its lead and the coordinator are not told it is missing', async () => {
    // Thursday 19 March 2026, 20:00, 96 s a day: the Q1 report is due by the 19th; its late mark
    // falls on Friday 08:00, 48 s from now.
    const clock = { secondsPerDay: 96, virtualStart: '2026-03-19T20:00:00+07:00', realStart: new Date().toISOString() };
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: clock.virtualStart,
      secondsPerDay: clock.secondsPerDay,
      policy: { ...quietPolicy, reports: ['Q1'] },
      tasks: [{ leads: ['SNV', 'STP', 'SYT'], deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } }],
    });
    const id = (code: string) => `${plan.slug}:1:${code}`;
    const markAt = toRealTime(new Date('2026-03-20T08:00:00+07:00'), clock).getTime();
    await eventually(
      async () => {
        const rows = await ctx.database.db
          .select()
          .from(reportFilings)
          .where(sql`${reportFilings.assignmentId} like ${`${plan.slug}:%`}`);
        return rows.length === 3 ? rows : undefined;
      },
      30_000,
      'every assignment owing its Q1 report',
    );
    const report = (code: string) =>
      command(ctx.client, id(code), agencyActor(code), {
        type: 'fileReport',
        period: '2026-Q1',
        summary: `Báo cáo quý I của ${code}`,
      });

    // Sở Nội vụ reports in time; Sở Tư pháp after the instant, while the mark is being written;
    // Sở Y tế not at all.
    const onTime = await report('SNV');
    expect(Date.now()).toBeLessThan(markAt);
    expect(onTime.reports[0]!.late).toBe(false);
    await new Promise((r) => setTimeout(r, Math.max(0, markAt - Date.now()) + 1000));
    const late = await report('STP');
    expect(late.reports[0]!.late).toBe(true);
    expect(late.latePeriods).toEqual(['2026-Q1']);

    releaseMark();
    const lateNotices = async () =>
      ctx.database.db
        .select({ id: notifications.assignmentId, to: sql<string>`coalesce(recipient_agency, recipient_role)` })
        .from(notifications)
        .where(and(sql`${notifications.assignmentId} like ${`${plan.slug}:%`}`, eq(notifications.kind, 'report-late')))
        .orderBy(notifications.assignmentId, notifications.id);
    // The mark tells Sở Y tế and the coordinator about Sở Y tế's report, and no one else.
    const notices = await eventually(
      async () => {
        const rows = await lateNotices();
        return rows.length >= 2 ? rows : undefined;
      },
      30_000,
      'the late mark',
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(await lateNotices()).toEqual(notices);
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

    // The filings as the coordinator lists them: on time, late and filed, late and owed.
    const filings = await ctx.database.db
      .select({ id: reportFilings.assignmentId, late: reportFilings.late, filedAt: reportFilings.filedAt })
      .from(reportFilings)
      .where(and(sql`${reportFilings.assignmentId} like ${`${plan.slug}:%`}`, eq(reportFilings.period, '2026-Q1')))
      .orderBy(reportFilings.assignmentId);
    expect(filings.map((f) => [f.id, f.late, f.filedAt !== null])).toEqual([
      [id('SNV'), false, true],
      [id('STP'), true, true],
      [id('SYT'), true, false],
    ]);
    expect((await query(ctx.client, id('SYT'))).latePeriods).toEqual(['2026-Q1']);
  }, 150_000);
});
