// The Government Office's task statistics sort every assignment that counts into one of four
// buckets. They are defined here once, as of a day D (a local calendar day: a reporting period's
// data cut-off, or today); services/task-buckets.ts states the same rules in SQL, and every figure
// the system quotes (the dashboard, the periodic report, the agency statistics, the list behind a
// number) is counted by that SQL.
//
// An assignment *counts* as of D when it had been assigned by the end of D and had not been
// cancelled by then. A task of the plan as first imported was assigned on the plan's first day,
// however late the plan was imported: a past period's figures are what its report would have said,
// reckoned from the deadlines and completion dates (and marked reconstructed when the plan came in
// after the period's cut-off). Work added by a revision was assigned when the revision came. Among
// those that count:
//
// - onTime  — completed on time: the coordinator accepted the deliverable on or before D, and it
//             had been submitted by its effective due day (or the work has no due day);
// - late    — completed late: accepted on or before D, submitted after its effective due day;
// - overdue — not completed at D, with its lead at D (no deliverable awaiting review then), and its
//             effective due day before D: the chase had begun;
// - within  — not completed at D and not overdue: still within its deadline, without a due day, or
//             awaiting the coordinator's review (a submitted deliverable stops the chase).
//
// The due day is the assignment's effective due day as it stands (after every extension granted
// so far); a recurring task counts by its current cycle. The read model keeps no older due day.

export const taskBuckets = ['onTime', 'late', 'within', 'overdue'] as const;
export type TaskBucket = (typeof taskBuckets)[number];

export type BucketTally = Record<TaskBucket, number>;

export interface BucketFigures extends BucketTally {
  /** Assignments that count as of the day: the four buckets together. */
  total: number;
  /** Completed (on time or late) / total; null when nothing counts. */
  completionRate: number | null;
  /** Completed on time / work that has come due (completed + overdue); null when none has. */
  onTimeRate: number | null;
}

/** A share rounded to four decimals (two in a percentage), null for "out of nothing". */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

export function completionRate(t: BucketTally): number | null {
  return ratio(t.onTime + t.late, t.onTime + t.late + t.within + t.overdue);
}

/** On time among the work that has come due: what the PAR index scores. */
export function onTimeRate(t: BucketTally): number | null {
  return ratio(t.onTime, t.onTime + t.late + t.overdue);
}

export const emptyTally = (): BucketTally => ({ onTime: 0, late: 0, within: 0, overdue: 0 });

export function addTally(into: BucketTally, from: BucketTally): BucketTally {
  for (const key of taskBuckets) into[key] += from[key];
  return into;
}

export function figures(t: BucketTally): BucketFigures {
  const tally = { onTime: t.onTime, late: t.late, within: t.within, overdue: t.overdue };
  return {
    ...tally,
    total: tally.onTime + tally.late + tally.within + tally.overdue,
    completionRate: completionRate(tally),
    onTimeRate: onTimeRate(tally),
  };
}

/**
 * Agencies as leadership reads them, worst first: the most overdue work, then the lowest on-time
 * rate (an agency with nothing come due yet has nothing late: it ranks as fully on time), then the
 * most completed late, then by name.
 */
export function rankAgencies<T extends BucketFigures & { agency: { name: string } }>(rows: readonly T[]): T[] {
  const rate = (r: T) => r.onTimeRate ?? 1;
  return [...rows].sort(
    (a, b) =>
      b.overdue - a.overdue || rate(a) - rate(b) || b.late - a.late || a.agency.name.localeCompare(b.agency.name, 'vi'),
  );
}
