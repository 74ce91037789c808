import { recipientKey } from './notifications.ts';
import type { NotificationDraft } from './notifications.ts';

// The dedupe keys of what an assignment's life writes to the read model: an audit entry and a
// notice are written at most once, whichever writer gets there first (the workflow's projection,
// the plan's timers, the housekeeping, the import) and however often it is retried. Every writer
// builds them here, so two writers of the same fact cannot spell it differently. (An escalation
// is unique by assignment, cycle and level, and a report filing by assignment and period, in the
// schema itself.)

/** The audit entry of one change of an assignment: a command's update, a timer (`timerKey`), a cycle, a stop. */
export function changeAuditKey(assignmentId: string, change: string): string {
  return `assignment:${assignmentId}:${change}`;
}

/** The audit entry of a projection's change that carries no change key (recorded before changes were keyed). */
export function versionAuditKey(assignmentId: string, version: number, seq: number): string {
  return `assignment:${assignmentId}:${version}:${seq}`;
}

/** The notice of one change of an assignment to one recipient. */
export function noticeKey(assignmentId: string, change: string, draft: NotificationDraft): string {
  return `${assignmentId}:${change}:${recipientKey(draft)}`;
}
