import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { deliveries } from '../db/schema.ts';
import { deliveryFailureOf, isDeliveryFailure } from '../domain/delivery-failures.ts';

// Delivery: the dispatch's bookkeeping: which deliveries still need a first attempt, and the
// ones whose retry window is over.
/** Deliveries to send now that no delivery workflow has taken yet, oldest first. */
export async function undispatchedDeliveries(
  db: Database,
  input: { limit: number; /** Only ids above this one: the dispatcher's batches still in flight. */ afterId?: number },
): Promise<number[]> {
  const rows = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      sql`${deliveries.status} = 'pending' and ${deliveries.mode} = 'immediate' and ${deliveries.dispatchedAt} is null and ${deliveries.id} > ${input.afterId ?? 0}`,
    )
    .orderBy(deliveries.id)
    .limit(input.limit);
  return rows.map((r) => r.id);
}

export async function markDispatched(db: Database, input: { ids: number[] }): Promise<void> {
  if (input.ids.length === 0) return;
  await db
    .update(deliveries)
    .set({ dispatchedAt: sql`coalesce(${deliveries.dispatchedAt}, now())` })
    .where(inArray(deliveries.id, input.ids));
}

/**
 * After the retry window: the delivery is failed, for the coordinator to see. The workflow says
 * "retry window over: <why>": when the why is an attempt's category it is kept; when it is the
 * window's own time-out, the last attempt's category (already recorded) stays.
 */
export async function markDeliveryFailed(db: Database, input: { deliveryId: number; error: string }): Promise<void> {
  const reason = input.error.replace(/^retry window over:\s*/, '').trim();
  const category = isDeliveryFailure(reason) ? reason : null;
  await db
    .update(deliveries)
    .set({
      status: 'failed',
      failedAt: sql`now()`,
      lastError: sql`coalesce(${category}, ${deliveries.lastError}, ${deliveryFailureOf(input.error)})`,
    })
    .where(and(eq(deliveries.id, input.deliveryId), eq(deliveries.status, 'pending')));
}
