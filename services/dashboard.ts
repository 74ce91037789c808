import { and, eq, sql, type SQL } from 'drizzle-orm';
import { toPlanTime, type SimulatedClock } from '../domain/clock.ts';
import { localDay } from '../domain/instant.ts';
import { parseReportPeriodId, reportWindow, reportWindowsBetween } from '../domain/report-periods.ts';
import {
  addTally,
  emptyTally,
  figures,
  type BucketFigures,
  type BucketTally,
  type TaskBucket,
} from '../domain/task-buckets.ts';
import type { IsoDate } from '../domain/types.ts';
import type { Database } from '../db/client.ts';
import { assignments, plans, tasks } from '../db/schema.ts';
import { Invalid, NotFound } from './errors.ts';
import type { ReadScope } from './read-scope.ts';
import { withPlanId } from './plan-ref.ts';
import { asOfDay, bucketAt, highestOpenEscalation } from './task-buckets.ts';

// The leadership dashboard: the four buckets of domain/task-buckets.ts for a plan (or every plan
// the caller may see) as of a reporting period's data cut-off or today, by agency, by reform area
// and quarter by quarter, with the open escalations. Everything is counted in PostgreSQL; a plan of
// ten thousand assignments answers in a few queries.

export interface DashboardFilter extends ReadScope {
  /** A plan's id (services/plan-ref.ts resolves what the reader named); every plan in scope without it. */
  plan?: string;
}

/** "now", or a report period's id ("2027-Q1", "2027-H1", "2027-Q3", "2027-Y"). */
export type DashboardPeriod = string;

export interface Dashboard {
  plan: string | null;
  /** The agency the figures are narrowed to (an agency's own), or null for all. */
  agency: string | null;
  period: DashboardPeriod;
  /** The day the figures are taken at: the period's data cut-off (the 14th of its last month), or today. */
  asOf: IsoDate;
  /** Today in the plan's time (its simulated clock, if it runs on one). */
  today: IsoDate;
  /** Every period within the plans' span, with the day its figures are taken at: the choices a reader has. */
  periods: { id: string; asOf: IsoDate }[];
  total: BucketFigures;
  byAgency: (BucketFigures & { agencyCode: string })[];
  byArea: (BucketFigures & { area: string | null })[];
  /** The figures at each period's cut-off from the start of the span up to `asOf` (and today, for "now"). */
  trend: (BucketFigures & { period: string; asOf: IsoDate })[];
  /** Assignments with an escalation open at `asOf`, by the highest level open. */
  escalations: { level: number; assignments: number }[];
}

function scope(filter: DashboardFilter): SQL | undefined {
  return and(
    filter.plan ? eq(plans.id, filter.plan) : undefined,
    filter.agency !== undefined ? eq(assignments.agencyCode, filter.agency) : undefined,
    filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
  );
}

/** Rows of (group, bucket, count) folded into one tally per group; rows of no bucket (not counting) dropped. */
function fold<K>(rows: { key: K; bucket: TaskBucket | null; count: number }[], nameOf: (key: K) => string) {
  const tallies = new Map<string, { key: K; tally: BucketTally }>();
  for (const row of rows) {
    if (row.bucket === null) continue;
    const name = nameOf(row.key);
    const entry = tallies.get(name) ?? tallies.set(name, { key: row.key, tally: emptyTally() }).get(name)!;
    entry.tally[row.bucket] += row.count;
  }
  return [...tallies.values()];
}

/**
 * The four buckets per lead agency and reform area as of a day, in one grouped query (each
 * assignment weighed once); agencies with nothing that counts are left out.
 */
async function tallies(db: Database, filter: DashboardFilter, day: SQL) {
  const bucket = bucketAt(day);
  const rows = await db
    .select({ agencyCode: assignments.agencyCode, area: tasks.area, bucket, count: sql<number>`count(*)::int` })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .where(scope(filter))
    // By position: the bucket's expression carries parameters, which PostgreSQL cannot match by text.
    .groupBy(sql`1, 2, 3`)
    .orderBy(assignments.agencyCode, tasks.area);
  return fold(
    rows.map((r) => ({ key: { agencyCode: r.agencyCode, area: r.area }, bucket: r.bucket, count: r.count })),
    (k) => JSON.stringify([k.agencyCode, k.area]),
  ).map((e) => ({ ...e.key, ...e.tally }));
}

/** Per agency and in all, as of a day: what the periodic report quotes and the dashboard draws. */
export async function figuresByAgency(db: Database, filter: DashboardFilter, day: IsoDate | 'now', now: Date) {
  const rows = await tallies(db, filter, asOfDay(day, now));
  return summarise(rows);
}

function summarise(rows: (BucketTally & { agencyCode: string; area: string | null })[]) {
  const agencies = new Map<string, BucketTally>();
  const areas = new Map<string | null, BucketTally>();
  const total = emptyTally();
  for (const row of rows) {
    addTally(agencies.get(row.agencyCode) ?? agencies.set(row.agencyCode, emptyTally()).get(row.agencyCode)!, row);
    addTally(areas.get(row.area) ?? areas.set(row.area, emptyTally()).get(row.area)!, row);
    addTally(total, row);
  }
  return {
    agencies: [...agencies].map(([agencyCode, t]) => ({ agencyCode, ...figures(t) })),
    areas: [...areas]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'vi')))
      .map(([area, t]) => ({ area, ...figures(t) })),
    total: figures(total),
  };
}

/** The buckets at several days at once: one query over the assignments crossed with the days. */
async function trendAt(db: Database, filter: DashboardFilter, days: IsoDate[]) {
  if (days.length === 0) return new Map<IsoDate, BucketTally>();
  const bucket = bucketAt(sql`d.day`);
  const result = await db.execute<{ day: IsoDate; bucket: TaskBucket | null; count: number }>(sql`
    select to_char(d.day, 'YYYY-MM-DD') as day, ${bucket} as bucket, count(*)::int as count
    from ${assignments}
      join ${tasks} on ${tasks.id} = ${assignments.taskId}
      join ${plans} on ${plans.id} = ${assignments.planId}
      cross join unnest(${`{${days.join(',')}}`}::date[]) as d(day)
    where ${scope(filter) ?? sql`true`}
    group by 1, 2`);
  return new Map(
    fold(
      result.rows.map((r) => ({ key: r.day, bucket: r.bucket, count: r.count })),
      (k) => k,
    ).map((e) => [e.key, e.tally]),
  );
}

/** Assignments with an escalation open at the end of the day (or open now), by their highest open level. */
async function openEscalations(db: Database, filter: DashboardFilter, day: IsoDate | 'now') {
  const level = highestOpenEscalation(day);
  const levels = db
    .select({ level: sql<number | null>`${level}`.as('level') })
    .from(assignments)
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .where(scope(filter))
    .as('levels');
  return db
    .select({ level: sql<number>`${levels.level}::int`, assignments: sql<number>`count(*)::int` })
    .from(levels)
    .where(sql`${levels.level} is not null`)
    .groupBy(levels.level)
    .orderBy(levels.level);
}

/**
 * The day a period's figures are taken at: its data cut-off (the 14th of its last month, letter
 * 581/BNV-CCHC), or today for "now" and for a period whose cut-off has not come yet — a report
 * compiled early quotes the figures so far, never a guess at the future.
 */
export function periodAsOf(period: DashboardPeriod, today: IsoDate): IsoDate {
  if (period === 'now') return today;
  const parsed = parseReportPeriodId(period);
  if (!parsed) throw new Invalid(`Kỳ "${period}" không hợp lệ.`, [{ field: 'period', message: 'Kỳ không hợp lệ.' }]);
  const cutOff = reportWindow(parsed.year, parsed.kind).windowEnd;
  return cutOff < today ? cutOff : today;
}

/**
 * The plans in scope, their span and today: one plan is seen in its own time (its simulated clock,
 * if it runs on one), several together in the wall clock's.
 */
export async function planSpan(db: Database, filter: DashboardFilter, now: Date) {
  const inScope = await db
    .select({
      periodStart: plans.periodStart,
      periodEnd: plans.periodEnd,
      clock: sql<SimulatedClock | null>`${plans.policy}->'clock'`,
    })
    .from(plans)
    .where(
      and(
        filter.plan ? eq(plans.id, filter.plan) : undefined,
        filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
      ),
    );
  const clock = filter.plan ? (inScope[0]?.clock ?? undefined) : undefined;
  const today = localDay(toPlanTime(now, clock));
  const start = inScope.reduce<IsoDate | null>((m, p) => (m === null || p.periodStart < m ? p.periodStart : m), null);
  const end = inScope.reduce<IsoDate | null>((m, p) => (m === null || p.periodEnd > m ? p.periodEnd : m), null);
  return { plans: inScope.length, today, start, end };
}

/** The figures of a period as of its day: shared by the dashboard and the periodic report. */
export async function periodFigures(db: Database, filter: DashboardFilter, period: DashboardPeriod, now: Date) {
  const { today } = await planSpan(db, filter, now);
  const asOf = periodAsOf(period, today);
  return { asOf, ...(await figuresByAgency(db, filter, period === 'now' ? 'now' : asOf, now)) };
}

export async function dashboard(
  db: Database,
  named: DashboardFilter,
  period: DashboardPeriod,
  now: Date,
): Promise<Dashboard> {
  const filter = await withPlanId(db, named);
  const span = await planSpan(db, filter, now);
  if (filter.plan && span.plans === 0) throw new NotFound(`Không có kế hoạch ${named.plan}.`);
  const { today } = span;
  const asOf = periodAsOf(period, today);
  // Every period of the plans' span can be chosen; the trend runs through the cut-offs that have come.
  const windows = span.start && span.end ? reportWindowsBetween(span.start, span.end) : [];
  const trendWindows = windows.filter((w) => w.windowEnd <= asOf && w.windowEnd < today);

  const day = period === 'now' ? 'now' : asOf;
  const [current, trend, levels] = await Promise.all([
    tallies(db, filter, asOfDay(day, now)),
    trendAt(
      db,
      filter,
      trendWindows.map((w) => w.windowEnd),
    ),
    openEscalations(db, filter, day),
  ]);
  const summary = summarise(current);
  return {
    plan: named.plan ?? null,
    agency: filter.agency ?? null,
    period,
    asOf,
    today,
    periods: windows.map((w) => ({ id: w.id, asOf: periodAsOf(w.id, today) })),
    total: summary.total,
    byAgency: summary.agencies,
    byArea: summary.areas,
    trend: [
      ...trendWindows.map((w) => ({
        period: w.id,
        asOf: w.windowEnd,
        ...figures(trend.get(w.windowEnd) ?? emptyTally()),
      })),
      // The period's own point when its cut-off is today or still to come: the figures so far.
      ...(asOf === today ? [{ period, asOf, ...summary.total }] : []),
    ],
    escalations: levels,
  };
}
