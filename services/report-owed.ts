import { sql, type SQL } from 'drizzle-orm';
import { withLeadStatuses } from '../domain/lifecycle.ts';
import { cutOffOfKind, reportKinds } from '../domain/report-periods.ts';
import { assignments, reportFilings } from '../db/schema.ts';

// The report an assignment owes now (domain/report-periods.ts `owedReport`) in SQL, for lists and
// their filter: of its filings not yet filed, the earliest whose data cut-off has come by the day.
// Work no longer with its lead (submitted, completed, cancelled) owes none: its reports are not chased.

/** A period id's data cut-off as a date: "2026-Q1" → 2026-03-14. */
export function periodCutOff(period: SQL): SQL {
  const cases = reportKinds.map((kind) => sql`when ${kind} then ${cutOffOfKind[kind].month}::int`);
  return sql`make_date(left(${period}, 4)::int, (case substr(${period}, 6) ${sql.join(cases, sql` `)} end), 14)`;
}

const withLead = sql.join(
  withLeadStatuses.map((s) => sql`${s}`),
  sql`, `,
);

/** The period of the owed report (null for none), as a scalar on any query that has the assignments table. */
export function owedReportPeriod(today: SQL): SQL<string | null> {
  const cutOff = periodCutOff(sql`rf.period`);
  return sql<string | null>`(case when ${assignments.status} in (${withLead}) then (
    select rf.period from ${reportFilings} rf
    where rf.assignment_id = ${assignments.id} and rf.filed_at is null and ${cutOff} <= ${today}
    order by ${cutOff}, rf.period limit 1) end)`;
}

/** Whether that report has been marked late (its due day passed without it). */
export function owedReportLate(period: SQL): SQL<boolean> {
  return sql<boolean>`coalesce((select rf.late from ${reportFilings} rf
    where rf.assignment_id = ${assignments.id} and rf.period = ${period}), false)`;
}
