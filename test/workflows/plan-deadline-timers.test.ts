import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { markDeadlines } from '../../activities/mark-deadlines.ts';
import { assignments, auditLog, escalations, notifications } from '../../db/schema.ts';
import { planDeadlinesQuery, planDeadlinesWorkflowId } from '../../workflows/messages.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import {
  agencyActor,
  command,
  coordinator,
  importSimulatedPlan,
  query,
  quietPolicy,
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

/** Every due reminder and escalation recorded for the plan's assignments, as [assignment, kind, detail, recipient]. */
async function notesOf(slug: string) {
  const rows = await ctx.database.db
    .select({
      id: notifications.assignmentId,
      kind: notifications.kind,
      level: notifications.level,
      text: notifications.text,
      to: sql<string>`coalesce(${notifications.recipientAgency}, ${notifications.recipientRole})`,
      at: notifications.createdAt,
    })
    .from(notifications)
    .where(
      and(
        sql`${notifications.assignmentId} like ${`${slug}:%`}`,
        sql`${notifications.kind} in ('reminder', 'escalation')`,
      ),
    );
  return rows
    .map((n) => [
      n.id.slice(slug.length + 1),
      n.kind === 'reminder' ? `reminder ${/ngày (\d\d\/\d\d)/.exec(n.text)![1]}` : `L${n.level}`,
      n.to,
    ])
    .sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

async function auditOf(id: string) {
  const rows = await ctx.database.db
    .select({ action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.entityId, id), sql`${auditLog.action} in ('reminder', 'escalation')`))
    .orderBy(auditLog.at, auditLog.id);
  return rows.map((r) => (r.action === 'escalation' ? `L${(r.details as { level: number }).level}` : r.action));
}

async function timersFired(id: string): Promise<number> {
  const history = await ctx.client.workflow.getHandle(id).fetchHistory();
  return (history.events ?? []).filter((e) => e.timerFiredEventAttributes).length;
}

describe("the plan's deadline timers", () => {
  it('remind and escalate, at once, every assignment sharing a due day; one moved off it keeps timers of its own', async () => {
    // Monday 16 March 2026, 20:00; eight seconds a day. Due Wednesday 18: the reminder goes out
    // Tuesday 08:00 (4 s), level 1 Thursday 08:00 (20 s), level 2 Friday 08:00 (28 s).
    const due = { kind: 'date' as const, due: '2026-03-18', raw: 'Trước ngày 19/3/2026' };
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-16T20:00:00+07:00',
      secondsPerDay: 8,
      policy: {
        ...quietPolicy,
        dueReminderWorkingDays: [1],
        escalation: [
          { level: 1, afterWorkingDays: 1 },
          { level: 2, afterWorkingDays: 2 },
        ],
      },
      tasks: [
        { leads: ['SNV', 'STP', 'SYT'], deadline: due },
        { leads: ['SNV', 'SXD'], deadline: due },
      ],
    });
    const id = (key: string) => `${plan.slug}:${key}`;
    const shared = ['1:SNV', '1:STP', '1:SYT', '2:SNV'];
    const deadlines = ctx.client.workflow.getHandle(planDeadlinesWorkflowId(plan.id));
    const planned = await eventually(
      async () => {
        const state = await deadlines.query(planDeadlinesQuery);
        return state.next ? state : undefined;
      },
      10_000,
      "the plan's deadline timers",
    );
    expect(planned).toMatchObject({
      dueDays: ['2026-03-18'],
      next: { kind: 'reminder', effectiveDue: '2026-03-18', at: '2026-03-17T08:00:00+07:00' },
    });

    // After the shared reminder, Sở Xây dựng is given one more day: it leaves the shared day.
    await eventually(
      async () => ((await notesOf(plan.slug)).length === 5 ? true : undefined),
      20_000,
      'the shared reminder',
    );
    await command(ctx.client, id('2:SXD'), agencyActor('SXD'), {
      type: 'requestExtension',
      until: '2026-03-19',
      reason: 'Chờ ý kiến thẩm định',
    });
    await command(ctx.client, id('2:SXD'), coordinator, { type: 'approveExtension' });

    await eventually(
      async () => ((await deadlines.describe()).status.name === 'COMPLETED' ? true : undefined),
      40_000,
      "the plan's last deadline timer",
    );
    await waitForState(ctx.client, id('2:SXD'), (v) => v.escalationLevel === 1, 20_000, 'its own level 1');

    const lead = (key: string) => key.split(':')[1]!;
    expect(await notesOf(plan.slug)).toEqual(
      [
        ...shared.flatMap((key) => [
          [key, 'L1', lead(key)],
          [key, 'L1', 'coordinator'],
          [key, 'L2', 'coordinator-director'],
          [key, 'reminder 18/03', lead(key)],
        ]),
        // The reminder of the 18th went out before the extension; the rest are its own day's.
        ['2:SXD', 'L1', 'SXD'],
        ['2:SXD', 'L1', 'coordinator'],
        ['2:SXD', 'reminder 18/03', 'SXD'],
        ['2:SXD', 'reminder 19/03', 'SXD'],
      ].sort((a, b) => a.join(' ').localeCompare(b.join(' '))),
    );
    for (const key of shared) expect(await auditOf(id(key))).toEqual(['reminder', 'L1', 'L2']);
    expect(await auditOf(id('2:SXD'))).toEqual(['reminder', 'reminder', 'L1']);

    const rows = await ctx.database.db
      .select({ id: assignments.id, level: assignments.escalationLevel, state: assignments.state })
      .from(assignments)
      .where(eq(assignments.planId, plan.id))
      .orderBy(assignments.id);
    expect(rows.map((r) => [r.id.slice(plan.slug.length + 1), r.level, r.state.escalationLevel])).toEqual([
      ['1:SNV', 2, 2],
      ['1:STP', 2, 2],
      ['1:SYT', 2, 2],
      ['2:SNV', 2, 2],
      ['2:SXD', 1, 1],
    ]);
    const raised = await ctx.database.db
      .select({ id: escalations.assignmentId, level: escalations.level, at: escalations.raisedAt })
      .from(escalations)
      .where(sql`${escalations.assignmentId} like ${`${plan.slug}:%`}`);
    expect(raised).toHaveLength(4 * 2 + 1);
    expect(raised.find((e) => e.id === id('1:SNV') && e.level === 1)?.at.toISOString()).toBe(
      '2026-03-19T01:00:00.000Z',
    );

    // The workflows sharing the day never woke for its timers, yet a query as of now tells the truth.
    for (const key of shared) {
      expect(await timersFired(id(key))).toBe(0);
      expect(await query(ctx.client, id(key))).toMatchObject({ escalationLevel: 2, overdue: true });
    }
    expect(await timersFired(id('2:SXD'))).toBe(2);

    // A command after the instants: the workflow takes the plan's timers in, and writes nothing twice.
    const noted = await notesOf(plan.slug);
    const acknowledged = await command(ctx.client, id('1:SNV'), agencyActor('SNV'), { type: 'acknowledge' });
    expect(acknowledged).toMatchObject({ status: 'acknowledged', escalationLevel: 2 });
    await eventually(
      async () => {
        const [row] = await ctx.database.db
          .select({ version: assignments.version, level: assignments.escalationLevel })
          .from(assignments)
          .where(eq(assignments.id, id('1:SNV')));
        return row!.version === acknowledged.version ? row : undefined;
      },
      10_000,
      'the acknowledgement projected',
    );
    expect(await notesOf(plan.slug)).toEqual(noted);
    expect(await auditOf(id('1:SNV'))).toEqual(['reminder', 'L1', 'L2']);
    // Submitting ends the chase: the open escalations are resolved.
    await command(ctx.client, id('1:SNV'), agencyActor('SNV'), {
      type: 'submitDeliverable',
      deliverableType: 'Báo cáo',
      documentNumber: '12/BC-SNV',
      documentDate: '2026-03-20',
    });
    await eventually(
      async () => {
        const open = await ctx.database.db
          .select()
          .from(escalations)
          .where(and(eq(escalations.assignmentId, id('1:SNV')), sql`${escalations.resolvedAt} is null`));
        return open.length === 0 ? true : undefined;
      },
      10_000,
      'the escalations resolved',
    );

    // The activity run again (a worker lost after its commit) writes nothing twice.
    const timers = [
      {
        event: {
          kind: 'reminder' as const,
          dueDate: '2026-03-18',
          workingDaysBefore: 1,
          at: '2026-03-17T08:00:00+07:00',
        },
        effectiveDue: '2026-03-18',
        realAt: new Date().toISOString(),
      },
      ...[1, 2].map((level) => ({
        event: { kind: 'escalation' as const, level, at: `2026-03-${18 + level}T08:00:00+07:00` },
        effectiveDue: '2026-03-18',
        realAt: new Date().toISOString(),
      })),
    ];
    const before = { notes: await notesOf(plan.slug), audit: await Promise.all(shared.map((k) => auditOf(id(k)))) };
    await markDeadlines(ctx.database.db, { planId: plan.id, timers });
    expect({ notes: await notesOf(plan.slug), audit: await Promise.all(shared.map((k) => auditOf(id(k)))) }).toEqual(
      before,
    );

    await saveHistoryForReplay(ctx.client, planDeadlinesWorkflowId(plan.id), 'plan-deadline-timers');
    await saveHistoryForReplay(ctx.client, id('1:SNV'), 'deadline-timers-shared');
    await saveHistoryForReplay(ctx.client, id('2:SXD'), 'deadline-timers-moved');
  });
});
