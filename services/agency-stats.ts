import { and, eq, inArray, sql } from 'drizzle-orm';
import { openStatuses } from '../domain/lifecycle.ts';
import { localDay } from '../domain/instant.ts';
import { ratio } from '../domain/task-buckets.ts';
import type { Database } from '../db/client.ts';
import type { ReadScope } from './read-scope.ts';
import { withPlanId } from './plan-ref.ts';
import { assignments, plans, tasks } from '../db/schema.ts';
import { asOfDay, inBucket } from './task-buckets.ts';

export interface Counts {
  total: number;
  completed: number;
  completedOnTime: number;
  completedLate: number;
  open: number;
  overdue: number;
  cancelled: number;
  completionRate: number | null;
  onTimeRate: number | null;
}

type Raw = Omit<Counts, 'completionRate' | 'onTimeRate' | 'completedLate'>;

const zero = (): Raw => ({ total: 0, completed: 0, completedOnTime: 0, open: 0, overdue: 0, cancelled: 0 });

function add(into: Raw, from: Raw): Raw {
  for (const key of Object.keys(into) as (keyof Raw)[]) into[key] += from[key];
  return into;
}

/**
 * The figures reports quote: "hoàn thành x/y nhiệm vụ", "trước và đúng hạn z%", "chậm, quá hạn" —
 * today's four buckets (domain/task-buckets.ts) with the open and cancelled work beside them.
 */
function finish(raw: Raw): Counts {
  return {
    ...raw,
    completedLate: raw.completed - raw.completedOnTime,
    completionRate: ratio(raw.completed, raw.total - raw.cancelled),
    onTimeRate: ratio(raw.completedOnTime, raw.completed + raw.overdue),
  };
}

export async function agencyStats(db: Database, named: ReadScope & { plan?: string }, now: Date) {
  const filter = await withPlanId(db, named);
  const today = localDay(now);
  const day = asOfDay('now', now);
  const rows = await db
    .select({
      agencyCode: assignments.agencyCode,
      area: tasks.area,
      total: sql<number>`count(*)::int`,
      completed: sql<number>`count(*) filter (where ${assignments.status} = 'completed')::int`,
      completedOnTime: sql<number>`count(*) filter (where ${inBucket('onTime', day)})::int`,
      open: sql<number>`count(*) filter (where ${inArray(assignments.status, [...openStatuses])})::int`,
      overdue: sql<number>`count(*) filter (where ${inBucket('overdue', day)})::int`,
      cancelled: sql<number>`count(*) filter (where ${assignments.status} = 'cancelled')::int`,
    })
    .from(assignments)
    .innerJoin(tasks, eq(tasks.id, assignments.taskId))
    .innerJoin(plans, eq(plans.id, assignments.planId))
    .where(
      and(
        filter.plan ? eq(plans.id, filter.plan) : undefined,
        filter.agency !== undefined ? eq(assignments.agencyCode, filter.agency) : undefined,
        filter.registry !== undefined ? eq(plans.registry, filter.registry) : undefined,
      ),
    )
    .groupBy(assignments.agencyCode, tasks.area)
    .orderBy(assignments.agencyCode, tasks.area);

  const byAgency = new Map<string, { raw: Raw; byArea: { area: string | null; raw: Raw }[] }>();
  const total = zero();
  for (const row of rows) {
    const { agencyCode, area, ...raw } = row;
    const entry = byAgency.get(agencyCode) ?? { raw: zero(), byArea: [] };
    add(entry.raw, raw);
    entry.byArea.push({ area, raw });
    byAgency.set(agencyCode, entry);
    add(total, raw);
  }
  return {
    asOf: today,
    items: [...byAgency].map(([agencyCode, e]) => ({
      agencyCode,
      ...finish(e.raw),
      byArea: e.byArea.map((a) => ({ area: a.area, ...finish(a.raw) })),
    })),
    total: finish(total),
  };
}
