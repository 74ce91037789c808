import { markdownTable } from '../bench/support/table.ts';
import type { CommandKind, SentCommand } from './load.ts';
import type { DeliveryReckoning } from './deliveries.ts';
import type { KindTally, Reckoning, RowCheck } from './reckoning.ts';

/** One fault of the run. */
export interface Fault {
  name: string;
  what: string;
  startedAt: number;
  /** When the part was back (serving, polling, accepting connections). */
  backAt?: number;
  note?: string;
}

const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(1) : '—');

/** Each fault: when, how long the part was away, and what the commands sent meanwhile went through. */
export function faultTable(faults: Fault[], loadFrom: number, sent: SentCommand[]): string {
  return markdownTable([
    [
      'fault',
      'what',
      'at (s into the load)',
      'back after (s)',
      'commands sent while away',
      'of them retried',
      'slowest answer (s)',
    ],
    ...faults.map((f) => {
      const end = f.backAt ?? Number.POSITIVE_INFINITY;
      const during = sent.filter((c) => c.firstSentAt >= f.startedAt && c.firstSentAt <= end);
      const slowest = Math.max(
        0,
        ...during.map((c) => (c.answeredAt ?? Number.NaN) - c.firstSentAt).filter(Number.isFinite),
      );
      return [
        f.name,
        f.what + (f.note ? ` (${f.note})` : ''),
        s(f.startedAt - loadFrom),
        f.backAt ? s(f.backAt - f.startedAt) : 'not back',
        during.length,
        during.filter((c) => c.unknown > 0).length,
        during.length > 0 ? s(slowest) : '—',
      ];
    }),
  ]);
}

export function kindTable(kinds: Record<CommandKind, KindTally>): string {
  const entries = Object.entries(kinds) as [CommandKind, KindTally][];
  const total = (f: (k: KindTally) => number) => entries.reduce((sum, [, k]) => sum + f(k), 0);
  const row = (label: string, k: (t: KindTally) => number) => [label, ...entries.map(([, t]) => k(t)), total(k)];
  return markdownTable([
    ['', ...entries.map(([kind]) => kind), 'all'],
    row('sent', (t) => t.sent),
    row('answered 2xx at once', (t) => t.answered),
    row('answered 2xx after retries', (t) => t.answeredAfterRetry),
    row('refused (4xx) at once', (t) => t.refused),
    row('refused after retries (already done)', (t) => t.refusedAfterRetry),
    row('never answered', (t) => t.unanswered),
    row('applied, per the workflow histories', (t) => t.appliedInHistory),
    row('applied though its answer was lost', (t) => t.appliedUnanswered),
    row('**lost** (answered, not in the workflow)', (t) => t.lost),
    row('**doubled** (in the workflow twice)', (t) => t.doubled),
  ]);
}

const line = (what: string, c: RowCheck) => [what, c.expected, c.found, c.missing, c.extra];

export function readModelTable(r: Reckoning): string {
  const rows: (string | number)[][] = [
    ['what', 'the workflows imply', 'in PostgreSQL', 'missing', 'extra'],
    [
      'assignment projections at the workflow’s version and status',
      r.assignments,
      r.assignments - r.projectionsBehind,
      r.projectionsBehind,
      0,
    ],
    ['audit entries (at least one per version of every workflow)', 'all', '', r.auditMissing, '—'],
    ...(r.commandRecords
      ? [
          [
            'audit entries of the applied Updates, by Update id',
            r.commandRecords.applied,
            r.commandRecords.audited,
            r.commandRecords.missing,
            r.commandRecords.phantomAudit,
          ],
          [
            'notices keyed by an Update no history applied',
            0,
            r.commandRecords.phantomNotices,
            0,
            r.commandRecords.phantomNotices,
          ],
        ]
      : []),
    ...Object.entries(r.notifications).map(([kind, c]) => line(`notifications “${kind}”`, c)),
    line('Q1 filings marked late', r.lateFilings),
    line('escalations, level 1', r.escalations),
  ];
  return markdownTable(rows);
}

/** What was sent against what the SMTP server and the webhook receivers got. */
export function deliveryTable(d: DeliveryReckoning): string {
  return markdownTable([
    ['', 'count'],
    ['notices to send at once × their contacts', d.immediateExpected],
    ['of them with one `sent` delivery', d.immediateSent],
    ['deliveries `sent` (digests included)', d.sent],
    ['e-mails received (distinct Message-IDs)', `${d.received.mail} (${d.distinct.mail})`],
    ['webhooks received (distinct webhook-ids)', `${d.received.hooks} (${d.distinct.hooks})`],
    ['**duplicates** (a copy beyond the first)', d.duplicates.mail + d.duplicates.hooks],
    ['of them in a fault’s crash window', d.duplicates.inCrashWindow],
    ['**lost** (sent, not received)', d.lost],
    ['received, not recorded as sent', d.unrecorded],
    ['webhooks whose signature failed', d.unverified],
  ]);
}
