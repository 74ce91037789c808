import { addContact } from '../../services/contacts.ts';
import { Milestones, pollUntil } from '../support/poll.ts';
import { ProcessMeter, type PartUsage } from '../support/process-meter.ts';
import { count, seconds } from '../support/table.ts';
import { ceiling as nodemailerAlone, type Sink } from './delivery-mail.ts';
import type { NationalTarget } from './national-target.ts';

// The shared instant: Friday 20 March 2026, 08:00, plan time, for every assignment of the country —
// the Q1 report's late mark and the level-1 escalation of work due the day before — and the e-mails
// they make, one per notice to each lead agency's contact, accepted by a local SMTP server.

const TIMEOUT_MS = 60 * 60_000;
/** At most this many messages for nodemailer's own rate (the rate, not the count, is compared). */
const MAIL_CEILING_MESSAGES = 10_000;

export interface MailCeiling {
  messages: number;
  /** e-mails/s of the best pool size, and every size tried (connections → seconds). */
  rate: number;
  tries: [number, number][];
}

/** nodemailer alone, sending to the same SMTP server before the cluster's workers mail anything. */
export async function mailCeiling(sink: Sink, n: number, log: (m: string) => void): Promise<MailCeiling> {
  const messages = Math.min(n, MAIL_CEILING_MESSAGES);
  const tries: [number, number][] = [];
  for (const pool of [1, 5, 10, 20]) {
    const ms = await nodemailerAlone(sink, messages, pool);
    if (sink.unique() !== messages) throw new Error(`mail ceiling: ${sink.unique()} of ${messages} accepted`);
    tries.push([pool, ms / 1000]);
    log(`mail ceiling: nodemailer alone, pool of ${pool}: ${messages} e-mails in ${seconds(ms / 1000)} s`);
  }
  sink.reset();
  const best = Math.min(...tries.map(([, s]) => s));
  return { messages, rate: messages / best, tries };
}

/** One e-mail contact for each lead agency of each province, as its coordinator would add them. */
export async function addLeadContacts(c: NationalTarget): Promise<number> {
  const { rows } = await c.database.pool.query<{ agency_code: string; registry: string }>(
    'select distinct a.agency_code, p.registry from assignments a join plans p on p.id = a.plan_id order by 2, 1',
  );
  for (const r of rows)
    await addContact(
      c.database.db,
      {
        principal: { role: 'coordinator', name: 'bench', tokenId: 'bench' },
        actor: { role: 'coordinator', name: 'bench' },
      },
      {
        registry: r.registry,
        agency: r.agency_code,
        channel: 'email',
        address: `vanthu@${r.agency_code.toLowerCase()}.${r.registry}.example.gov.vn`,
      },
    );
  return rows.length;
}

export interface InstantFigures {
  assignments: number;
  /** Seconds after the instant: half, 90 % and all of the late marks and escalations written. */
  half: number;
  ninety: number;
  recorded: number;
  /** …and every notification of both kinds. */
  notified: number;
  emails: number;
  emailsTwice: number;
  firstEmail: number;
  lastEmail: number;
  /** e-mails/s from the instant to the last one accepted. */
  emailRate: number;
  /** e-mails/s from the first accepted to the last: the sending itself, as nodemailer's rate is measured. */
  sendRate: number;
  cpu: PartUsage;
  /** Workflows open in the namespace at the instant. */
  openWorkflows: number;
}

const countOf = async (c: NationalTarget, sql: string) => (await c.database.pool.query<{ n: number }>(sql)).rows[0]!.n;

/** From `instant` (epoch ms, slept to): marks, escalations, notifications, then the e-mails. */
export async function measureInstant(
  c: NationalTarget,
  sink: Sink,
  options: { instant: number; assignments: number; log: (m: string) => void },
): Promise<InstantFigures> {
  const n = options.assignments;
  const openWorkflows = (await c.client.workflow.count('ExecutionStatus = "Running"')).count;
  const wait = options.instant - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const before = c.meter.snapshot();
  sink.reset();
  const t = performance.now() - (Date.now() - options.instant);
  const since = () => (performance.now() - t) / 1000;
  const recordedMilestones = new Milestones(2 * n);
  let recorded = Number.NaN;
  await pollUntil({
    probe: async () => ({
      marks: await countOf(c, "select count(*)::int as n from audit_log where action = 'report-late'"),
      escalations: await countOf(c, 'select count(*)::int as n from escalations where level = 1'),
      notices: await countOf(
        c,
        "select count(*)::int as n from notifications where kind in ('report-late', 'escalation')",
      ),
    }),
    // Each mark and each escalation notifies the lead and the coordinator.
    done: (k) => k.marks >= n && k.escalations >= n && k.notices >= 4 * n,
    onValue: (k) => {
      recordedMilestones.note(Math.min(k.marks, n) + Math.min(k.escalations, n), since());
      if (Number.isNaN(recorded) && k.marks >= n && k.escalations >= n) recorded = since();
    },
    intervalMs: 250,
    timeoutMs: TIMEOUT_MS,
    what: 'every late mark, escalation and notification',
  });
  const notified = since();
  options.log(
    `instant: marks and escalations all written ${seconds(recorded)} s after it, notices ${seconds(notified)} s`,
  );

  // The e-mails: every planned one sent and accepted (the lead's contact; the coordinator has none here).
  const emails = await pollUntil({
    probe: async () => {
      const { rows } = await c.database.pool.query<{ planned: number; open: number }>(
        `select count(*)::int as planned, count(*) filter (where status <> 'sent')::int as open
           from deliveries where channel = 'email' and mode = 'immediate'`,
      );
      return { ...rows[0]!, accepted: sink.unique() };
    },
    done: (k) => k.planned >= 2 * n && k.open === 0 && k.accepted >= k.planned,
    intervalMs: 500,
    timeoutMs: TIMEOUT_MS,
    what: 'every e-mail sent and accepted',
  });
  const cpu = ProcessMeter.between(before, c.meter.snapshot());
  const firstEmail = (sink.firstAt()! - t) / 1000;
  const lastEmail = (sink.lastAt()! - t) / 1000;
  options.log(`instant: ${count(emails.accepted)} e-mails accepted, the last ${seconds(lastEmail)} s after it`);
  return {
    assignments: n,
    half: recordedMilestones.at(0.5),
    ninety: recordedMilestones.at(0.9),
    recorded,
    notified,
    emails: emails.accepted,
    emailsTwice: sink.accepted() - sink.unique(),
    firstEmail,
    lastEmail,
    emailRate: emails.accepted / lastEmail,
    sendRate: emails.accepted / (lastEmail - firstEmail),
    cpu,
    openWorkflows,
  };
}
