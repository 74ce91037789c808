import { and, eq, sql, type AnyColumn } from 'drizzle-orm';
import { auditLog, notifications, reportFilings } from '../../db/schema.ts';
import { toRealTime } from '../../domain/clock.ts';
import { importSimulatedPlan, quietPolicy } from './assignments.ts';
import { eventually, type TestContext } from './context.ts';

/**
 * A plan whose Q1 report is owed by `leads`, one task each, on a clock at Thursday 19 March 2026,
 * 20:00, 48 s a day: the report is due by the 19th, and its late mark falls on Friday 08:00, 24 s
 * after the import. Gives each lead's assignment id and the mark's instant (real epoch ms).
 */
export async function importQ1Plan(ctx: TestContext, leads: string[]) {
  const clock = { secondsPerDay: 48, virtualStart: '2026-03-19T20:00:00+07:00', realStart: new Date().toISOString() };
  const { plan } = await importSimulatedPlan(ctx, {
    virtualStart: clock.virtualStart,
    secondsPerDay: clock.secondsPerDay,
    policy: { ...quietPolicy, reports: ['Q1'] },
    tasks: [{ leads, deadline: { kind: 'date', due: '2026-12-31', raw: '2026' } }],
  });
  return {
    plan,
    id: (code: string) => `${plan.slug}:1:${code}`,
    markAt: toRealTime(new Date('2026-03-20T08:00:00+07:00'), clock).getTime(),
  };
}

/** What a plan's report late marks left, as its people see it: notices, audit entries, filings. */
export function reportMarksOf(ctx: TestContext, planSlug: string) {
  const { db } = ctx.database;
  const ofPlan = (column: AnyColumn) => sql`${column} like ${`${planSlug}:%`}`;
  const notices = async () =>
    (
      await db
        .select({ id: notifications.assignmentId, to: sql<string>`coalesce(recipient_agency, recipient_role)` })
        .from(notifications)
        .where(and(ofPlan(notifications.assignmentId), eq(notifications.kind, 'report-late')))
        .orderBy(notifications.assignmentId, notifications.id)
    ).map((n) => [n.id, n.to]);
  return {
    /** The "report-late" notices, [assignment, recipient], once `count` have come and 2 s more bring none. */
    async lateNotices(count: number): Promise<string[][]> {
      const found = await eventually(
        async () => {
          const rows = await notices();
          return rows.length >= count ? rows : undefined;
        },
        90_000,
        'the late mark',
      );
      await new Promise((r) => setTimeout(r, 2000));
      const after = await notices();
      if (after.length !== found.length) return after;
      return found.sort();
    },
    /** The assignments whose audit trail holds a "report-late" entry. */
    async markedLate(): Promise<string[]> {
      const rows = await db
        .select({ id: auditLog.entityId })
        .from(auditLog)
        .where(and(ofPlan(auditLog.entityId), eq(auditLog.action, 'report-late')));
      return rows.map((r) => r.id);
    },
    /** The filings of `period` as the coordinator lists them: [assignment, late, filed]. */
    async filings(period: string): Promise<[string, boolean, boolean][]> {
      const rows = await db
        .select({ id: reportFilings.assignmentId, late: reportFilings.late, filedAt: reportFilings.filedAt })
        .from(reportFilings)
        .where(and(ofPlan(reportFilings.assignmentId), eq(reportFilings.period, period)))
        .orderBy(reportFilings.assignmentId);
      return rows.map((f) => [f.id, f.late, f.filedAt !== null]);
    },
  };
}
