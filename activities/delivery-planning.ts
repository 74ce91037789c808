import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { deliveries, notifications } from '../db/schema.ts';
import { plannedDeliveries } from './delivery-recipients.ts';

// Delivery: planning, turning new notifications into deliveries for their recipients.
export interface PlanDeliveriesResult {
  /** Notifications planned by this call. */
  notifications: number;
  deliveries: number;
  /** More notifications wait: call again at once. */
  more: boolean;
}

/**
 * Turns notifications not yet planned into deliveries: one per recipient (the agency's or the
 * role's contacts in the assignment's registry, and every active account of that agency or role,
 * once per address: activities/delivery-recipients.ts), immediate or waiting for the digest as
 * each chose. Idempotent: the notification is marked planned in the same transaction, and a
 * delivery is unique per message and recipient.
 */
export async function planDeliveries(db: Database, input: { limit: number }): Promise<PlanDeliveriesResult> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.execute<{
      id: string;
      kind: string;
      recipient_agency: string | null;
      recipient_role: string | null;
      registry: string;
    }>(sql`
      select n.id, n.kind, n.recipient_agency, n.recipient_role, p.registry
      from notifications n
      join assignments a on a.id = n.assignment_id
      join plans p on p.id = a.plan_id
      where n.planned_at is null
      order by n.id
      limit ${input.limit}
      for update of n skip locked`);
    if (rows.length === 0) return { notifications: 0, deliveries: 0, more: false };
    const planned = await plannedDeliveries(tx, rows);
    for (let i = 0; i < planned.length; i += 1000)
      await tx
        .insert(deliveries)
        .values(planned.slice(i, i + 1000))
        .onConflictDoNothing();
    await tx
      .update(notifications)
      .set({ plannedAt: sql`now()` })
      .where(
        inArray(
          notifications.id,
          rows.map((r) => Number(r.id)),
        ),
      );
    return { notifications: rows.length, deliveries: planned.length, more: rows.length === input.limit };
  });
}
