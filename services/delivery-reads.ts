import { and, asc, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import { describeDeliveryFailure, type DeliveryFailure } from '../domain/delivery-failures.ts';
import type { Principal } from '../domain/permissions.ts';
import { maskWebhookAddress } from '../domain/webhook-target.ts';
import type { Database } from '../db/client.ts';
import { contacts, deliveries, deliveryAttempts, notifications, users } from '../db/schema.ts';
import { mayManage } from './contacts.ts';
import { NotFound } from './errors.ts';

/** What happened to the messages sent outside the API: each delivery and each attempt. */

export const deliveryStatuses = ['pending', 'sent', 'failed', 'digested', 'dropped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface DeliveryView {
  id: number;
  /** The notification's kind, or "digest". */
  kind: string;
  notificationId: number | null;
  assignmentId: string | null;
  /** The recipient: a contact's id, or a person's account id when `recipient` is "account". */
  contactId: string;
  /** contact, or account (a person, at the e-mail they sign in with). */
  recipient: string;
  registry: string;
  channel: string;
  /** Whole for those who manage the contact; a webhook's is masked ("https://host/…") for the others. */
  address: string;
  mode: string;
  status: DeliveryStatus;
  attempts: number;
  /** Why the last attempt failed, as a category (domain/delivery-failures.ts), never the network's words. */
  lastError: DeliveryFailure | null;
  /** The category in Vietnamese. */
  lastErrorText: string | null;
  /** The digest a notification went out in. */
  digestId: number | null;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
}

export interface DeliveryAttemptView {
  id: number;
  deliveryId: number;
  at: string;
  channel: string;
  address: string;
  outcome: 'sent' | 'error';
  error: DeliveryFailure | null;
  errorText: string | null;
}

/**
 * The deliveries a principal may see: its registry's (coordinator, leadership), an agency's to its
 * own contacts and its own people only (a removed contact's stay with the coordinator).
 */
function visibleTo(principal: Principal): SQL | undefined {
  const registry = principal.registry !== undefined ? eq(deliveries.registry, principal.registry) : undefined;
  if (principal.role !== 'agency') return registry;
  const code = principal.agencyCode ?? '';
  return and(
    registry,
    sql`(${deliveries.contactId} in (select ${contacts.id} from ${contacts} where ${contacts.agencyCode} = ${code})
      or (${deliveries.recipient} = 'account' and ${deliveries.contactId} in (select ${users.id} from ${users} where ${users.agencyCode} = ${code})))`,
  );
}

const columns = {
  id: deliveries.id,
  kind: sql<string>`coalesce(${notifications.kind}, 'digest')`,
  notificationId: deliveries.notificationId,
  assignmentId: notifications.assignmentId,
  contactId: deliveries.contactId,
  recipient: deliveries.recipient,
  registry: deliveries.registry,
  channel: deliveries.channel,
  address: deliveries.address,
  mode: deliveries.mode,
  status: deliveries.status,
  attempts: deliveries.attempts,
  lastError: deliveries.lastError,
  digestId: deliveries.digestId,
  createdAt: deliveries.createdAt,
  sentAt: deliveries.sentAt,
  failedAt: deliveries.failedAt,
  /** The contact's agency, to tell who manages it; null for a role's contact or a removed one. */
  contactAgency: contacts.agencyCode,
};

type Row = {
  [K in keyof typeof columns]: unknown;
};

/** What `principal` is shown of an address: a webhook's whole only to those who manage its contact. */
function addressFor(
  principal: Principal,
  channel: string,
  address: string,
  contact: { registry: string; agencyCode: string | null },
): string {
  return channel === 'webhook' && !mayManage(principal, contact) ? maskWebhookAddress(address) : address;
}

function toView(r: Row, principal: Principal): DeliveryView {
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d === null ? null : String(d));
  const failure = describeDeliveryFailure((r.lastError as string | null) ?? null);
  return {
    id: Number(r.id),
    kind: String(r.kind),
    notificationId: r.notificationId === null ? null : Number(r.notificationId),
    assignmentId: (r.assignmentId as string | null) ?? null,
    contactId: String(r.contactId),
    recipient: String(r.recipient),
    registry: String(r.registry),
    channel: String(r.channel),
    address: addressFor(principal, String(r.channel), String(r.address), contactOf(r)),
    mode: String(r.mode),
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    lastError: failure?.code ?? null,
    lastErrorText: failure?.label ?? null,
    digestId: r.digestId === null ? null : Number(r.digestId),
    createdAt: iso(r.createdAt)!,
    sentAt: iso(r.sentAt),
    failedAt: iso(r.failedAt),
  };
}

function contactOf(r: Row): { registry: string; agencyCode: string | null } {
  return { registry: String(r.registry), agencyCode: (r.contactAgency as string | null) ?? null };
}

function deliveryConditions(
  principal: Principal,
  options: { status?: DeliveryStatus; assignmentId?: string; contactId?: string },
) {
  return and(
    visibleTo(principal),
    options.status ? eq(deliveries.status, options.status) : undefined,
    options.assignmentId ? eq(notifications.assignmentId, options.assignmentId) : undefined,
    options.contactId ? eq(deliveries.contactId, options.contactId) : undefined,
  );
}

/** How many deliveries the filter matches, for the page's `total`. */
export async function countDeliveries(
  db: Database,
  principal: Principal,
  options: { status?: DeliveryStatus; assignmentId?: string; contactId?: string },
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(deliveries)
    .leftJoin(notifications, eq(notifications.id, deliveries.notificationId))
    .where(deliveryConditions(principal, options));
  return Number(row?.n ?? 0);
}

/** Newest first; `limit + 1` rows so the caller knows whether more follow. */
export async function listDeliveries(
  db: Database,
  principal: Principal,
  options: { limit: number; before?: number; status?: DeliveryStatus; assignmentId?: string; contactId?: string },
): Promise<DeliveryView[]> {
  const rows = await db
    .select(columns)
    .from(deliveries)
    .leftJoin(notifications, eq(notifications.id, deliveries.notificationId))
    .leftJoin(contacts, eq(contacts.id, deliveries.contactId))
    .where(
      and(
        deliveryConditions(principal, options),
        options.before !== undefined ? lt(deliveries.id, options.before) : undefined,
      ),
    )
    .orderBy(desc(deliveries.id))
    .limit(options.limit + 1);
  return rows.map((r) => toView(r, principal));
}

/** One delivery with every attempt, oldest first. */
export async function getDelivery(
  db: Database,
  principal: Principal,
  id: number,
): Promise<DeliveryView & { attemptLog: DeliveryAttemptView[] }> {
  const [row] = await db
    .select(columns)
    .from(deliveries)
    .leftJoin(notifications, eq(notifications.id, deliveries.notificationId))
    .leftJoin(contacts, eq(contacts.id, deliveries.contactId))
    .where(and(eq(deliveries.id, id), visibleTo(principal)));
  if (!row) throw new NotFound('Không có lần gửi này.');
  const attempts = await db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, id))
    .orderBy(asc(deliveryAttempts.at), asc(deliveryAttempts.id));
  return {
    ...toView(row, principal),
    attemptLog: attempts.map((a) => {
      const failure = describeDeliveryFailure(a.error);
      return {
        id: a.id,
        deliveryId: a.deliveryId,
        at: a.at.toISOString(),
        channel: a.channel,
        address: addressFor(principal, a.channel, a.address, contactOf(row)),
        outcome: a.outcome as 'sent' | 'error',
        error: failure?.code ?? null,
        errorText: failure?.label ?? null,
      };
    }),
  };
}

/** Counts per status in the principal's view: the coordinator's "failed deliveries" at a glance. */
export async function deliveryCounts(db: Database, principal: Principal): Promise<Record<DeliveryStatus, number>> {
  const rows = await db
    .select({ status: deliveries.status, n: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(visibleTo(principal))
    .groupBy(deliveries.status);
  const counts = Object.fromEntries(deliveryStatuses.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const r of rows) counts[r.status as DeliveryStatus] = r.n;
  return counts;
}
