import { isoDate, isIsoDate, yearOf } from './calendar.ts';
import type { WorkingCalendar } from './calendar.ts';
import type { IsoDate } from './types.ts';

// The periodic CCHC reports: Q1, six months, Q3 and annual, each due around the
// 20th of the quarter's last month, each covering a data window fixed by letter 581/BNV-CCHC.

export type ReportKind = 'Q1' | 'H1' | 'Q3' | 'Y';

/** The order reports come in within a year; also the order of ties. */
export const reportKinds: readonly ReportKind[] = ['Q1', 'H1', 'Q3', 'Y'];

export interface ReportPeriod {
  /** e.g. "2026-Q1", "2026-H1", "2026-Q3", "2026-Y". */
  id: string;
  kind: ReportKind;
  year: number;
  /** First day of the data the report covers. */
  windowStart: IsoDate;
  /** Last day of the data the report covers. */
  windowEnd: IsoDate;
  /** Last permissible day as the rule states it: the 19th or the 20th. */
  lastDay: IsoDate;
  /** `lastDay` moved to a working day when the policy shifts deadlines. */
  effectiveLastDay: IsoDate;
}

/** The part of a plan's policy that sets its reports (domain/policy.ts holds the whole). */
export interface ReportPolicy {
  /** The plan's "before the 20th" (last day the 19th) or the national "no later than the 20th". */
  reportDueRule: 'before-20th' | 'no-later-than-20th';
  reports: ReportKind[];
  /** Move a last day that is not a working day to the next working day (Civil Code 2015, art. 148(5)). */
  shiftDeadlineToWorkingDay: boolean;
}

// Windows start on 15 Dec of the previous year except Q3's; all end on the 14th of the due month.
const shape: Record<ReportKind, { month: number; windowStartsPreviousDecember: boolean }> = {
  Q1: { month: 3, windowStartsPreviousDecember: true },
  H1: { month: 6, windowStartsPreviousDecember: true },
  Q3: { month: 9, windowStartsPreviousDecember: false },
  Y: { month: 12, windowStartsPreviousDecember: true },
};

/** The data a report of one year and kind covers: fixed by the national rule, whatever the plan's policy. */
export function reportWindow(
  year: number,
  kind: ReportKind,
): Pick<ReportPeriod, 'id' | 'kind' | 'year' | 'windowStart' | 'windowEnd'> {
  const { month, windowStartsPreviousDecember } = shape[kind];
  return {
    id: `${year}-${kind}`,
    kind,
    year,
    windowStart: windowStartsPreviousDecember ? isoDate(year - 1, 12, 15) : isoDate(year, 6, 15),
    windowEnd: isoDate(year, month, 14),
  };
}

/**
 * Every report window (all four kinds) whose last day falls in [from, to], in order: the cut-offs
 * at which a period's figures are taken.
 */
export function reportWindowsBetween(from: IsoDate, to: IsoDate): ReturnType<typeof reportWindow>[] {
  if (!isIsoDate(from) || !isIsoDate(to)) throw new RangeError(`not a date range: ${from} – ${to}`);
  const windows: ReturnType<typeof reportWindow>[] = [];
  for (let year = yearOf(from); year <= yearOf(to); year++) {
    for (const kind of reportKinds) {
      const window = reportWindow(year, kind);
      if (window.windowEnd >= from && window.windowEnd <= to) windows.push(window);
    }
  }
  return windows;
}

/** One year's report of one kind. */
export function reportPeriod(
  year: number,
  kind: ReportKind,
  policy: ReportPolicy,
  calendar: WorkingCalendar,
): ReportPeriod {
  const { month } = shape[kind];
  // "Before the 20th" leaves the 19th as the last day; "no later than the 20th" the 20th itself.
  const lastDay = isoDate(year, month, policy.reportDueRule === 'before-20th' ? 19 : 20);
  return {
    ...reportWindow(year, kind),
    lastDay,
    effectiveLastDay: policy.shiftDeadlineToWorkingDay ? calendar.shiftToWorkingDay(lastDay) : lastDay,
  };
}

/**
 * Every report the policy asks for whose effective last day falls in [from, to], in the order
 * they fall due.
 */
export function reportPeriodsBetween(
  from: IsoDate,
  to: IsoDate,
  policy: ReportPolicy,
  calendar: WorkingCalendar,
): ReportPeriod[] {
  if (!isIsoDate(from) || !isIsoDate(to)) throw new RangeError(`not a date range: ${from} – ${to}`);
  const periods: ReportPeriod[] = [];
  // A shift never moves a day by more than a few weeks, so neighbouring years are enough to look at.
  for (let year = yearOf(from) - 1; year <= yearOf(to); year++) {
    for (const kind of reportKinds) {
      if (!policy.reports.includes(kind)) continue;
      const period = reportPeriod(year, kind, policy, calendar);
      if (period.effectiveLastDay >= from && period.effectiveLastDay <= to) periods.push(period);
    }
  }
  return periods.sort((a, b) =>
    a.effectiveLastDay < b.effectiveLastDay ? -1 : a.effectiveLastDay > b.effectiveLastDay ? 1 : 0,
  );
}

/** The month and day of each kind's data cut-off (the 14th of its last month): for SQL that reads periods. */
export const cutOffOfKind: Readonly<Record<ReportKind, { month: number; day: number }>> = {
  Q1: { month: shape.Q1.month, day: 14 },
  H1: { month: shape.H1.month, day: 14 },
  Q3: { month: shape.Q3.month, day: 14 },
  Y: { month: shape.Y.month, day: 14 },
};

/**
 * The report an assignment owes now: of the periods it owes or owed, the earliest not filed whose
 * data cut-off has come by `today` (a year's report not filed stays owed), or null. The SQL of
 * services/report-owed.ts states the same rule for lists.
 */
export function owedReport(expected: readonly string[], filed: readonly string[], today: IsoDate): string | null {
  const done = new Set(filed);
  const due = expected
    .map((id) => ({ id, parsed: parseReportPeriodId(id) }))
    .filter((p) => p.parsed && !done.has(p.id))
    .map((p) => ({ id: p.id, cutOff: reportWindow(p.parsed!.year, p.parsed!.kind).windowEnd }))
    .filter((p) => p.cutOff <= today)
    .sort((a, b) => (a.cutOff < b.cutOff ? -1 : a.cutOff > b.cutOff ? 1 : 0));
  return due[0]?.id ?? null;
}

/** Reads "2026-Q1" back into its year and kind; null for anything else. */
export function parseReportPeriodId(id: string): { year: number; kind: ReportKind } | null {
  const match = /^(\d{4})-(Q1|H1|Q3|Y)$/.exec(id);
  if (!match) return null;
  return { year: Number(match[1]), kind: match[2] as ReportKind };
}
