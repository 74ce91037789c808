import type pg from 'pg';
import { deliveryMode, type ContactPreferences } from '../domain/delivery-preferences.ts';
import { postJson, type RunningApi } from '../bench/support/api.ts';
// The delivery tests' receivers: a real SMTP server and a webhook receiver that verifies signatures,
// both keeping every message they accept, repeats included.
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../test/support/receivers.ts';
import type { Fault } from './report.ts';

// The chaos run's receivers and what it counts of delivery. Only the `deliveries` and
// `delivery_attempts` tables and what the receivers got are read: how the worker batches or
// schedules its sends does not matter, only that each delivery is one message with one identity
// (Message-ID, webhook-id) on every attempt.

const REGISTRY = 'vinh-phuc';
/** Contributions come every half second through every fault: they go out at once, not in the digest. */
const PREFERENCES: ContactPreferences = { contribution: 'immediate' };
/**
 * A message can go out twice only when its send was accepted and the worker (or the database) went
 * away before the `sent` record: a repeat is in that window when its first copy arrived at most this
 * long before a fault began, or during it. The send's own timeout (30 s) bounds how long before.
 */
const CRASH_WINDOW_BEFORE_MS = 30_000;

export interface Receivers {
  mail: SmtpReceiver;
  /** A webhook receiver per owner (an agency's code, `coordinator`), so each counts its own. */
  hooks: Map<string, WebhookReceiver>;
  close(): Promise<void>;
}

/** The SMTP server, before the worker starts; webhook receivers come with the contacts. */
export async function startReceivers(): Promise<Receivers> {
  const mail = await startSmtpReceiver();
  const hooks = new Map<string, WebhookReceiver>();
  return {
    mail,
    hooks,
    close: async () => {
      await mail.close();
      for (const receiver of hooks.values()) await receiver.close();
    },
  };
}

interface ChaosContact {
  id: string;
  /** An agency's code, or `coordinator`. */
  owner: string;
  channel: 'email' | 'webhook';
  /** The e-mail address, or the webhook's URL. */
  address: string;
}

/**
 * Every lead agency and the coordinator get an e-mail address and a webhook, through the API as
 * people add them: before the load starts, so every notification of the run has its deliveries (the
 * import itself notifies no one).
 */
export async function addContacts(api: RunningApi, agencies: string[], receivers: Receivers): Promise<ChaosContact[]> {
  const added: ChaosContact[] = [];
  for (const owner of [...agencies, 'coordinator']) {
    const hooks = await startWebhookReceiver();
    receivers.hooks.set(owner, hooks);
    const who = owner === 'coordinator' ? { role: 'coordinator' } : { agency: owner };
    const slug = owner.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    for (const channel of ['email', 'webhook'] as const) {
      const address = channel === 'email' ? `${slug}@chaos.example.vn` : `${hooks.url}/${slug}`;
      const answer = await postJson(api, '/v1/contacts', {
        registry: REGISTRY,
        ...who,
        channel,
        address,
        name: `chaos ${owner} ${channel}`,
        preferences: PREFERENCES,
      });
      if (answer.status !== 201)
        throw new Error(`POST /v1/contacts answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
      const body = answer.body as { contact: { id: string; address: string }; secret?: string };
      if (channel === 'webhook') hooks.secrets.set(`/${slug}`, body.secret!);
      added.push({ id: body.contact.id, owner, channel, address: body.contact.address });
    }
  }
  return added;
}

export interface DeliveryReckoning {
  /** (notification, contact) pairs that go out at once by the contact's choices. */
  immediateExpected: number;
  /** Of them, with exactly one `sent` delivery. */
  immediateSent: number;
  /** With no delivery row at all. */
  immediateUnplanned: number;
  /** With a delivery not (yet) sent: pending, failed, dropped. */
  immediateNotSent: Record<string, number>;
  /** With two or more delivery rows for the same contact. */
  immediateDoubled: number;
  /** Pairs waiting for the digest (contribution notices are immediate for the run's contacts). */
  digestWaiting: number;
  /** Every `sent` delivery of the run's contacts, digests included. */
  sent: number;
  /** `sent` deliveries with more than one `sent` attempt recorded. */
  sentTwiceRecorded: number;
  /** Failed attempts recorded (retried). */
  attemptErrors: number;
  received: { mail: number; hooks: number };
  /** Distinct Message-IDs / webhook-ids received. */
  distinct: { mail: number; hooks: number };
  /** Copies beyond the first, and of them those whose first copy arrived in a fault's window. */
  duplicates: { mail: number; hooks: number; inCrashWindow: number };
  /** `sent` deliveries of a contact beyond the distinct messages its receiver got. */
  lost: number;
  /** Distinct messages a contact's receiver got beyond its `sent` deliveries (a send not yet recorded). */
  unrecorded: number;
  /** Webhooks whose signature did not verify with the contact's secret. */
  unverified: number;
  examples: string[];
}

/** Everything that should have gone out went out once, and every receiver got each message. */
export function deliveriesSettled(d: DeliveryReckoning): boolean {
  return d.immediateSent === d.immediateExpected && d.lost === 0 && d.unrecorded === 0;
}

/** Ids received more than once, with the time the first copy arrived. */
function repeats(items: { id: string; at: number }[]): { copies: number; firstAt: number }[] {
  const byId = new Map<string, { copies: number; firstAt: number }>();
  for (const { id, at } of items) {
    const seen = byId.get(id);
    if (seen) seen.copies += 1;
    else byId.set(id, { copies: 1, firstAt: at });
  }
  return [...byId.values()].filter((r) => r.copies > 1);
}

export async function reckonDeliveries(options: {
  pool: pg.Pool;
  planId: string;
  contacts: ChaosContact[];
  receivers: Receivers;
  faults: Fault[];
}): Promise<DeliveryReckoning> {
  const { pool, contacts, receivers } = options;
  const examples: string[] = [];
  const note = (text: string) => {
    if (examples.length < 10) examples.push(text);
  };
  const contactIds = contacts.map((c) => c.id);
  const allHooks = [...receivers.hooks.values()].flatMap((r) => r.received);

  // Each notification of the plan, with its recipient, against every delivery of it to each contact.
  const { rows: notices } = await pool.query<{
    id: string;
    kind: string;
    agency: string | null;
    role: string | null;
    planned: Date | null;
  }>(
    `select n.id, n.kind, n.recipient_agency as agency, n.recipient_role as role, n.planned_at as planned
       from notifications n join assignments a on a.id = n.assignment_id
      where a.plan_id = $1`,
    [options.planId],
  );
  // A notice planned before a contact existed (the import's 'assigned' notices, when the worker
  // planned them before the contacts were added) was never owed to it.
  const { rows: added } = await pool.query<{ id: string; created: Date }>(
    'select id, created_at as created from contacts where id = any($1)',
    [contactIds],
  );
  const addedAt = new Map(added.map((r) => [r.id, r.created.getTime()]));
  const { rows: rows } = await pool.query<{ notification: string; contact: string; statuses: string[] }>(
    `select notification_id as notification, contact_id as contact, array_agg(status) as statuses
       from deliveries where notification_id is not null and contact_id = any($1) group by 1, 2`,
    [contactIds],
  );
  const deliveriesOf = new Map(rows.map((r) => [`${r.notification}|${r.contact}`, r.statuses]));
  const reckoning: DeliveryReckoning = {
    immediateExpected: 0,
    immediateSent: 0,
    immediateUnplanned: 0,
    immediateNotSent: {},
    immediateDoubled: 0,
    digestWaiting: 0,
    sent: 0,
    sentTwiceRecorded: 0,
    attemptErrors: 0,
    received: { mail: receivers.mail.received.length, hooks: allHooks.length },
    distinct: { mail: 0, hooks: 0 },
    duplicates: { mail: 0, hooks: 0, inCrashWindow: 0 },
    lost: 0,
    unrecorded: 0,
    unverified: allHooks.filter((h) => !h.verified).length,
    examples,
  };
  for (const n of notices) {
    const owner = n.agency ?? n.role;
    for (const c of contacts.filter((c) => c.owner === owner)) {
      if (n.planned && n.planned.getTime() < (addedAt.get(c.id) ?? 0)) continue;
      const statuses = deliveriesOf.get(`${n.id}|${c.id}`) ?? [];
      if (deliveryMode(n.kind, PREFERENCES) === 'digest') {
        reckoning.digestWaiting += 1;
        continue;
      }
      reckoning.immediateExpected += 1;
      if (statuses.length === 0) reckoning.immediateUnplanned += 1;
      else if (statuses.length > 1) {
        reckoning.immediateDoubled += 1;
        note(`notification ${n.id} (${n.kind}) to ${c.owner} by ${c.channel}: ${statuses.length} deliveries`);
      } else if (statuses[0] === 'sent') reckoning.immediateSent += 1;
      else reckoning.immediateNotSent[statuses[0]!] = (reckoning.immediateNotSent[statuses[0]!] ?? 0) + 1;
    }
  }

  // Sent deliveries per contact (digests included), and their attempts.
  const { rows: perContact } = await pool.query<{ contact: string; sent: number; twice: number; errors: number }>(
    `select d.contact_id as contact,
            count(*) filter (where d.status = 'sent')::int as sent,
            count(*) filter (where (select count(*) from delivery_attempts t
                                     where t.delivery_id = d.id and t.outcome = 'sent') > 1)::int as twice,
            coalesce(sum((select count(*) from delivery_attempts t
                           where t.delivery_id = d.id and t.outcome <> 'sent')), 0)::int as errors
       from deliveries d where d.contact_id = any($1) group by 1`,
    [contactIds],
  );
  const sentOf = new Map(perContact.map((r) => [r.contact, r.sent]));
  for (const r of perContact) {
    reckoning.sent += r.sent;
    reckoning.sentTwiceRecorded += r.twice;
    reckoning.attemptErrors += r.errors;
  }

  // What each contact's receiver got, against its sent deliveries.
  const mailTo = (address: string) => receivers.mail.received.filter((m) => m.to.includes(address));
  for (const c of contacts) {
    const got =
      c.channel === 'email'
        ? mailTo(c.address).map((m) => ({ id: m.messageId, at: m.at }))
        : receivers.hooks.get(c.owner)!.received.map((h) => ({ id: h.id, at: h.at }));
    const distinct = new Set(got.map((g) => g.id)).size;
    const sent = sentOf.get(c.id) ?? 0;
    reckoning.distinct[c.channel === 'email' ? 'mail' : 'hooks'] += distinct;
    if (sent > distinct) {
      reckoning.lost += sent - distinct;
      note(`${c.owner} by ${c.channel}: ${sent} deliveries sent, ${distinct} distinct messages received`);
    }
    if (distinct > sent) reckoning.unrecorded += distinct - sent;
    for (const r of repeats(got)) {
      reckoning.duplicates[c.channel === 'email' ? 'mail' : 'hooks'] += r.copies - 1;
      const inWindow = options.faults.some(
        (f) => r.firstAt >= f.startedAt - CRASH_WINDOW_BEFORE_MS && r.firstAt <= (f.backAt ?? Infinity),
      );
      if (inWindow) reckoning.duplicates.inCrashWindow += r.copies - 1;
      else note(`${c.owner} by ${c.channel}: a message received ${r.copies} times, outside any fault's window`);
    }
  }
  return reckoning;
}
