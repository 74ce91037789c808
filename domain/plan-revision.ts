import type { Deadline } from './types.ts';

/**
 * What a revised plan changes. Tasks are matched by their key (their number, or section and
 * number when numbering restarts: domain/appendix/task-keys.ts), assignments by their current
 * lead agency. Pure: the importer turns the result into rows and workflow commands.
 */

export interface IncomingTask {
  key: string;
  section: string | null;
  title: string;
  objective: string | null;
  area: string | null;
  deliverables: string[];
  deadline: Deadline;
  leadCodes: string[];
  collaboratorCodes: (string | null)[];
}

export interface ExistingTask extends IncomingTask {
  id: string;
  removed: boolean;
  /** Open assignments by current lead agency. */
  openAssignments: { id: string; agencyCode: string }[];
  /** Agencies whose assignment is closed (completed or cancelled). */
  closedAgencies: string[];
}

export type TaskChange =
  | { kind: 'added'; key: string; leads: string[] }
  | { kind: 'removed'; key: string; taskId: string; cancel: string[] }
  | { kind: 'text'; key: string; taskId: string; fields: string[] }
  | { kind: 'deadline'; key: string; taskId: string; from: Deadline; to: Deadline; assignments: string[] }
  | { kind: 'reassigned'; key: string; taskId: string; assignment: string; from: string; to: string }
  | { kind: 'lead-added'; key: string; taskId: string; agencies: string[] }
  | { kind: 'lead-removed'; key: string; taskId: string; cancel: string[]; agencies: string[] };

function sameDeadline(a: Deadline, b: Deadline): boolean {
  return (
    a.kind === b.kind &&
    a.start === b.start &&
    a.due === b.due &&
    JSON.stringify(a.recurrence ?? null) === JSON.stringify(b.recurrence ?? null) &&
    JSON.stringify(a.milestones ?? null) === JSON.stringify(b.milestones ?? null)
  );
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function textFields(before: IncomingTask, after: IncomingTask): string[] {
  const fields: string[] = [];
  if (before.title !== after.title) fields.push('title');
  if (before.objective !== after.objective) fields.push('objective');
  if (before.area !== after.area) fields.push('area');
  // Tasks imported before sections were read have none stored: one appearing is not a revision.
  if (before.section !== null && before.section !== after.section) fields.push('section');
  if (!sameList(before.deliverables, after.deliverables)) fields.push('deliverables');
  if (!sameList([...before.collaboratorCodes].sort(), [...after.collaboratorCodes].sort()))
    fields.push('collaborators');
  if (before.deadline.raw !== after.deadline.raw && sameDeadline(before.deadline, after.deadline))
    fields.push('deadlineText');
  return fields;
}

export function revisePlan(existing: ExistingTask[], incoming: IncomingTask[]): TaskChange[] {
  const changes: TaskChange[] = [];
  const byKey = new Map(existing.map((t) => [t.key, t]));
  const incomingKeys = new Set(incoming.map((t) => t.key));

  for (const task of incoming) {
    const before = byKey.get(task.key);
    if (!before || before.removed) {
      changes.push({ kind: 'added', key: task.key, leads: task.leadCodes });
      continue;
    }
    const fields = textFields(before, task);
    if (fields.length > 0) changes.push({ kind: 'text', key: task.key, taskId: before.id, fields });

    const current = before.openAssignments;
    const kept = current.filter((a) => task.leadCodes.includes(a.agencyCode));
    const dropped = current.filter((a) => !task.leadCodes.includes(a.agencyCode));
    const known = new Set([...current.map((a) => a.agencyCode), ...before.closedAgencies]);
    const added = task.leadCodes.filter((code) => !known.has(code));

    if (!sameDeadline(before.deadline, task.deadline)) {
      changes.push({
        kind: 'deadline',
        key: task.key,
        taskId: before.id,
        from: before.deadline,
        to: task.deadline,
        assignments: kept.map((a) => a.id),
      });
    }
    // One lead replaced by one other reads as a hand-over: the work and its history move.
    const handOvers = Math.min(dropped.length, added.length);
    for (let i = 0; i < handOvers; i += 1) {
      const from = dropped[i]!;
      changes.push({
        kind: 'reassigned',
        key: task.key,
        taskId: before.id,
        assignment: from.id,
        from: from.agencyCode,
        to: added[i]!,
      });
    }
    if (added.length > handOvers) {
      changes.push({ kind: 'lead-added', key: task.key, taskId: before.id, agencies: added.slice(handOvers) });
    }
    if (dropped.length > handOvers) {
      const rest = dropped.slice(handOvers);
      changes.push({
        kind: 'lead-removed',
        key: task.key,
        taskId: before.id,
        cancel: rest.map((a) => a.id),
        agencies: rest.map((a) => a.agencyCode),
      });
    }
    // A reassigned assignment also needs the new deadline.
    if (!sameDeadline(before.deadline, task.deadline)) {
      const deadlineChange = changes.find((c) => c.kind === 'deadline' && c.key === task.key);
      if (deadlineChange?.kind === 'deadline') {
        deadlineChange.assignments.push(...dropped.slice(0, handOvers).map((a) => a.id));
      }
    }
  }

  for (const task of existing) {
    if (!task.removed && !incomingKeys.has(task.key)) {
      changes.push({
        kind: 'removed',
        key: task.key,
        taskId: task.id,
        cancel: task.openAssignments.map((a) => a.id),
      });
    }
  }
  return changes;
}

/** What a revision would do, counted and listed, for a person to confirm before it happens. */
export interface RevisionSummary {
  planId: string;
  code: string;
  /** The plan's revision now; the import would make the next. */
  revision: number;
  counts: {
    /** Tasks new in the plan, and leads new on a task. */
    added: number;
    /** Assignments cancelled: their task left the plan, or their lead left the task. */
    cancelled: number;
    /** Assignments moved to another lead. */
    moved: number;
    /** Tasks whose deadline changes. */
    deadlineChanged: number;
    /** Tasks whose text changes (title, products, collaborators …). */
    textChanged: number;
  };
  /** The plan's own fields (title, period, policy) change too. */
  planChanged: boolean;
  changes: { kind: TaskChange['kind']; key: string; title: string; detail?: string }[];
}

function changeDetail(change: TaskChange): string | undefined {
  switch (change.kind) {
    case 'deadline':
      return `${change.from.raw || '(trống)'} → ${change.to.raw || '(trống)'}`;
    case 'reassigned':
      return `${change.from} → ${change.to}`;
    case 'lead-added':
    case 'lead-removed':
      return change.agencies.join(', ');
    case 'text':
      return change.fields.join(', ');
    case 'added':
      return change.leads.join(', ');
    case 'removed':
      return undefined;
  }
}

export function summarizeRevision(
  plan: { id: string; code: string; revision: number },
  changes: readonly TaskChange[],
  titles: ReadonlyMap<string, string>,
  planChanged: boolean,
): RevisionSummary {
  const counts = { added: 0, cancelled: 0, moved: 0, deadlineChanged: 0, textChanged: 0 };
  for (const change of changes) {
    if (change.kind === 'added') counts.added += 1;
    else if (change.kind === 'lead-added') counts.added += change.agencies.length;
    else if (change.kind === 'removed' || change.kind === 'lead-removed') counts.cancelled += change.cancel.length;
    else if (change.kind === 'reassigned') counts.moved += 1;
    else if (change.kind === 'deadline') counts.deadlineChanged += 1;
    else counts.textChanged += 1;
  }
  return {
    planId: plan.id,
    code: plan.code,
    revision: plan.revision,
    counts,
    planChanged,
    changes: changes.map((change) => {
      const detail = changeDetail(change);
      return {
        kind: change.kind,
        key: change.key,
        title: titles.get(change.key) ?? '',
        ...(detail ? { detail } : {}),
      };
    }),
  };
}
