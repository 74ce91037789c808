import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { assignments, auditLog, escalations, reportFilings } from '../../db/schema.ts';
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

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
});

afterAll(async () => {
  await ctx?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.concurrent('timers on the working calendar (simulated clock)', () => {
  it('sends a due reminder at 08:00 of the working day before the due day, once', async () => {
    // Plan time starts Monday 30 March 2026 07:59; one minute of plan time lasts two real seconds.
    const result = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-30T07:59:00+07:00',
      secondsPerDay: 2880,
      policy: { ...quietPolicy, dueReminderWorkingDays: [1] },
      tasks: [{ leads: ['SNV'], deadline: { kind: 'date', due: '2026-03-31', raw: 'Trước ngày 01/4/2026' } }],
    });
    const id = `${result.plan.slug}:1:SNV`;
    await sleep(600);
    expect((await notificationsOf(ctx, id)).filter((n) => n.kind === 'reminder')).toHaveLength(0);

    const reminders = await eventually(
      async () => {
        const found = (await notificationsOf(ctx, id)).filter((n) => n.kind === 'reminder');
        return found.length > 0 ? found : undefined;
      },
      10_000,
      'the reminder',
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ recipientAgency: 'SNV', link: `/v1/assignments/${encodeURIComponent(id)}` });
    expect(reminders[0]!.text).toContain('đến hạn hoàn thành ngày 31/03/2026, còn 1 ngày làm việc');
    const audit = await ctx.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'reminder')));
    expect(audit).toHaveLength(1);
  });

  it('marks a missing quarterly report late after its last day (before the 20th), and not a report filed in time', async () => {
    // Tuesday 17 March 2026, evening: the Q1 report is due by Thursday 19 March; the reminder comes
    // Wednesday 08:00 and the late mark Friday 08:00. One day of plan time lasts two seconds.
    const result = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-17T18:00:00+07:00',
      secondsPerDay: 2,
      policy: { ...quietPolicy, reports: ['Q1'], reportReminderWorkingDays: [1] },
      tasks: [{ leads: ['SNV', 'STP'], deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } }],
    });
    const silent = `${result.plan.slug}:1:SNV`;
    const diligent = `${result.plan.slug}:1:STP`;
    await waitForState(ctx.client, diligent, (v) => v.version >= 1);
    await command(ctx.client, diligent, agencyActor('STP'), {
      type: 'fileReport',
      period: '2026-Q1',
      summary: 'Đã ban hành kế hoạch triển khai',
    });

    // The plan's timer marks every assignment at once, in the read model the API serves.
    const late = await eventually(
      async () => {
        const [row] = await ctx.database.db
          .select({ state: assignments.state })
          .from(assignments)
          .where(eq(assignments.id, silent));
        const state = row?.state as { latePeriods?: string[] } | undefined;
        return state?.latePeriods?.includes('2026-Q1') ? state : undefined;
      },
      30_000,
      'the late mark',
    );
    expect(late.latePeriods).toEqual(['2026-Q1']);
    const notes = await notificationsOf(ctx, silent);
    expect(notes.map((n) => [n.kind, n.recipientAgency ?? n.recipientRole])).toEqual([
      ['report-reminder', 'SNV'],
      ['report-late', 'SNV'],
      ['report-late', 'coordinator'],
    ]);
    expect(notes[1]!.text).toContain('báo cáo quý I/2026');

    const markAudit = await ctx.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, silent), eq(auditLog.action, 'report-late')));
    expect(markAudit).toHaveLength(1);
    expect(markAudit[0]).toMatchObject({ actor: 'system:timer', fromState: 'assigned', toState: 'assigned' });

    await sleep(500);
    expect((await query(ctx.client, diligent)).latePeriods).toEqual([]);
    expect((await notificationsOf(ctx, diligent)).filter((n) => n.kind !== 'report-reminder')).toEqual([]);
    const [diligentFiling] = await ctx.database.db
      .select()
      .from(reportFilings)
      .where(eq(reportFilings.assignmentId, diligent));
    expect(diligentFiling).toMatchObject({ period: '2026-Q1', late: false });

    // A report filed after the mark is late: the workflow takes the plan's mark in before the command.
    const filed = await command(ctx.client, silent, agencyActor('SNV'), {
      type: 'fileReport',
      period: '2026-Q1',
      summary: 'Báo cáo muộn',
    });
    expect(filed.reports[0]).toMatchObject({ period: '2026-Q1', late: true });
    expect(filed.latePeriods).toEqual(['2026-Q1']);
    const filings = await eventually(async () => {
      const rows = await ctx.database.db.select().from(reportFilings).where(eq(reportFilings.assignmentId, silent));
      return rows[0]?.filedAt ? rows : undefined;
    });
    expect(filings).toMatchObject([{ period: '2026-Q1', late: true }]);
    await saveHistoryForReplay(ctx.client, silent, 'report-late');
  });

  it('climbs the escalation ladder day by day and stops it on completion', async () => {
    // Due Friday 20 March 2026; plan time starts Sunday 22 March noon. Levels on working days 1, 2
    // and 3 after: Monday, Tuesday and Wednesday 08:00, about 5, 11 and 17 seconds from now.
    const result = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-22T12:00:00+07:00',
      secondsPerDay: 6,
      policy: {
        ...quietPolicy,
        escalation: [
          { level: 1, afterWorkingDays: 1 },
          { level: 2, afterWorkingDays: 2 },
          { level: 3, afterWorkingDays: 3 },
        ],
      },
      tasks: [{ leads: ['STC'], deadline: { kind: 'date', due: '2026-03-20', raw: 'Tháng 3/2026' } }],
    });
    const id = `${result.plan.slug}:1:STC`;
    const started = Date.now();
    await waitForState(ctx.client, id, (v) => v.escalationLevel === 1);
    await command(ctx.client, id, agencyActor('STC'), { type: 'acknowledge' });
    const level2 = await waitForState(ctx.client, id, (v) => v.escalationLevel === 2, 30_000, 'level 2');
    expect(level2.overdue).toBe(true);

    await command(ctx.client, id, agencyActor('STC'), {
      type: 'submitDeliverable',
      deliverableType: 'Kế hoạch',
      documentNumber: '12/KH-STC',
      documentDate: '2026-03-24',
    });
    const done = await command(ctx.client, id, coordinator, { type: 'accept' });
    expect(done.status).toBe('completed');
    // Level 3 was due Wednesday 08:00 plan time, about 17 s after the start; wait past it.
    await sleep(Math.max(0, started + 19_000 - Date.now()));

    const notes = await notificationsOf(ctx, id);
    const escalationNotes = notes
      .filter((n) => n.kind === 'escalation')
      .map((n) => [n.level, n.recipientAgency ?? n.recipientRole]);
    expect(escalationNotes).toEqual([
      [1, 'STC'],
      [1, 'coordinator'],
      [2, 'coordinator-director'],
    ]);
    expect(notes.find((n) => n.level === 2)!.text).toContain('Quá hạn, cảnh báo mức 2');
    const rows = await ctx.database.db
      .select()
      .from(escalations)
      .where(eq(escalations.assignmentId, id))
      .orderBy(escalations.level);
    expect(rows.map((r) => [r.level, r.resolvedAt !== null])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect((await ctx.client.workflow.getHandle(id).describe()).status.name).toBe('COMPLETED');
    await saveHistoryForReplay(ctx.client, id, 'escalation-ladder');
  });

  it('re-plans the timers when an extension is approved: a new due day (shifted past the 30/4 holidays) and no further escalation', async () => {
    const result = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-22T12:00:00+07:00',
      secondsPerDay: 6,
      policy: {
        ...quietPolicy,
        escalation: [
          { level: 1, afterWorkingDays: 1 },
          { level: 2, afterWorkingDays: 2 },
        ],
      },
      tasks: [{ leads: ['SYT'], deadline: { kind: 'date', due: '2026-03-20', raw: 'Tháng 3/2026' } }],
    });
    const id = `${result.plan.slug}:1:SYT`;
    const started = Date.now();
    await waitForState(ctx.client, id, (v) => v.escalationLevel === 1);
    await command(ctx.client, id, agencyActor('SYT'), { type: 'acknowledge' });
    await command(ctx.client, id, agencyActor('SYT'), {
      type: 'requestExtension',
      until: '2026-04-30',
      reason: 'Chờ số liệu điều tra xã hội học',
    });
    const approved = await command(ctx.client, id, coordinator, { type: 'approveExtension' });
    expect(approved).toMatchObject({
      dueOverride: '2026-04-30',
      effectiveDue: '2026-05-04',
      escalationLevel: 0,
      overdue: false,
    });
    // The ladder now starts the working day after the new effective due day.
    expect(approved.nextEvent).toEqual({ kind: 'escalation', at: '2026-05-05T08:00:00+07:00' });
    // Level 2 would have come Tuesday 08:00, about 11 s after the start.
    await sleep(Math.max(0, started + 13_000 - Date.now()));

    const notes = await notificationsOf(ctx, id);
    expect(notes.filter((n) => n.kind === 'escalation').map((n) => n.level)).toEqual([1, 1]);
    expect(notes.map((n) => n.kind)).toEqual(expect.arrayContaining(['extension-requested', 'extension-decided']));
    const rows = await ctx.database.db.select().from(escalations).where(eq(escalations.assignmentId, id));
    expect(rows.every((r) => r.resolvedAt !== null)).toBe(true);
    await saveHistoryForReplay(ctx.client, id, 'extension');
  });
});
