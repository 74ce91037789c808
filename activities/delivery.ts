import { and, eq, inArray, sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkingCalendar } from '../domain/calendar.ts';
import { toPlanTime, toRealTime, type SimulatedClock } from '../domain/clock.ts';
import {
  assignmentUrl,
  digestEmail,
  notificationEmail,
  type EmailMessage,
  type MessageAssignment,
} from '../domain/delivery-message.ts';
import {
  composeDigest,
  nextDigestAt,
  DIGEST_HORIZON_WORKING_DAYS,
  type DigestAssignment,
  type DigestContent,
  type DigestLateReport,
  type DigestNotice,
} from '../domain/digest.ts';
import { openStatuses, type AssignmentStatus } from '../domain/lifecycle.ts';
import type { IsoDate } from '../domain/types.ts';
import type { Database } from '../db/client.ts';
import { namedTexts } from '../db/agency-index.ts';
import { deliveries, notifications } from '../db/schema.ts';
import { digestRecipients, plannedDeliveries, recipientsOf, type Recipient } from './delivery-recipients.ts';
import type { Mailer } from './mailer.ts';
import { webhookHeaders } from '../domain/webhook-signature.ts';
import { deliveryFailureOf, isDeliveryFailure, type DeliveryFailure } from '../domain/delivery-failures.ts';
import type { CidrRange } from '../domain/webhook-target.ts';
import { answerFailure, callWebhook, MAX_ANSWER_BYTES, WebhookFailure, type Resolver } from './webhook-call.ts';

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

const WEBHOOK_TIMEOUT_MS = 15_000;
const ERROR_LENGTH = 500;

/**
 * Error text that may be logged: shortened, and with e-mail addresses, URLs (which can carry
 * tokens) and IP addresses taken out.
 */
export function safeError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = `${error instanceof Error ? error.message : String(error)}${cause}`;
  return message
    .replace(/https?:\/\/\S+/gi, '<url>')
    .replace(/[^\s<>"'@,;:]+@[^\s<>"'@,;:]+/g, '<address>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b|\[?(?:[0-9a-f]{0,4}:){2,}[0-9a-f.]*\]?(?::\d+)?/gi, '<ip>')
    .slice(0, ERROR_LENGTH);
}

/**
 * What an attempt's failure is stored as: its category (domain/delivery-failures.ts), and a detail
 * for the worker's log only: the error's code or the answer's status, never an address.
 */
function failureOf(error: unknown, channel: string): { category: DeliveryFailure; detail: string } {
  if (error instanceof WebhookFailure) return { category: error.category, detail: error.detail };
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const detail = [code, responseCode].filter((v) => v !== undefined).join(' ') || 'error';
  if (channel === 'email') {
    // SMTP: 5xx is a refusal of this message (the address, the content); anything else is the server being away.
    if ((typeof responseCode === 'number' && responseCode >= 500) || code === 'EENVELOPE' || code === 'EMESSAGE')
      return { category: 'mail-rejected', detail };
    if (typeof responseCode === 'number' || typeof code === 'string') return { category: 'mail-unavailable', detail };
  }
  return { category: 'error', detail: safeError(error) };
}

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

/** Deliveries to send now that no delivery workflow has taken yet, oldest first. */
export async function undispatchedDeliveries(db: Database, input: { limit: number }): Promise<number[]> {
  const rows = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      sql`${deliveries.status} = 'pending' and ${deliveries.mode} = 'immediate' and ${deliveries.dispatchedAt} is null`,
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

interface Envelope {
  email: EmailMessage;
  /** The webhook's JSON body. */
  payload: Record<string, unknown>;
}

type EnvelopeRow = {
  id: string;
  kind: string;
  level: number | null;
  period: string | null;
  text: string;
  created_at: Date | string;
  recipient_agency: string | null;
  recipient_role: string | null;
  assignment_id: string;
  agency_code: string;
  status: string;
  effective_due: string | null;
  escalation_level: number;
  task_number: string;
  task_title: string;
  plan_code: string;
  plan_id: string;
  plan_title: string;
  registry: string;
  agency_name: string | null;
  agency_short_name: string | null;
};

/** What the e-mail and webhook of each notification say, read in one query; agencies by name. */
async function notificationRows(deps: DeliveryDeps, ids: number[]): Promise<Map<number, EnvelopeRow>> {
  const found = new Map<number, EnvelopeRow>();
  if (ids.length === 0) return found;
  const { rows } = await deps.db.execute<EnvelopeRow>(sql`
    select n.id, n.kind, n.level, n.period, n.text, n.created_at, n.recipient_agency, n.recipient_role,
           a.id as assignment_id, a.agency_code, a.status, a.effective_due::text as effective_due, a.escalation_level,
           t.number as task_number, t.title as task_title, p.code as plan_code, p.id as plan_id,
           p.title as plan_title, p.registry, ra.name as agency_name, ra.short_name as agency_short_name
    from notifications n
    join assignments a on a.id = n.assignment_id
    join tasks t on t.id = a.task_id
    join plans p on p.id = a.plan_id
    left join registry_agencies ra on ra.registry = p.registry and ra.code = a.agency_code
    where n.id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  const texts = await namedTexts(deps.db, rows);
  rows.forEach((n, i) => found.set(Number(n.id), { ...n, text: texts[i]! }));
  return found;
}

function envelopeOf(deps: DeliveryDeps, n: EnvelopeRow): Envelope {
  const assignment: MessageAssignment = {
    id: n.assignment_id,
    taskNumber: n.task_number,
    taskTitle: n.task_title,
    planCode: n.plan_code,
    planTitle: n.plan_title,
    agencyCode: n.agency_code,
    agencyName: n.agency_name ?? n.agency_code,
    agencyShortName: n.agency_short_name ?? n.agency_code,
  };
  const link = assignmentUrl(deps.publicUrl, n.assignment_id);
  return {
    email: notificationEmail({ kind: n.kind, text: n.text, level: n.level }, assignment, deps.publicUrl),
    payload: {
      type: 'notification',
      notification: {
        id: Number(n.id),
        kind: n.kind,
        level: n.level,
        period: n.period,
        text: n.text,
        recipientAgency: n.recipient_agency,
        recipientRole: n.recipient_role,
        createdAt: new Date(n.created_at).toISOString(),
      },
      assignment: {
        ...assignment,
        planId: n.plan_id,
        status: n.status,
        effectiveDue: n.effective_due,
        escalationLevel: n.escalation_level,
        url: link,
      },
    },
  };
}

async function send(
  deps: DeliveryDeps,
  delivery: typeof deliveries.$inferSelect,
  secret: string | null,
  envelope: Envelope,
  signal?: AbortSignal,
): Promise<void> {
  if (delivery.channel === 'email') {
    await deps.mailer.send({
      to: delivery.address,
      ...envelope.email,
      messageId: `<delivery-${delivery.id}@${deps.messageIdDomain}>`,
    });
    return;
  }
  if (!secret) throw new WebhookFailure('no-secret', 'no secret');
  // The same id on every attempt lets the receiver drop repeats; the timestamp is the attempt's.
  const id = `msg_dondoc_${delivery.id}`;
  const body = JSON.stringify({ ...envelope.payload, deliveryId: delivery.id });
  const answer = await callWebhook(
    delivery.address,
    body,
    { 'content-type': 'application/json', ...webhookHeaders(secret, id, Math.floor(Date.now() / 1000), body) },
    {
      allow: deps.webhookAllow ?? [],
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      maxAnswerBytes: MAX_ANSWER_BYTES,
      ...(signal ? { signal } : {}),
      ...(deps.resolve ? { resolve: deps.resolve } : {}),
    },
  );
  const failure = answerFailure(answer);
  if (failure) throw failure;
}

type DeliveryRow = typeof deliveries.$inferSelect;

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
 * One attempt at one pending delivery, recorded in its own transaction right after the server's
 * answer: a worker dying between the two is the one window in which a message can go out twice.
 */
async function attempt(
  deps: DeliveryDeps,
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
  // One statement, so one round trip: the attempt and the delivery's state commit together.
  await db.execute(sql`
    with attempt as (
      insert into delivery_attempts (delivery_id, channel, address, outcome, error)
      values (${delivery.id}, ${delivery.channel}, ${delivery.address}, ${error === undefined ? 'sent' : 'error'}, ${error ?? null})
    )
    update deliveries
    set attempts = attempts + 1,
        ${error === undefined ? sql`status = 'sent', sent_at = now()` : sql`last_error = ${error}`}
    where id = ${delivery.id}`);
  return error === undefined ? { sent: true } : { error };
}

function digestEnvelope(deps: DeliveryDeps, delivery: DeliveryRow): Envelope | undefined {
  if (!delivery.content) return undefined;
  return {
    email: digestEmail(delivery.content, deps.publicUrl),
    payload: { type: 'digest', registry: delivery.registry, digest: delivery.content },
  };
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
  const outcome = await attempt(deps, delivery, contact, notification);
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
  let next = 0;
  let stopped = false;
  const lane = async () => {
    while (!stopped && !signal?.aborted && next < pending.length) {
      const delivery = pending[next++]!;
      const notification = delivery.notificationId !== null ? notificationById.get(delivery.notificationId) : undefined;
      const outcome = await attempt(deps, delivery, contactById.get(delivery.contactId), notification, signal).catch(
        (error: unknown) => {
          stopped = true;
          throw error;
        },
      );
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

async function digestInputs(
  db: Database,
  contact: Recipient,
  horizon: IsoDate,
): Promise<{ assignments: DigestAssignment[]; lateReports: DigestLateReport[]; notices: DigestNotice[] }> {
  const agency = contact.agencyCode ? sql`and a.agency_code = ${contact.agencyCode}` : sql``;
  // A deployment-wide person's digest covers every registry.
  const registry = contact.registry === null ? sql`true` : sql`p.registry = ${contact.registry}`;
  const open = sql.join(
    openStatuses.map((s) => sql`${s}`),
    sql`, `,
  );
  const { rows: assignmentRows } = await db.execute<{
    id: string;
    task_number: string;
    task_title: string;
    plan_code: string;
    agency_code: string;
    agency_short_name: string | null;
    status: AssignmentStatus;
    effective_due: string | null;
    escalation_level: number;
  }>(sql`
    select a.id, t.number as task_number, t.title as task_title, p.code as plan_code, a.agency_code, a.status,
           a.effective_due::text as effective_due, a.escalation_level, ra.short_name as agency_short_name
    from assignments a join tasks t on t.id = a.task_id join plans p on p.id = a.plan_id
    left join registry_agencies ra on ra.registry = p.registry and ra.code = a.agency_code
    where ${registry} ${agency}
      and a.status in (${open})
      and (a.effective_due <= ${horizon}::date or a.escalation_level > 0)`);
  const { rows: reportRows } = await db.execute<{
    assignment_id: string;
    task_number: string;
    task_title: string;
    plan_code: string;
    agency_code: string;
    agency_short_name: string | null;
    period: string;
  }>(sql`
    select r.assignment_id, t.number as task_number, t.title as task_title, p.code as plan_code, a.agency_code, r.period,
           ra.short_name as agency_short_name
    from report_filings r join assignments a on a.id = r.assignment_id
    join tasks t on t.id = a.task_id join plans p on p.id = a.plan_id
    left join registry_agencies ra on ra.registry = p.registry and ra.code = a.agency_code
    where ${registry} ${agency}
      and r.late and r.filed_at is null and a.status in (${open})`);
  const noticeRows = await db
    .select({
      notificationId: notifications.id,
      assignmentId: notifications.assignmentId,
      kind: notifications.kind,
      text: notifications.text,
      registry: deliveries.registry,
    })
    .from(deliveries)
    .innerJoin(notifications, eq(notifications.id, deliveries.notificationId))
    .where(and(eq(deliveries.contactId, contact.id), eq(deliveries.status, 'pending'), eq(deliveries.mode, 'digest')));
  const namedNotices = await namedTexts(
    db,
    noticeRows.map((n) => ({ registry: n.registry, text: n.text })),
  );
  return {
    assignments: assignmentRows.map((r) => ({
      id: r.id,
      taskNumber: r.task_number,
      taskTitle: r.task_title,
      planCode: r.plan_code,
      agencyCode: r.agency_code,
      ...(r.agency_short_name ? { agencyShortName: r.agency_short_name } : {}),
      status: r.status,
      effectiveDue: r.effective_due,
      escalationLevel: r.escalation_level,
    })),
    lateReports: reportRows.map((r) => ({
      assignmentId: r.assignment_id,
      taskNumber: r.task_number,
      taskTitle: r.task_title,
      planCode: r.plan_code,
      agencyCode: r.agency_code,
      ...(r.agency_short_name ? { agencyShortName: r.agency_short_name } : {}),
      period: r.period,
    })),
    // Named as the digest is composed: its content is kept as it went out.
    notices: noticeRows.map((n, i) => ({
      notificationId: n.notificationId,
      assignmentId: n.assignmentId,
      kind: n.kind,
      text: namedNotices[i]!,
    })),
  };
}

/**
 * The digests of one local day: for each contact, one message over all its plans, or none when
 * there is nothing to say. Idempotent per day and contact; the notifications that waited for it
 * are marked `digested` with the digest's id. Returns how many digests were planned.
 */
export async function composeDigests(
  deps: Pick<DeliveryDeps, 'db' | 'calendar'>,
  input: { day: IsoDate },
): Promise<{ digests: number }> {
  const { db, calendar } = deps;
  if (!calendar.isWorkingDay(input.day)) return { digests: 0 };
  const horizon = calendar.addWorkingDays(input.day, DIGEST_HORIZON_WORKING_DAYS);
  const all = await digestRecipients(db);
  let digests = 0;
  for (const contact of all) {
    const inputs = await digestInputs(db, contact, horizon);
    const content: DigestContent | null = composeDigest({ day: input.day, calendar, ...inputs });
    if (!content) continue;
    await db.transaction(async (tx) => {
      const [digest] = await tx
        .insert(deliveries)
        .values({
          key: `d:${input.day}`,
          contactId: contact.id,
          recipient: contact.recipient,
          registry: contact.registry ?? '',
          channel: contact.channel,
          address: contact.address,
          mode: 'immediate',
          status: 'pending',
          content,
        })
        .onConflictDoNothing()
        .returning({ id: deliveries.id });
      if (!digest) return;
      digests += 1;
      const ids = inputs.notices.map((n) => n.notificationId);
      if (ids.length > 0)
        await tx
          .update(deliveries)
          .set({ status: 'digested', digestId: digest.id })
          .where(
            and(
              eq(deliveries.contactId, contact.id),
              eq(deliveries.status, 'pending'),
              eq(deliveries.mode, 'digest'),
              inArray(deliveries.notificationId, ids),
            ),
          );
    });
  }
  return { digests };
}

/**
 * The next digest instant after `afterMs` (wall clock), on the worker's calendar: `day` is the local
 * day it sums up, `at` the wall-clock instant of its 08:00 (on the simulated clock when there is one).
 */
export function nextDigest(
  calendar: WorkingCalendar,
  input: { afterMs: number },
  clock?: SimulatedClock,
): { day: IsoDate; at: string } {
  const next = nextDigestAt(calendar, toPlanTime(new Date(input.afterMs), clock).getTime());
  return { day: next.day, at: toRealTime(new Date(next.at), clock).toISOString() };
}
