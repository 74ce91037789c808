import { and, inArray, isNull, or } from 'drizzle-orm';
import {
  deliveryMode,
  effectivePersonalModes,
  personalMode,
  recipientsOnce,
  type ContactPreferences,
  type DeliveryChannel,
  type RecipientCandidate,
} from '../domain/delivery-preferences.ts';
import type { Database } from '../db/client.ts';
import { contacts, users, type deliveries } from '../db/schema.ts';

// Who receives a notification outside the API: the contacts kept for its agency or role (an office
// mailbox, a webhook) and every person with an active account of that agency or role, at the
// e-mail they sign in with, each as they chose (domain/delivery-preferences.ts). One message per
// address: a person who is also a contact gets one, by their own choice. Deliveries name their
// recipient by id (`contact_id`) and kind (`recipient`).

/** A recipient as sending needs it: whether it is still there, and a webhook's secret. */
export interface Recipient {
  id: string;
  recipient: 'contact' | 'account';
  registry: string | null;
  agencyCode: string | null;
  /** The role notifications it receives; null for an agency's. */
  roles: string[] | null;
  channel: DeliveryChannel;
  address: string;
  secret: string | null;
}

/** The roles of notifications a person of an account's role receives (as GET /v1/notifications shows them). */
export function notificationRolesOf(role: string): string[] {
  if (role === 'coordinator') return ['coordinator', 'coordinator-director'];
  if (role === 'leadership') return ['leadership'];
  return [];
}

export interface UnplannedNotification {
  id: string;
  kind: string;
  recipient_agency: string | null;
  recipient_role: string | null;
  registry: string;
}

type Tx = Pick<Database, 'select'>;

/** The deliveries of notifications not yet planned: for each, every recipient once, in its mode. */
export async function plannedDeliveries(
  tx: Tx,
  rows: readonly UnplannedNotification[],
): Promise<(typeof deliveries.$inferInsert)[]> {
  const registries = [...new Set(rows.map((r) => r.registry))];
  const known = await tx.select().from(contacts).where(inArray(contacts.registry, registries));
  const people = await tx
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      agencyCode: users.agencyCode,
      registry: users.registry,
      preferences: users.preferences,
    })
    .from(users)
    // A deployment-wide account (no registry) receives its role's notifications of every registry.
    .where(and(isNull(users.disabledAt), or(inArray(users.registry, registries), isNull(users.registry))));
  const planned: (typeof deliveries.$inferInsert)[] = [];
  for (const n of rows) {
    const forContact = known.filter(
      (c) =>
        c.registry === n.registry &&
        (n.recipient_agency ? c.agencyCode === n.recipient_agency : c.role === n.recipient_role),
    );
    const forPeople = people.filter((p) =>
      n.recipient_agency
        ? p.role === 'agency' && p.agencyCode === n.recipient_agency && p.registry === n.registry
        : notificationRolesOf(p.role).includes(n.recipient_role ?? '') && (p.registry ?? n.registry) === n.registry,
    );
    const candidates: (RecipientCandidate & { registry: string })[] = [
      ...forContact.map((c) => ({
        recipient: 'contact' as const,
        id: c.id,
        registry: c.registry,
        channel: c.channel as DeliveryChannel,
        address: c.address,
        mode: deliveryMode(n.kind, c.preferences as ContactPreferences),
      })),
      ...forPeople.map((p) => ({
        recipient: 'account' as const,
        id: p.id,
        registry: n.registry,
        channel: 'email' as const,
        address: p.email,
        mode: personalMode(n.kind, p.preferences),
      })),
    ];
    for (const c of recipientsOnce(candidates)) {
      planned.push({
        key: `n:${n.id}`,
        notificationId: Number(n.id),
        contactId: c.id,
        recipient: c.recipient,
        registry: c.registry,
        channel: c.channel,
        address: c.address,
        // recipientsOnce leaves out whoever chose off.
        mode: c.mode as 'immediate' | 'digest',
        status: 'pending',
      });
    }
  }
  return planned;
}

/** The recipients of some deliveries, by recipient id: contacts that still exist, accounts still active. */
export async function recipientsOf(
  db: Tx,
  wanted: readonly Pick<typeof deliveries.$inferSelect, 'contactId' | 'recipient'>[],
): Promise<Map<string, Recipient>> {
  const contactIds = [...new Set(wanted.filter((d) => d.recipient !== 'account').map((d) => d.contactId))];
  const userIds = [...new Set(wanted.filter((d) => d.recipient === 'account').map((d) => d.contactId))];
  const found = new Map<string, Recipient>();
  if (contactIds.length > 0)
    for (const c of await db.select().from(contacts).where(inArray(contacts.id, contactIds)))
      found.set(c.id, {
        id: c.id,
        recipient: 'contact',
        registry: c.registry,
        agencyCode: c.agencyCode,
        roles: c.role ? [c.role] : null,
        channel: c.channel as DeliveryChannel,
        address: c.address,
        secret: c.secret,
      });
  if (userIds.length > 0)
    for (const p of await db
      .select()
      .from(users)
      .where(and(inArray(users.id, userIds), isNull(users.disabledAt))))
      found.set(p.id, {
        id: p.id,
        recipient: 'account',
        registry: p.registry,
        agencyCode: p.role === 'agency' ? p.agencyCode : null,
        roles: p.role === 'agency' ? null : notificationRolesOf(p.role),
        channel: 'email',
        address: p.email,
        secret: null,
      });
  return found;
}

/**
 * Whom a morning digest goes to: every contact and every active account, once per address and
 * owner. A contact whose address is an account's of the same agency (or role) in the same registry
 * is that person: the account's digest is the one.
 */
export async function digestRecipients(db: Tx): Promise<Recipient[]> {
  const kept = await db.select().from(contacts).orderBy(contacts.id);
  const people = await db.select().from(users).where(isNull(users.disabledAt)).orderBy(users.id);
  const accounts: Recipient[] = people.map((p) => ({
    id: p.id,
    recipient: 'account',
    registry: p.registry,
    agencyCode: p.role === 'agency' ? p.agencyCode : null,
    roles: p.role === 'agency' ? null : notificationRolesOf(p.role),
    channel: 'email',
    address: p.email,
    secret: null,
  }));
  const sameOwner = (c: (typeof kept)[number], a: Recipient) =>
    c.channel === 'email' &&
    c.address.trim().toLowerCase() === a.address &&
    (a.registry === null || a.registry === c.registry) &&
    (c.agencyCode ? c.agencyCode === a.agencyCode : (a.roles ?? []).includes(c.role ?? ''));
  const contactsLeft: Recipient[] = kept
    .filter((c) => !accounts.some((a) => sameOwner(c, a)))
    .map((c) => ({
      id: c.id,
      recipient: 'contact',
      registry: c.registry,
      agencyCode: c.agencyCode,
      roles: c.role ? [c.role] : null,
      channel: c.channel as DeliveryChannel,
      address: c.address,
      secret: c.secret,
    }));
  // A person who turned every kind off receives no digest either, nor does the contact that is them.
  const listening = new Set(
    people
      .filter((p) => Object.values(effectivePersonalModes(p.preferences)).some((mode) => mode !== 'off'))
      .map((p) => p.id),
  );
  return [...contactsLeft, ...accounts.filter((a) => listening.has(a.id))];
}
