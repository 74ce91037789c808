import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { DeliveryFailure } from '../domain/delivery-failures.ts';

// Delivery: recording attempts. A message's answer and its record are the one window in which a
// worker dying sends it twice, so each attempt is recorded as soon as it is answered; answers that
// arrive while a record is being written wait for the next one, and go in together (group commit).
// One statement per message was the PostgreSQL work of every e-mail; now a busy batch writes a few.

/** One answered attempt: sent (no error) or the failure's category. */
export interface AttemptRecord {
  deliveryId: number;
  channel: string;
  address: string;
  error: DeliveryFailure | undefined;
}

/** Writes attempts and their deliveries' state in one statement: each attempt commits with its state. */
async function writeAttempts(db: Database, records: readonly AttemptRecord[]): Promise<void> {
  const column = <T>(pick: (r: AttemptRecord) => T) => sql.param(records.map(pick));
  await db.execute(sql`
    with answered as (
      select * from unnest(
        ${column((r) => r.deliveryId)}::bigint[], ${column((r) => r.channel)}::text[],
        ${column((r) => r.address)}::text[], ${column((r) => r.error ?? null)}::text[]
      ) as t(delivery_id, channel, address, error)
    ),
    attempt as (
      insert into delivery_attempts (delivery_id, channel, address, outcome, error)
      select delivery_id, channel, address, case when error is null then 'sent' else 'error' end, error
      from answered
    )
    update deliveries d
    set attempts = d.attempts + 1,
        status = case when a.error is null then 'sent' else d.status end,
        sent_at = case when a.error is null then now() else d.sent_at end,
        last_error = coalesce(a.error, d.last_error)
    from answered a
    where d.id = a.delivery_id`);
}

/**
 * A recorder for one batch: `record` resolves once the attempt is committed. The first answer is
 * written at once; those that come while it is written are written together right after, so the
 * wait between an answer and its record is at most two statements, and never a timer.
 */
export function attemptRecorder(db: Database): (record: AttemptRecord) => Promise<void> {
  let waiting: { record: AttemptRecord; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        await writeAttempts(
          db,
          group.map((g) => g.record),
        );
        for (const g of group) g.resolve();
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    writing = false;
  };
  return (record) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ record, resolve, reject });
      if (!writing) void drain();
    });
}
