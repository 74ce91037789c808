import { and, eq, inArray } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkingCalendar } from '../domain/calendar.ts';
import { type SimulatedClock } from '../domain/clock.ts';
import type { Database } from '../db/client.ts';
import { deliveries } from '../db/schema.ts';
import { recipientsOf, type Recipient } from './delivery-recipients.ts';
import type { Mailer } from './mailer.ts';
import { type DeliveryFailure } from '../domain/delivery-failures.ts';
import type { CidrRange } from '../domain/webhook-target.ts';
import { type Resolver } from './webhook-call.ts';
import {
  digestEnvelope,
  envelopeOf,
  notificationRows,
  type DeliveryRow,
  type EnvelopeRow,
} from './delivery-rendering.ts';
import { failureOf, send } from './delivery-transport.ts';
import { attemptRecorder, type AttemptRecord } from './delivery-attempts.ts';

// Delivery: sending, one attempt at a time or in batches, with each outcome recorded. Planning,
// bookkeeping, rendering, transport and digests are in the delivery-*.ts files beside this one.
/** How delivery behaves; the worker's configuration (runtime/config.ts) gives it. */
export interface DeliverySettings {
  /** How long a delivery is retried before it is marked failed. */
  retryWindowMs: number;
  /** The longest wait between two attempts (the backoff doubles up to it). */
  maxBackoffMs: number;
  /** How often the dispatcher looks for new notifications. */
  pollIntervalMs: number;
  /**
   * The digest hour on a simulated clock (tests, training): 08:00 of the simulated day, as plans on a
   * simulated clock see it. Absent: real time.
   */
  clock?: SimulatedClock;
}

export interface DeliveryDeps {
  db: Database;
  calendar: WorkingCalendar;
  mailer: Mailer;
  /** The web app's address, for links: https://dondoc.example.gov.vn */
  publicUrl: string;
  settings: DeliverySettings;
  /** The domain part of Message-IDs (from MAIL_FROM). */
  messageIdDomain: string;
  /** Internal ranges webhooks may go to (DONDOC_WEBHOOK_ALLOW); absent: none. */
  webhookAllow?: readonly CidrRange[];
  /** How webhook hosts are resolved; absent: the system's resolver. */
  resolve?: Resolver;
  /** The worker's log, for what a failed attempt's category leaves out (an error code, never an address). */
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

/** What one attempt came to: sent, skipped (nothing to send, or sent already), or an error, recorded. */
type Outcome = { sent: true } | { skipped: true } | { error: string };

async function drop(db: Database, id: number, reason: DeliveryFailure): Promise<Outcome> {
  await db
    .update(deliveries)
    .set({ status: 'dropped', lastError: reason })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, 'pending')));
  return { skipped: true };
}

/**
 * One attempt at one pending delivery, recorded by `record` right after the server's answer: a
 * worker dying between the two is the one window in which a message can go out twice.
 */
async function attempt(
  deps: DeliveryDeps,
  record: (record: AttemptRecord) => Promise<void>,
  delivery: DeliveryRow,
  contact: Recipient | undefined,
  notification: EnvelopeRow | undefined,
  signal?: AbortSignal,
): Promise<Outcome> {
  const { db } = deps;
  if (!contact) return drop(db, delivery.id, 'contact-removed');
  if (delivery.notificationId !== null ? !notification : !delivery.content)
    return drop(db, delivery.id, 'nothing-to-send');
  let error: DeliveryFailure | undefined;
  try {
    // Rendered here, so that a message that cannot be rendered fails alone, as an attempt.
    const envelope = notification ? envelopeOf(deps, notification) : digestEnvelope(deps, delivery)!;
    await send(deps, delivery, contact.secret, envelope, signal);
  } catch (e) {
    const failure = failureOf(e, delivery.channel);
    error = failure.category;
    deps.warn?.('delivery attempt failed', {
      deliveryId: delivery.id,
      channel: delivery.channel,
      category: failure.category,
      detail: failure.detail,
    });
  }
  await record({ deliveryId: delivery.id, channel: delivery.channel, address: delivery.address, error });
  return error === undefined ? { sent: true } : { error };
}

/**
 * Sends one delivery and records the attempt. Throws on failure, so that Temporal retries it with
 * backoff. A delivery already sent is not sent again.
 */
export async function sendDelivery(deps: DeliveryDeps, input: { deliveryId: number }): Promise<'sent' | 'skipped'> {
  const { db } = deps;
  const [delivery] = await db.select().from(deliveries).where(eq(deliveries.id, input.deliveryId));
  if (!delivery || delivery.status !== 'pending') return 'skipped';
  const contact = (await recipientsOf(db, [delivery])).get(delivery.contactId);
  const notification =
    delivery.notificationId !== null
      ? (await notificationRows(deps, [delivery.notificationId])).get(delivery.notificationId)
      : undefined;
  const outcome = await attempt(deps, attemptRecorder(db), delivery, contact, notification);
  if ('error' in outcome) throw ApplicationFailure.retryable(outcome.error, 'DeliveryError');
  return 'sent' in outcome ? 'sent' : 'skipped';
}

export interface SendDeliveriesResult {
  sent: number;
  skipped: number;
  /** Deliveries whose first attempt failed: each gets its own workflow, which retries with backoff. */
  failed: number[];
}

/** Sends at most this many messages of one batch at a time (the mailer pools its connections). */
const BATCH_CONCURRENCY = 16;

/**
 * The first attempt at a batch of deliveries, in one activity: what the batch needs is read in three
 * queries, the messages go out a few at a time, and each attempt is recorded as it is answered. A
 * failed first attempt is returned, not thrown: only that delivery is retried, by its own workflow.
 * Run again after a crash, it skips what was recorded as sent. Once a lane fails (the database
 * went away) or `signal` aborts (Temporal gave the batch to another worker), no lane takes another
 * message, and the activity ends only when every message in flight is answered and recorded, so
 * that a retry never sends a message this run is still sending.
 */
export async function sendDeliveries(
  deps: DeliveryDeps,
  input: { ids: number[] },
  signal?: AbortSignal,
): Promise<SendDeliveriesResult> {
  const { db } = deps;
  const result: SendDeliveriesResult = { sent: 0, skipped: 0, failed: [] };
  if (input.ids.length === 0) return result;
  const pending = await db
    .select()
    .from(deliveries)
    .where(and(inArray(deliveries.id, input.ids), eq(deliveries.status, 'pending')))
    .orderBy(deliveries.id);
  result.skipped = input.ids.length - pending.length;
  const contactIds = [...new Set(pending.map((d) => d.contactId))];
  const contactById = contactIds.length > 0 ? await recipientsOf(db, pending) : new Map<string, Recipient>();
  const notificationById = await notificationRows(
    deps,
    pending.flatMap((d) => (d.notificationId === null ? [] : [d.notificationId])),
  );
  const record = attemptRecorder(db);
  let next = 0;
  let stopped = false;
  const lane = async () => {
    while (!stopped && !signal?.aborted && next < pending.length) {
      const delivery = pending[next++]!;
      const notification = delivery.notificationId !== null ? notificationById.get(delivery.notificationId) : undefined;
      const outcome = await attempt(
        deps,
        record,
        delivery,
        contactById.get(delivery.contactId),
        notification,
        signal,
      ).catch((error: unknown) => {
        stopped = true;
        throw error;
      });
      if ('sent' in outcome) result.sent += 1;
      else if ('skipped' in outcome) result.skipped += 1;
      else result.failed.push(delivery.id);
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(BATCH_CONCURRENCY, pending.length) }, lane));
  const failure = lanes.find((l) => l.status === 'rejected');
  if (failure) throw failure.reason;
  signal?.throwIfAborted();
  return result;
}
