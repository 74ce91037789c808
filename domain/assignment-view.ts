import type { AssignmentStatus, Command, LifecycleState } from './lifecycle.ts';
import type { PolicyOverrides } from './policy.ts';
import type { IsoDate } from './types.ts';

// The assignment as the workflow shows it to the rest of the system (its query, the read model's
// state column), what a command's Update answers, and what a running assignment can be told.

/** One finished cycle of a recurring task. */
export interface CycleSummary {
  year: number;
  due: IsoDate | null;
  status: AssignmentStatus;
  completedAt?: string;
  /** Submitted (and later accepted) by the effective due day. */
  onTime: boolean;
  lateReports: string[];
}

export interface CurrentCycle {
  year: number;
  start: IsoDate;
  due: IsoDate;
  effectiveDue: IsoDate;
}

/** The assignment as the workflow sees it: returned by its query, and projected to the read model. */
export interface AssignmentView extends LifecycleState {
  id: string;
  planId: string;
  planCode: string;
  taskId: string;
  taskNumber: string;
  taskTitle: string;
  assignedAt: string;
  /** Last permissible day after extensions and the working-day shift; null without one. */
  effectiveDue: IsoDate | null;
  /** Past its effective due day and not delivered (derived, in plan time). */
  overdue: boolean;
  escalationLevel: number;
  /** Report periods marked late (their report had not come when due). */
  latePeriods: string[];
  /** Every report period this assignment owes or owed: filed, marked late, or still to come. */
  expectedReports: string[];
  /** For completed work: submitted by the effective due day; null otherwise. */
  onTime: boolean | null;
  cycle: CurrentCycle | null;
  cycles: CycleSummary[];
  nextEvent: { kind: string; at: string } | null;
  /** Grows by one with every change; the read model keeps the highest it has seen. */
  version: number;
}

/**
 * What a command's Update answers: a few fields, whatever the assignment holds (an answer over
 * Temporal's payload limit terminates the workflow). Callers read the assignment itself from the
 * read model, which the Update waited to reach.
 */
export interface CommandReceipt {
  id: string;
  status: AssignmentStatus;
  /** The version the change got: the read model holds it once `projected`. */
  version: number;
  /** Whether the change had reached the read model when the Update answered. */
  projected: boolean;
}

/**
 * What a revised plan changes for a running assignment beyond its own commands: the plan's policy
 * and period (its timers) and the task's title and collaborators (its notices).
 */
export interface PlanRevision {
  policy: PolicyOverrides;
  planPeriod: { start: IsoDate; end: IsoDate };
  taskTitle: string;
  collaboratorCodes: string[];
}

/** What an import owes a running workflow: a lifecycle command, or a revision of its plan. */
export type OwedCommand = Command | { type: 'revisePlan'; revision: PlanRevision };
