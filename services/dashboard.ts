import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { toPlanTime, type SimulatedClock } from '../domain/clock.ts';
import { localDay } from '../domain/instant.ts';
import { parseReportPeriodId, reportWindow, reportWindowsBetween } from '../domain/report-periods.ts';
import {
  addTally,
  emptyTally,
  figures,
  rankAgencies,
  type BucketFigures,
  type BucketTally,
  type TaskBucket,
} from '../domain/task-buckets.ts';
import type { IsoDate } from '../domain/types.ts';
import { agencyLabel, type AgencyLabel } from '../domain/agencies/names.ts';
import { bucketLabels, periodCutOffLabel, periodHeading } from '../domain/labels.ts';
import type { Database } from '../db/client.ts';
import { assignments, plans, registryAgencies, tasks } from '../db/schema.ts';
import { Invalid, NotFound } from './errors.ts';
import type { ReadScope } from './read-scope.ts';
import { withPlanId } from './plan-ref.ts';
import { asOfDay, bucketAt, highestOpenEscalation, planImportedOn } from './task-buckets.ts';
import type { PlanLabel } from './assignment-reads.ts';

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

/** A period the reader can choose, with its words and whether its figures are reconstructed. */
export interface DashboardPeriodChoice {
  id: string;
  asOf: IsoDate;
  /** "Quý I/2026", "Năm 2026". */
  label: string;
  /** "Năm 2025 (số liệu đến 14/12/2025)". */
  cutOffLabel: string;
  /** Its cut-off came before a plan in scope was imported: reckoned from deadlines and completion dates. */
  reconstructed: boolean;
}

export interface Dashboard {
  plan: string | null;
  /** The plan by its number and title, when the figures are one plan's. */
  planLabel: PlanLabel | null;
  /** The agency the figures are narrowed to (an agency's own), or null for all. */
  agency: string | null;
  period: DashboardPeriod;
  /** The day the figures are taken at: the period's data cut-off (the 14th of its last month), or today. */
  asOf: IsoDate;
  /** Today in the plan's time (its simulated clock, if it runs on one). */
  today: IsoDate;
  /** The chosen period's words: "Năm 2025 (số liệu đến 14/12/2025)". */
  label: string;
  /** The chosen period's cut-off came before a plan in scope was imported. */
  reconstructed: boolean;
  /** Every period within the plans' span, with the day its figures are taken at: the choices a reader has. */
  periods: DashboardPeriodChoice[];
  /** The four buckets' names, one parallel set (domain/labels.ts). */
  bucketLabels: Record<TaskBucket, string>;
  total: BucketFigures;
  /** Worst first: by overdue work, then by on-time rate (domain/task-buckets.ts `rankAgencies`). */
  byAgency: (BucketFigures & { agencyCode: string; agency: AgencyLabel })[];
  byArea: (BucketFigures & { area: string | null })[];
  /** The figures at each period's cut-off from the start of the span up to `asOf` (and today, for "now"). */
  trend: (BucketFigures & { period: string; asOf: IsoDate; label: string; reconstructed: boolean })[];
  /** Assignments with an escalation open at `asOf`, by the highest level open. */
  escalations: { level: number; label: string; assignments: number }[];
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
  return summarise(
    rows,
    await agencyNames(
      db,
      filter,
      rows.map((r) => r.agencyCode),
    ),
  );
}

/**
 * The names of the agencies in the figures, from the registries of the plans in scope (a code
 * several registries share, in a deployment-wide view, is named after the first).
 */
async function agencyNames(db: Database, filter: DashboardFilter, codes: string[]): Promise<Map<string, AgencyLabel>> {
  const wanted = [...new Set(codes)];
  const names = new Map<string, AgencyLabel>();
  if (wanted.length === 0) return names;
  const registries = db
    .selectDistinct({ registry: plans.registry })
    .from(plans)
    .where(
      and(
        filter.plan ? eq(plans.id, filter.plan) : undefined,
        filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
      ),
    );
  const rows = await db
    .selectDistinctOn([registryAgencies.code], {
      code: registryAgencies.code,
      name: registryAgencies.name,
      shortName: registryAgencies.shortName,
    })
    .from(registryAgencies)
    .where(and(inArray(registryAgencies.code, wanted), inArray(registryAgencies.registry, registries)))
    .orderBy(registryAgencies.code, registryAgencies.registry);
  for (const r of rows) names.set(r.code, agencyLabel(r.code, r));
  return names;
}

function summarise(
  rows: (BucketTally & { agencyCode: string; area: string | null })[],
  names: Map<string, AgencyLabel>,
) {
  const agencies = new Map<string, BucketTally>();
  const areas = new Map<string | null, BucketTally>();
  const total = emptyTally();
  for (const row of rows) {
    addTally(agencies.get(row.agencyCode) ?? agencies.set(row.agencyCode, emptyTally()).get(row.agencyCode)!, row);
    addTally(areas.get(row.area) ?? areas.set(row.area, emptyTally()).get(row.area)!, row);
    addTally(total, row);
  }
  return {
    agencies: rankAgencies(
      [...agencies].map(([agencyCode, t]) => ({
        agencyCode,
        agency: names.get(agencyCode) ?? agencyLabel(agencyCode),
        ...figures(t),
      })),
    ),
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
      id: plans.id,
      code: plans.code,
      slug: plans.slug,
      title: plans.title,
      periodStart: plans.periodStart,
      periodEnd: plans.periodEnd,
      importedOn: sql<IsoDate>`to_char(${planImportedOn}, 'YYYY-MM-DD')`,
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
  // A cut-off before the last import in scope has figures reckoned after the fact for some plan.
  const lastImport = inScope.reduce<IsoDate | null>(
    (m, p) => (m === null || p.importedOn > m ? p.importedOn : m),
    null,
  );
  const one = filter.plan ? inScope[0] : undefined;
  return {
    plans: inScope.length,
    today,
    start,
    end,
    lastImport,
    plan: one ? { id: one.id, code: one.code, slug: one.slug, title: one.title } : null,
  };
}

/** Whether a period's figures at `asOf` are reconstructed: some plan in scope was imported after that day. */
export function isReconstructed(period: DashboardPeriod, asOf: IsoDate, lastImport: IsoDate | null): boolean {
  return period !== 'now' && lastImport !== null && asOf < lastImport;
}

/** The figures of a period as of its day: shared by the dashboard and the periodic report. */
export async function periodFigures(db: Database, filter: DashboardFilter, period: DashboardPeriod, now: Date) {
  const { today, lastImport } = await planSpan(db, filter, now);
  const asOf = periodAsOf(period, today);
  return {
    asOf,
    reconstructed: isReconstructed(period, asOf, lastImport),
    ...(await figuresByAgency(db, filter, period === 'now' ? 'now' : asOf, now)),
  };
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
  const summary = summarise(
    current,
    await agencyNames(
      db,
      filter,
      current.map((r) => r.agencyCode),
    ),
  );
  const choice = (id: string, day: IsoDate): DashboardPeriodChoice => ({
    id,
    asOf: day,
    label: id === 'now' ? 'Hiện tại' : periodHeading(id),
    cutOffLabel: periodCutOffLabel(id, day),
    reconstructed: isReconstructed(id, day, span.lastImport),
  });
  return {
    plan: named.plan ?? null,
    planLabel: span.plan,
    agency: filter.agency ?? null,
    period,
    asOf,
    today,
    label: periodCutOffLabel(period, asOf),
    reconstructed: isReconstructed(period, asOf, span.lastImport),
    periods: windows.map((w) => choice(w.id, periodAsOf(w.id, today))),
    bucketLabels: { ...bucketLabels },
    total: summary.total,
    byAgency: summary.agencies,
    byArea: summary.areas,
    trend: [
      ...trendWindows.map((w) => {
        const { label, reconstructed } = choice(w.id, w.windowEnd);
        return {
          period: w.id,
          asOf: w.windowEnd,
          label,
          reconstructed,
          ...figures(trend.get(w.windowEnd) ?? emptyTally()),
        };
      }),
      // The period's own point when its cut-off is today or still to come: the figures so far.
      ...(asOf === today
        ? [{ period, asOf, label: choice(period, asOf).label, reconstructed: false, ...summary.total }]
        : []),
    ],
    escalations: levels.map((l) => ({ level: l.level, label: `Cảnh báo mức ${l.level}`, assignments: l.assignments })),
  };
}
