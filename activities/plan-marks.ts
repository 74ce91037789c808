import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { planMarks } from '../db/schema.ts';

// How far a plan's timer workflows have marked their shared instants. The mark writes it in its own
// transaction, with its records; an assignment reads it before it changes anything after such an
// instant, so that the plan's mark is the only writer of the instant's records and decides on the
// assignment as it was at the instant (workflows/assignment-run.ts).

export type PlanTimers = 'reports' | 'deadlines';

/** Every instant of `timers` up to `at` (plan time, ISO) is marked; never moves back. */
export async function recordMarkedThrough(
  tx: Pick<Database, 'execute'>,
  planId: string,
  timers: PlanTimers,
  at: string,
): Promise<void> {
  await tx.execute(sql`
    insert into plan_marks (plan_id, timers, through) values (${planId}, ${timers}, ${at}::timestamptz)
    on conflict (plan_id, timers) do update set through = greatest(plan_marks.through, excluded.through)`);
}

/** How far each of the plan's timer workflows has marked (plan time, ISO), or null for none yet. */
export async function planMarkedThrough(
  db: Database,
  input: { planId: string },
): Promise<Record<PlanTimers, string | null>> {
  const rows = await db
    .select({ timers: planMarks.timers, through: planMarks.through })
    .from(planMarks)
    .where(eq(planMarks.planId, input.planId));
  const through = (timers: PlanTimers) => rows.find((r) => r.timers === timers)?.through.toISOString() ?? null;
  return { reports: through('reports'), deadlines: through('deadlines') };
}
