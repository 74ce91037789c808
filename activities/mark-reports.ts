import { inArray, sql } from 'drizzle-orm';
import { withLeadStatuses } from '../domain/lifecycle.ts';
import type { Database } from '../db/client.ts';
import type { PlanReportEvent } from '../domain/schedule.ts';
import { writeTimerRecords, type TimedAssignment } from './timer-records.ts';
import { AssignmentsNotProjected } from './unprojected.ts';
import { recordMarkedThrough } from './plan-marks.ts';

export interface MarkReportsInput {
  planId: string;
  event: PlanReportEvent;
  /** The event's instant in real time, ISO (it differs from `event.at` on a simulated clock). */
  realAt: string;
}

/**
 * One report timer for a whole plan: every open assignment still owing that period's report gets
 * its reminder, or its late mark, in one transaction (audit entry, notifications and, for a late
 * mark, the filing and the projected state). On the 20th every agency's report falls due at the
 * same instant; one statement per table does in seconds what ten thousand workflow wake-ups
 * would take minutes to do. The only writer of these records: the assignments wait for it before
 * changing anything after the instant (`plan_marks`, recorded here), so a report filed in that
 * moment is filed after the mark. Idempotent: every record carries the key its assignment's own
 * timer would have used, so a retry writes nothing twice.
 *
 * The owing rows are locked: a report being projected at this moment (one filed before the
 * instant) is either in (and skipped) or waits for the mark.
 */
export async function markReports(
  db: Database,
  input: MarkReportsInput,
  options: { waitForProjections?: boolean } = {},
): Promise<{ marked: number }> {
  const { event, planId } = input;
  const late = event.kind === 'report-due';
  return db.transaction(async (tx) => {
    // What an assignment owes appears with its first projection. One imported before the instant
    // but not yet projected (its workflow started late: Temporal was away) would be missed, so the
    // timer waits for it, as long as the caller lets it.
    if (options.waitForProjections !== false) {
      const {
        rows: [unprojected],
      } = await tx.execute<{ n: number }>(sql`
        select count(*)::int as n from assignments where plan_id = ${planId} and version = 0 and created_at <= ${input.realAt}::timestamptz`);
      if (unprojected!.n > 0)
        throw new AssignmentsNotProjected(
          `${unprojected!.n} assignments of plan ${planId} are not projected yet; the ${event.kind} timer of ${event.period} waits for them`,
        );
    }
    // Locked in the projection's order, the assignment before its filings, so that the two never
    // deadlock; the owing rows are read again once both are held.
    const owingNow = sql`a.plan_id = ${planId} and f.period = ${event.period} and f.filed_at is null and ${inArray(sql`a.status`, [...withLeadStatuses])}`;
    await tx.execute(sql`
      select a.id from assignments a join report_filings f on f.assignment_id = a.id
      where ${owingNow} order by a.id for update of a`);
    const { rows } = await tx.execute<TimedAssignment & Record<string, unknown>>(sql`
      select a.id, a.status, a.agency_code as "agencyCode", t.key as "taskNumber", t.title as "taskTitle",
             p.code as "planCode", a.effective_due::text as "effectiveDue"
      from report_filings f
      join assignments a on a.id = f.assignment_id
      join tasks t on t.id = a.task_id
      join plans p on p.id = a.plan_id
      where ${owingNow}
      order by a.id
      for update of f`);
    // Marked, even when nobody owes the report: the assignments waiting on this instant go on.
    await recordMarkedThrough(tx, planId, 'reports', event.at);
    if (rows.length === 0) return { marked: 0 };

    const ids = rows.map((r) => r.id);
    const kind = late ? 'report-late' : 'report-reminder';

    if (late) {
      await tx.execute(sql`
        update report_filings set late = true, marked_late_at = coalesce(marked_late_at, ${event.at}::timestamptz)
        where period = ${event.period} and assignment_id = any(${sql.param(ids)}::text[])`);
      await tx.execute(sql`
        update assignments set state = jsonb_set(state, '{latePeriods}', coalesce(state->'latePeriods', '[]'::jsonb) || to_jsonb(${event.period}::text))
        where id = any(${sql.param(ids)}::text[]) and not coalesce(state->'latePeriods', '[]'::jsonb) ? ${event.period}`);
    }
    await writeTimerRecords(tx, event, rows, { action: kind, period: event.period });
    return { marked: rows.length };
  });
}
