import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { withLeadStatuses } from '../domain/lifecycle.ts';
import type { PlanDeadlineTimer } from '../domain/schedule.ts';
import { writeTimerRecords, type TimedAssignment } from './timer-records.ts';
import { recordMarkedThrough } from './plan-marks.ts';

export interface MarkDeadlinesInput {
  planId: string;
  /** The timers whose instant has come, in order; `realAt` is each instant in real time (it differs on a simulated clock). */
  timers: (PlanDeadlineTimer & { realAt: string })[];
}

/**
 * The due reminders and escalation steps that fall at one instant for every assignment of a plan
 * sharing a due day, in one transaction: for each timer, every concerned assignment gets what its
 * own timer would have written (audit entry, notifications; for an escalation the escalation row
 * and the level in the read model), with one statement per table.
 *
 * Concerned: open with the lead, due that day, a date or a range (a recurring task's cycles keep
 * their own timers), projected, and imported before the instant (a later one planned its timers
 * after it). An escalation skips those already at its level or above.
 *
 * The only writer of these records: the assignments wait for it before changing anything after
 * the instant (`plan_marks`, recorded here), so the read model it reads is each assignment as it
 * stood at the instant. Idempotent: every record carries the key the assignment's own timer uses,
 * so a retry, or an assignment run from before 'plan-marks-before-change' that fired the timer
 * itself, writes nothing twice.
 */
export async function markDeadlines(db: Database, input: MarkDeadlinesInput): Promise<{ marked: number }> {
  const { planId, timers } = input;
  if (timers.length === 0) return { marked: 0 };
  const withLead = inArray(sql`a.status`, [...withLeadStatuses]);
  const dated = sql`a.deadline->>'kind' in ('date', 'range')`;
  return db.transaction(async (tx) => {
    // Every row this transaction may change, locked at once in the projection's order (by id):
    // a projection in flight is either in before the marks or waits for them.
    const days = [...new Set(timers.map((t) => t.effectiveDue))];
    await tx.execute(sql`
      select a.id from assignments a
      where a.plan_id = ${planId} and a.effective_due = any(${sql.param(days)}::date[]) and ${withLead} and ${dated}
      order by a.id for update of a`);

    let marked = 0;
    for (const { event, effectiveDue, realAt } of timers) {
      const escalation = event.kind === 'escalation' ? event : null;
      const { rows } = await tx.execute<TimedAssignment & Record<string, unknown>>(sql`
        select a.id, a.status, a.agency_code as "agencyCode",
               coalesce(a.state->>'taskNumber', t.key) as "taskNumber",
               coalesce(a.state->>'taskTitle', t.title) as "taskTitle",
               coalesce(a.state->>'planCode', p.code) as "planCode",
               ${effectiveDue}::text as "effectiveDue"
        from assignments a
        join tasks t on t.id = a.task_id
        join plans p on p.id = a.plan_id
        where a.plan_id = ${planId} and a.effective_due = ${effectiveDue}::date and ${withLead} and ${dated}
          and a.version > 0 and a.created_at <= ${realAt}::timestamptz
          ${escalation ? sql`and a.escalation_level < ${escalation.level}` : sql``}
        order by a.id`);
      if (rows.length === 0) continue;
      marked += rows.length;

      const ids = rows.map((r) => r.id);
      if (escalation) {
        await tx.execute(sql`
          update assignments
          set escalation_level = ${escalation.level},
              state = jsonb_set(state, '{escalationLevel}', to_jsonb(${escalation.level}::int))
          where id = any(${sql.param(ids)}::text[]) and escalation_level < ${escalation.level}`);
        await tx.execute(sql`
          insert into escalations (assignment_id, cycle, level, agency_code, effective_due, raised_at)
          select u.id, 0, ${escalation.level}, u.agency, ${effectiveDue}::date, ${event.at}::timestamptz
          from unnest(${sql.param(ids)}::text[], ${sql.param(rows.map((r) => r.agencyCode))}::text[]) as u(id, agency)
          on conflict do nothing`);
      }
      await writeTimerRecords(tx, event, rows, { action: event.kind, level: escalation?.level });
    }
    // The timers come in order: the last one's instant is how far the plan has marked.
    await recordMarkedThrough(tx, planId, 'deadlines', timers.at(-1)!.event.at);
    return { marked };
  });
}
