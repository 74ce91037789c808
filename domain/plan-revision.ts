import type { Deadline } from './types.ts';

/**
 * What a revised plan changes. Tasks are matched by their number, assignments by their current
 * lead agency. Pure: the importer turns the result into rows and workflow commands.
 */

export interface IncomingTask {
  number: string;
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
  | { kind: 'added'; number: string; leads: string[] }
  | { kind: 'removed'; number: string; taskId: string; cancel: string[] }
  | { kind: 'text'; number: string; taskId: string; fields: string[] }
  | { kind: 'deadline'; number: string; taskId: string; from: Deadline; to: Deadline; assignments: string[] }
  | { kind: 'reassigned'; number: string; taskId: string; assignment: string; from: string; to: string }
  | { kind: 'lead-added'; number: string; taskId: string; agencies: string[] }
  | { kind: 'lead-removed'; number: string; taskId: string; cancel: string[]; agencies: string[] };

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
  if (!sameList(before.deliverables, after.deliverables)) fields.push('deliverables');
  if (!sameList([...before.collaboratorCodes].sort(), [...after.collaboratorCodes].sort()))
    fields.push('collaborators');
  if (before.deadline.raw !== after.deadline.raw && sameDeadline(before.deadline, after.deadline))
    fields.push('deadlineText');
  return fields;
}

export function revisePlan(existing: ExistingTask[], incoming: IncomingTask[]): TaskChange[] {
  const changes: TaskChange[] = [];
  const byNumber = new Map(existing.map((t) => [t.number, t]));
  const incomingNumbers = new Set(incoming.map((t) => t.number));

  for (const task of incoming) {
    const before = byNumber.get(task.number);
    if (!before || before.removed) {
      changes.push({ kind: 'added', number: task.number, leads: task.leadCodes });
      continue;
    }
    const fields = textFields(before, task);
    if (fields.length > 0) changes.push({ kind: 'text', number: task.number, taskId: before.id, fields });

    const current = before.openAssignments;
    const kept = current.filter((a) => task.leadCodes.includes(a.agencyCode));
    const dropped = current.filter((a) => !task.leadCodes.includes(a.agencyCode));
    const known = new Set([...current.map((a) => a.agencyCode), ...before.closedAgencies]);
    const added = task.leadCodes.filter((code) => !known.has(code));

    if (!sameDeadline(before.deadline, task.deadline)) {
      changes.push({
        kind: 'deadline',
        number: task.number,
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
        number: task.number,
        taskId: before.id,
        assignment: from.id,
        from: from.agencyCode,
        to: added[i]!,
      });
    }
    if (added.length > handOvers) {
      changes.push({ kind: 'lead-added', number: task.number, taskId: before.id, agencies: added.slice(handOvers) });
    }
    if (dropped.length > handOvers) {
      const rest = dropped.slice(handOvers);
      changes.push({
        kind: 'lead-removed',
        number: task.number,
        taskId: before.id,
        cancel: rest.map((a) => a.id),
        agencies: rest.map((a) => a.agencyCode),
      });
    }
    // A reassigned assignment also needs the new deadline.
    if (!sameDeadline(before.deadline, task.deadline)) {
      const deadlineChange = changes.find((c) => c.kind === 'deadline' && c.number === task.number);
      if (deadlineChange?.kind === 'deadline') {
        deadlineChange.assignments.push(...dropped.slice(0, handOvers).map((a) => a.id));
      }
    }
  }

  for (const task of existing) {
    if (!task.removed && !incomingNumbers.has(task.number)) {
      changes.push({
        kind: 'removed',
        number: task.number,
        taskId: task.id,
        cancel: task.openAssignments.map((a) => a.id),
      });
    }
  }
  return changes;
}
