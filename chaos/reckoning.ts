import type { Client } from '@temporalio/client';
import type pg from 'pg';
import type { AssignmentView } from '../domain/assignment-view.ts';
import type { SimulatedClock } from '../domain/clock.ts';
import { assignmentQuery, planReportsWorkflowId } from '../workflows/messages.ts';
import type { CommandKind, SentCommand } from './load.ts';

// What should exist after the chaos run, read from the workflows (their query, which replays
// their history, and the history itself), against what the read model in PostgreSQL holds.

/** The Update name of each kind of command the load sends (workflows/messages.ts). */
const UPDATE_OF: Record<CommandKind, string> = {
  acknowledge: 'acknowledge',
  report: 'fileReport',
  deliverable: 'submitDeliverable',
  contribution: 'addContribution',
};

export interface KindTally {
  sent: number;
  /** 2xx, at the first attempt or after retries. */
  answered: number;
  answeredAfterRetry: number;
  refused: number;
  /** Refused after attempts that got no answer: typically "already done" because one of them was applied. */
  refusedAfterRetry: number;
  unanswered: number;
  /** Applied Updates of this kind in the workflows' histories. */
  appliedInHistory: number;
  /** Answered 2xx, but the effect is not in the workflow's state. */
  lost: number;
  /** The effect is in the state more than once (a retried command applied twice). */
  doubled: number;
  /** Applied though the client never saw a 2xx for it (its answer was lost). */
  appliedUnanswered: number;
}

export interface RowCheck {
  expected: number;
  found: number;
  missing: number;
  extra: number;
}

export interface Reckoning {
  assignments: number;
  /** When the plan's Q1 late mark (markReports) completed, per its workflow's history; undefined before. */
  lateMarkAt?: number;
  /** Read-model rows whose version or status differs from the workflow's. */
  projectionsBehind: number;
  /** Versions of the workflows without an audit entry in PostgreSQL (fewer entries than versions). */
  auditMissing: number;
  /**
   * With the histories read: each applied Update's audit entry and notices, by its id (the
   * records of a change are keyed by the change, workflows/assignment-run.ts ROWS_KEYED_BY_CHANGE).
   * `phantom`: records keyed by an Update no history applied (a change made by a task that never
   * completed, and never made again).
   */
  commandRecords?: { applied: number; audited: number; missing: number; phantomAudit: number; phantomNotices: number };
  notifications: Record<string, RowCheck>;
  /** Q1 filings marked late, against the workflows' late periods. */
  lateFilings: RowCheck;
  /** Level-1 escalations, against the workflows' escalation levels. */
  escalations: RowCheck;
  /** Notification rows of kinds the run does not predict (listed, not judged). */
  otherNotifications: Record<string, number>;
  kinds?: Record<CommandKind, KindTally>;
  /** A few examples of what differs, for the report. */
  examples: string[];
}

/** Everything that should exist exists, and nothing more. */
export function caughtUp(r: Reckoning): boolean {
  const rows = [...Object.values(r.notifications), r.lateFilings, r.escalations];
  return (
    r.lateMarkAt !== undefined &&
    r.projectionsBehind === 0 &&
    r.auditMissing === 0 &&
    rows.every((c) => c.missing === 0 && c.extra === 0)
  );
}

function check(expected: number, found: number): RowCheck {
  return {
    expected,
    found,
    missing: Math.max(0, expected - found),
    extra: Math.max(0, found - expected),
  };
}

/** When the plan's markReports for the Q1 report-due event completed (server time), if it has. */
async function lateMarkAt(client: Client, planId: string): Promise<number | undefined> {
  const history = await client.workflow.getHandle(planReportsWorkflowId(planId)).fetchHistory();
  const q1 = new Set<string>();
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'markReports') {
      const data = scheduled.input?.payloads?.[0]?.data;
      const input = data
        ? (JSON.parse(Buffer.from(data).toString()) as { event?: { kind?: string; period?: string } })
        : {};
      if (input.event?.kind === 'report-due' && input.event.period === '2026-Q1') q1.add(String(e.eventId));
    }
    const completed = e.activityTaskCompletedEventAttributes;
    if (completed && q1.has(String(completed.scheduledEventId))) {
      const t = e.eventTime;
      return Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
    }
  }
  return undefined;
}

async function views(client: Client, ids: string[]): Promise<Map<string, AssignmentView>> {
  const result = new Map<string, AssignmentView>();
  // A few at a time: the worker answers queries between its other tasks.
  for (let i = 0; i < ids.length; i += 20) {
    const batch = ids.slice(i, i + 20);
    // As of now: the plan's late marks and shared escalations do not wake a workflow, so its own
    // clock stands still at its last task; the query given an instant counts what came since.
    const at = Date.now();
    const answers = await Promise.all(batch.map((id) => client.workflow.getHandle(id).query(assignmentQuery, { at })));
    batch.forEach((id, n) => result.set(id, answers[n]!));
  }
  return result;
}

/** Applied Updates per name in one workflow's history: accepted, and completed without a failure. */
async function appliedUpdates(client: Client, id: string, ids: Set<string>): Promise<Map<string, number>> {
  const history = await client.workflow.getHandle(id).fetchHistory();
  const nameOf = new Map<string, string>();
  const applied = new Map<string, number>();
  for (const e of history.events ?? []) {
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const updateId = accepted.acceptedRequest?.meta?.updateId ?? '';
      nameOf.set(updateId, accepted.acceptedRequest?.input?.name ?? '?');
    }
    const completed = e.workflowExecutionUpdateCompletedEventAttributes;
    if (completed && completed.outcome?.success) {
      const name = nameOf.get(completed.meta?.updateId ?? '') ?? '?';
      applied.set(name, (applied.get(name) ?? 0) + 1);
      ids.add(completed.meta?.updateId ?? '');
    }
  }
  return applied;
}

/** How many times a command's effect is in the workflow's state. */
function effects(command: SentCommand, view: AssignmentView): number {
  switch (command.kind) {
    case 'acknowledge':
      return view.acknowledgedAt ? 1 : 0;
    case 'report':
      return view.reports.filter((r) => r.period === command.mark).length;
    case 'deliverable':
      return view.submissions.filter((s) => s.documentNumber === command.body.documentNumber).length;
    case 'contribution':
      return view.contributions.filter((c) => c.text === command.mark).length;
  }
}

/**
 * Where a contribution notice has no contribution in its workflow: the notices' keys (which carry
 * the version that wrote them) beside the audit trail's actions per version.
 */
async function explainExtraContributions(
  client: Client,
  pool: pg.Pool,
  byId: Map<string, AssignmentView>,
  note: (text: string) => void,
): Promise<void> {
  const { rows } = await pool.query<{ id: string; keys: string[] }>(
    `select assignment_id as id, array_agg(dedupe_key order by id) as keys from notifications
      where kind = 'contribution' and assignment_id = any($1) group by 1`,
    [[...byId.keys()]],
  );
  for (const row of rows) {
    const view = byId.get(row.id)!;
    if (row.keys.length <= view.contributions.length) continue;
    const { rows: audit } = await pool.query<{ key: string; action: string }>(
      `select dedupe_key as key, action from audit_log where entity_type = 'assignment' and entity_id = $1 order by at, id`,
      [row.id],
    );
    // The version each applied Update answered with, from the history: which change each version is.
    const history = await client.workflow.getHandle(row.id).fetchHistory();
    const names = new Map<string, string>();
    const updates: string[] = [];
    for (const e of history.events ?? []) {
      const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
      if (accepted)
        names.set(accepted.acceptedRequest?.meta?.updateId ?? '', accepted.acceptedRequest?.input?.name ?? '?');
      const completed = e.workflowExecutionUpdateCompletedEventAttributes;
      const data = completed?.outcome?.success?.payloads?.[0]?.data;
      if (completed && data) {
        const answer = JSON.parse(Buffer.from(data).toString()) as { version?: number };
        updates.push(`v${answer.version} ${names.get(completed.meta?.updateId ?? '') ?? '?'}`);
      }
    }
    note(
      `${row.id}: history's updates: ${updates.join(', ')}; ` +
        `${view.contributions.length} contributions in the workflow (v${view.version}), ` +
        `${row.keys.length} contribution notices: ${row.keys.map((k) => k.replace(`${row.id}:`, '')).join(', ')}; ` +
        `audit: ${audit.map((a) => `${a.key.replace(`assignment:${row.id}:`, '')} ${a.action}`).join(', ')}`,
    );
  }
}

export async function reckon(options: {
  client: Client;
  pool: pg.Pool;
  planId: string;
  clock: SimulatedClock;
  assignmentIds: string[];
  /** With the commands sent, every command is judged and the histories are read (slower). */
  sent?: SentCommand[];
}): Promise<Reckoning> {
  const { client, pool, assignmentIds: ids } = options;
  const markAt = await lateMarkAt(client, options.planId);
  const byId = await views(client, ids);
  const examples: string[] = [];
  const note = (text: string) => {
    if (examples.length < 10) examples.push(text);
  };

  const { rows: projected } = await pool.query<{ id: string; version: string; status: string }>(
    'select id, version, status from assignments where id = any($1)',
    [ids],
  );
  const rowOf = new Map(projected.map((r) => [r.id, r]));
  let projectionsBehind = 0;
  for (const [id, view] of byId) {
    const row = rowOf.get(id);
    if (!row || Number(row.version) !== view.version || row.status !== view.status) {
      projectionsBehind += 1;
      note(
        `${id}: workflow v${view.version} ${view.status}, read model ${row ? `v${row.version} ${row.status}` : 'no row'}`,
      );
    }
  }

  // Every change of a workflow has its audit entry: the assignment (version 1), each command and
  // each timer it fired; the plan's late marks add entries the workflow takes in without a version,
  // and a shared escalation may be there before its workflow takes it in. So at least one entry
  // per version; the final count below matches the commands one by one.
  const { rows: audited } = await pool.query<{ id: string; n: number }>(
    `select entity_id as id, count(*)::int as n from audit_log
      where entity_type = 'assignment' and entity_id = any($1) and action not in ('report-late', 'report-reminder')
      group by 1`,
    [ids],
  );
  const auditedOf = new Map(audited.map((r) => [r.id, r.n]));
  let auditMissing = 0;
  for (const [id, view] of byId) {
    const short = view.version - (auditedOf.get(id) ?? 0);
    if (short > 0) {
      auditMissing += short;
      note(`${id}: ${auditedOf.get(id) ?? 0} audit entries for ${view.version} versions`);
    }
  }

  // Notifications each workflow's state implies, by kind.
  const expected: Record<string, number> = { contribution: 0, submitted: 0, 'report-late': 0, escalation: 0 };
  let lateExpected = 0;
  let escalationsExpected = 0;
  for (const view of byId.values()) {
    expected.contribution! += view.contributions.length;
    expected.submitted! += view.submissions.length;
    if (view.latePeriods.includes('2026-Q1')) {
      lateExpected += 1;
      // The lead agency and the coordinator are told: a report filed after the instant waited for
      // the mark, which found it still owed (docs/ARCHITECTURE.md, "One owner of a shared instant").
      expected['report-late']! += 2;
    }
    if (view.escalationLevel >= 1) {
      expected.escalation! += 2; // level 1: the lead agency and the coordinator
      escalationsExpected += 1;
    }
  }
  const { rows: counted } = await pool.query<{ kind: string; n: number }>(
    `select kind, count(*)::int as n from notifications where assignment_id = any($1)
      and (kind <> 'escalation' or level = 1) and (kind <> 'report-late' or period = '2026-Q1') group by kind`,
    [ids],
  );
  const found = new Map(counted.map((r) => [r.kind, r.n]));
  const notifications: Record<string, RowCheck> = {};
  for (const [kind, n] of Object.entries(expected)) notifications[kind] = check(n, found.get(kind) ?? 0);
  const otherNotifications = Object.fromEntries([...found].filter(([kind]) => !(kind in expected)));
  if (notifications.contribution!.extra > 0) await explainExtraContributions(client, pool, byId, note);

  const {
    rows: [late],
  } = await pool.query<{ n: number }>(
    `select count(*)::int as n from report_filings where assignment_id = any($1) and period = '2026-Q1' and late`,
    [ids],
  );
  const {
    rows: [escalated],
  } = await pool.query<{ n: number }>(
    'select count(*)::int as n from escalations where assignment_id = any($1) and level = 1',
    [ids],
  );

  const reckoning: Reckoning = {
    assignments: byId.size,
    lateMarkAt: markAt,
    projectionsBehind,
    auditMissing,
    notifications,
    lateFilings: check(lateExpected, late!.n),
    escalations: check(escalationsExpected, escalated!.n),
    otherNotifications,
    examples,
  };
  if (!options.sent) return reckoning;

  const kinds = Object.fromEntries(
    (Object.keys(UPDATE_OF) as CommandKind[]).map((kind) => [
      kind,
      {
        sent: 0,
        answered: 0,
        answeredAfterRetry: 0,
        refused: 0,
        refusedAfterRetry: 0,
        unanswered: 0,
        appliedInHistory: 0,
        lost: 0,
        doubled: 0,
        appliedUnanswered: 0,
      },
    ]),
  ) as Record<CommandKind, KindTally>;
  const records = { applied: 0, audited: 0, missing: 0, phantomAudit: 0, phantomNotices: 0 };
  for (const id of ids) {
    const updateIds = new Set<string>();
    const applied = await appliedUpdates(client, id, updateIds);
    for (const kind of Object.keys(UPDATE_OF) as CommandKind[])
      kinds[kind].appliedInHistory += applied.get(UPDATE_OF[kind]) ?? 0;
    // Keys `assignment:<id>:u:<run>:<update id>` (audit) and `<id>:u:<run>:<update id>:<kind>:<recipient>`.
    const { rows: keyed } = await pool.query<{ table: string; key: string }>(
      `select 'audit' as table, dedupe_key as key from audit_log where entity_type = 'assignment' and entity_id = $1
          and dedupe_key like $2
       union all
       select 'notice', dedupe_key from notifications where assignment_id = $1 and dedupe_key like $3`,
      [id, `assignment:${id}:u:%`, `${id}:u:%`],
    );
    const updateOf = (key: string, prefix: string) => {
      const rest = key.slice(prefix.length); // <run>:<update id>[:<kind>:<recipient>]
      return rest.slice(rest.indexOf(':') + 1);
    };
    const audited = new Set(
      keyed.filter((k) => k.table === 'audit').map((k) => updateOf(k.key, `assignment:${id}:u:`)),
    );
    records.applied += updateIds.size;
    for (const u of updateIds) {
      if (audited.has(u)) records.audited += 1;
      else {
        records.missing += 1;
        note(`${id}: no audit entry for update ${u}`);
      }
    }
    for (const u of audited)
      if (!updateIds.has(u)) {
        records.phantomAudit += 1;
        note(`${id}: an audit entry for update ${u}, which the history did not apply`);
      }
    for (const k of keyed.filter((k) => k.table === 'notice')) {
      const u = updateOf(k.key, `${id}:u:`);
      if (![...updateIds].some((applied) => u.startsWith(`${applied}:`))) {
        records.phantomNotices += 1;
        note(`${id}: notice ${k.key} for an update the history did not apply`);
      }
    }
  }
  reckoning.commandRecords = records;
  for (const command of options.sent) {
    const t = kinds[command.kind];
    t.sent += 1;
    if (command.outcome === 'answered') t.answered += 1;
    if (command.outcome === 'answered-after-retry') t.answeredAfterRetry += 1;
    if (command.outcome === 'refused') t.refused += 1;
    if (command.outcome === 'refused-after-retry') t.refusedAfterRetry += 1;
    if (command.outcome === 'unanswered') t.unanswered += 1;
    const view = byId.get(command.assignmentId);
    if (!view) continue;
    const n = effects(command, view);
    const ok = command.outcome === 'answered' || command.outcome === 'answered-after-retry';
    if (ok && n === 0) {
      t.lost += 1;
      note(
        `${command.kind} ${command.requestId} on ${command.assignmentId}: answered ${command.status}, not in the workflow`,
      );
    }
    // Acknowledging twice cannot show twice, and a report period is refused the second time.
    if (n > 1) {
      t.doubled += 1;
      note(`${command.kind} ${command.requestId} on ${command.assignmentId}: in the workflow ${n} times`);
    }
    // A retry refused ("already done") or never answered, whose effect is there: an earlier attempt was applied.
    if (!ok && command.unknown > 0 && n > 0) t.appliedUnanswered += 1;
  }
  reckoning.kinds = kinds;
  return reckoning;
}
