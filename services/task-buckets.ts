import { sql, type SQL } from 'drizzle-orm';
import type { TaskBucket } from '../domain/task-buckets.ts';
import type { IsoDate } from '../domain/types.ts';
import type { SimulatedClock } from '../domain/clock.ts';
import { localDay } from '../domain/instant.ts';
import { assignments, escalations, plans } from '../db/schema.ts';

// The four buckets of domain/task-buckets.ts in SQL, as of a day: every query that counts or lists
// by bucket uses these conditions, so a number and the list behind it always agree. Each condition
// needs the assignments and plans tables in the query: a plan on a simulated clock has its own
// today, and a task of the plan as first imported counts from the plan's first day.

export const planClock = sql<SimulatedClock | null>`${plans.policy}->'clock'`;

/**
 * Today in SQL, per plan: the local day of `now` on the plan's clock (domain/clock.ts), as
 * `isOverdue` in services/assignment-reads.ts reads it. A plan on a simulated clock is overdue by its
 * own time, as its workflows are, not by the wall clock.
 */
export function planToday(now: Date): SQL {
  const simulated = sql`(${planClock}->>'virtualStart')::timestamptz
    + (${now.toISOString()}::timestamptz - (${planClock}->>'realStart')::timestamptz) * (86400 / (${planClock}->>'secondsPerDay')::float8)`;
  return sql`(case when jsonb_typeof(${planClock}) = 'object'
    then ((${simulated}) at time zone 'UTC' + interval '7 hours')::date else ${localDay(now)}::date end)`;
}

/** The as-of day as SQL: a given local day, or each plan's today. */
export function asOfDay(day: IsoDate | 'now', now: Date): SQL {
  return day === 'now' ? planToday(now) : sql`${day}::date`;
}

/** The local day (UTC+7, no daylight saving) of an instant stored as a timestamp or ISO text. */
const localDayOf = (instant: SQL) => sql`((${instant})::timestamptz at time zone 'UTC' + interval '7 hours')::date`;

// A literal key, never outside input: sql.raw writes it into the statement.
const stateAt = (key: 'assignedAt' | 'cancelledAt') => sql`(${assignments.state}->>${sql.raw(`'${key}'`)})`;

/**
 * Whether the assignment came with its plan's first import (the same transaction, so the same
 * `now()`), rather than with a later revision: such work was the plan's from its first day,
 * whenever the plan reached Đôn đốc.
 */
export const cameWithPlan = sql`(${assignments.createdAt} <= ${plans.createdAt})`;

/**
 * Assigned by the end of the day and not cancelled by then. A task of the plan as first imported
 * was assigned when the plan began (its period's first day), not when it was imported: a plan
 * imported after the fact has its past periods reckoned from its deadlines and completion dates.
 * Work a revision added was assigned when the revision came.
 */
export function countsAt(day: SQL): SQL {
  const assignedAt = stateAt('assignedAt');
  const cancelledAt = stateAt('cancelledAt');
  return sql`(((${cameWithPlan} and ${plans.periodStart} <= ${day}) or ${assignedAt} is null or ${localDayOf(assignedAt)} <= ${day})
    and not (${assignments.status} = 'cancelled' and (${cancelledAt} is null or ${localDayOf(cancelledAt)} <= ${day})))`;
}

/** The local day a plan was imported: a period whose cut-off came before it is reconstructed. */
export const planImportedOn = localDayOf(sql`${plans.createdAt}`);

/** The deliverable had been accepted by the end of the day. */
function completedBy(day: SQL): SQL {
  return sql`(${assignments.status} = 'completed' and ${assignments.completedAt} is not null
    and ${localDayOf(sql`${assignments.completedAt}`)} <= ${day})`;
}

/** A deliverable was awaiting the coordinator's review at the end of the day: the chase had stopped. */
function underReviewAt(day: SQL): SQL {
  return sql`exists (select 1 from jsonb_array_elements(coalesce(${assignments.state}->'submissions', '[]'::jsonb)) as s(v)
    where ${localDayOf(sql`s.v->>'submittedAt'`)} <= ${day}
      and (s.v->>'decidedAt' is null or ${localDayOf(sql`s.v->>'decidedAt'`)} > ${day}))`;
}

/**
 * The assignment's bucket as of the day, or null when it does not count then: one CASE, so a query
 * that groups by it weighs each assignment once per day.
 */
export function bucketAt(day: SQL): SQL<TaskBucket | null> {
  return sql<TaskBucket | null>`(case
    when not ${countsAt(day)} then null
    when ${completedBy(day)} then (case when coalesce(${assignments.onTime}, true) then 'onTime' else 'late' end)
    when ${assignments.effectiveDue} < ${day} and not ${underReviewAt(day)} then 'overdue'
    else 'within' end)`;
}

/** Whether an assignment is in `bucket` as of the day. */
export function inBucket(bucket: TaskBucket, day: SQL): SQL {
  return sql`(${bucketAt(day)} = ${bucket})`;
}

/**
 * The highest escalation level open on an assignment at the end of the day (null for none): raised
 * by then and not yet resolved then. "now" is what is open now. A scalar subquery on the
 * assignments table, so the dashboard counts by it and the list filters by it alike.
 */
export function highestOpenEscalation(day: IsoDate | 'now'): SQL {
  const open =
    day === 'now'
      ? sql`e.resolved_at is null`
      : sql`${localDayOf(sql`e.raised_at`)} <= ${day}::date
          and (e.resolved_at is null or ${localDayOf(sql`e.resolved_at`)} > ${day}::date)`;
  return sql`(select max(e.level) from ${escalations} e where e.assignment_id = ${assignments.id} and ${open})`;
}
