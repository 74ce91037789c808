import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { assignments, auditLog, escalations } from '../../db/schema.ts';
import { localDay } from '../../domain/instant.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import {
  agencyActor,
  command,
  coordinator,
  importSimulatedPlan,
  notificationsOf,
  quietPolicy,
  saveHistoryForReplay,
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

describe('an assignment imported after its due day (simulated clock)', () => {
  it('escalates once, at the level its overdue time has reached, at the next working hour; then climbs as usual', async () => {
    // Due Friday 13 March 2026, on the default ladder: level 1 Mon 16 March, level 2 Fri 20 March,
    // level 3 Fri 3 April, each at 08:00, and due reminders 30, 7 and 1 working days before: all
    // past but level 3 when the plan is imported on Wednesday 1 April at 15:00. Twelve seconds a day:
    // the catch-up comes Thursday 08:00 (about 8.5 s from now), level 3 Friday 08:00 (about 20.5 s).
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-04-01T15:00:00+07:00',
      secondsPerDay: 12,
      policy: {
        ...quietPolicy,
        dueReminderWorkingDays: [30, 7, 1],
        escalation: [
          { level: 1, afterWorkingDays: 1 },
          { level: 2, afterWorkingDays: 5 },
          { level: 3, afterWorkingDays: 15 },
        ],
      },
      tasks: [{ leads: ['SXD'], deadline: { kind: 'date', due: '2026-03-13', raw: 'Trước ngày 14/3/2026' } }],
    });
    const id = `${plan.slug}:1:SXD`;
    // What people see: the read model, the notifications and the audit trail.
    const escalationRows = () =>
      ctx.database.db.select().from(escalations).where(eq(escalations.assignmentId, id)).orderBy(escalations.level);
    const escalationNotes = async () =>
      (await notificationsOf(ctx, id))
        .filter((n) => n.kind === 'escalation')
        .map((n) => [n.level, n.recipientAgency ?? n.recipientRole]);
    const escalationAudit = () =>
      ctx.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'escalation')))
        .orderBy(auditLog.id);

    // Planned, not yet raised: one escalation waits for Thursday's working hour.
    const planned = await eventually(async () => {
      const [row] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
      return row && row.version >= 1 ? row : undefined;
    });
    expect(planned.escalationLevel).toBe(0);
    expect(planned.state).toMatchObject({
      overdue: true,
      effectiveDue: '2026-03-13',
      nextEvent: { kind: 'escalation', at: '2026-04-02T08:00:00+07:00' },
    });

    const raised = await eventually(
      async () => {
        const rows = await escalationRows();
        return rows.length > 0 ? rows : undefined;
      },
      30_000,
      'the catch-up escalation',
    );
    await sleep(1_000);
    // One escalation at level 2, raised Thursday morning: not levels 1 and 2, and no past reminder.
    expect(await escalationRows()).toHaveLength(1);
    expect(raised[0]).toMatchObject({ level: 2, cycle: 0, agencyCode: 'SXD', effectiveDue: '2026-03-13' });
    expect(localDay(raised[0]!.raisedAt)).toBe('2026-04-02');
    const notes = await notificationsOf(ctx, id);
    expect(notes.map((n) => [n.kind, n.level, n.recipientAgency ?? n.recipientRole])).toEqual([
      ['escalation', 2, 'coordinator-director'],
    ]);
    expect(notes[0]!.text).toContain('Quá hạn, cảnh báo mức 2');
    expect(notes[0]!.text).toContain('13/03/2026');
    const firstAudit = await escalationAudit();
    expect(firstAudit).toHaveLength(1);
    expect(firstAudit[0]).toMatchObject({
      actor: 'system:timer',
      details: { kind: 'escalation', level: 2, at: '2026-04-02T08:00:00+07:00' },
    });

    // A command re-plans the overdue assignment: level 2 is not raised again, level 3 keeps its day.
    const acknowledged = await command(ctx.client, id, agencyActor('SXD'), { type: 'acknowledge' });
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      escalationLevel: 2,
      overdue: true,
      nextEvent: { kind: 'escalation', at: '2026-04-03T08:00:00+07:00' },
    });

    const climbed = await eventually(
      async () => {
        const rows = await escalationRows();
        return rows.length > 1 ? rows : undefined;
      },
      30_000,
      'level 3',
    );
    expect(climbed.map((r) => [r.level, localDay(r.raisedAt)])).toEqual([
      [2, '2026-04-02'],
      [3, '2026-04-03'],
    ]);
    expect(await escalationNotes()).toEqual([
      [2, 'coordinator-director'],
      [3, 'leadership'],
    ]);
    expect((await escalationAudit()).map((e) => (e.details as { level?: number }).level)).toEqual([2, 3]);
    expect((await notificationsOf(ctx, id)).filter((n) => n.kind === 'reminder')).toEqual([]);

    // Cancelled: the escalations are resolved and the workflow ends.
    const cancelled = await command(ctx.client, id, coordinator, { type: 'cancel', reason: 'Kế hoạch điều chỉnh' });
    expect(cancelled).toMatchObject({ status: 'cancelled', escalationLevel: 3 });
    await ctx.client.workflow.getHandle(id).result();
    const resolved = await eventually(async () => {
      const rows = await escalationRows();
      return rows.every((r) => r.resolvedAt !== null) ? rows : undefined;
    });
    expect(resolved).toHaveLength(2);
    expect(await escalationNotes()).toEqual([
      [2, 'coordinator-director'],
      [3, 'leadership'],
    ]);
    await saveHistoryForReplay(ctx.client, id, 'late-import');
  });
});
