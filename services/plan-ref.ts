import { and, eq, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { plans } from '../db/schema.ts';
import { Invalid } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id no plan has: a filter on a plan the reader cannot see matches nothing. */
export const NO_PLAN = '00000000-0000-0000-0000-000000000000';

const named = (ref: string) => (UUID.test(ref) ? eq(plans.id, ref) : or(eq(plans.slug, ref), eq(plans.code, ref))!);

/** Whether any registry has a plan of that id, slug or number. */
export async function planNamedAnywhere(db: Database, ref: string): Promise<boolean> {
  const [row] = await db.select({ id: plans.id }).from(plans).where(named(ref)).limit(1);
  return row !== undefined;
}

/**
 * The id of the plan a reader names (its id, its slug, or its decision number), within the
 * reader's registry when it has one; NO_PLAN when it names none there. Decision numbers repeat
 * from province to province: a number naming plans of several registries is refused, never merged.
 */
export async function resolvePlanRef(db: Database, ref: string, registry: string | undefined): Promise<string> {
  const found = await db
    .select({ id: plans.id, slug: plans.slug, registry: plans.registry })
    .from(plans)
    .where(and(named(ref), registry !== undefined ? eq(plans.registry, registry) : undefined));
  // A slug is unique in the deployment: it wins over a code that reads the same.
  const chosen = found.find((p) => p.slug === ref) ?? (found.length === 1 ? found[0] : undefined);
  if (!chosen && found.length > 1) {
    throw new Invalid(
      `Số hiệu "${ref}" là kế hoạch của nhiều danh mục (${found.map((p) => p.registry).join(', ')}); hãy chỉ rõ kế hoạch bằng mã của nó (${found.map((p) => p.slug).join(', ')}).`,
      [{ field: 'plan', message: `trùng ở ${found.length} danh mục` }],
    );
  }
  return chosen?.id ?? NO_PLAN;
}

/** The filter with its plan reference replaced by the plan's id (see resolvePlanRef). */
export async function withPlanId<F extends { plan?: string; registry?: string }>(db: Database, filter: F): Promise<F> {
  return filter.plan === undefined
    ? filter
    : { ...filter, plan: await resolvePlanRef(db, filter.plan, filter.registry) };
}
