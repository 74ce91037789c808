import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AssignmentView, CommandReceipt, CycleSummary, PlanRevision } from '../domain/assignment-view.ts';
import type { Actor, Command, CommandType, LifecycleState } from '../domain/lifecycle.ts';
import type { PolicyOverrides } from '../domain/policy.ts';
import type { Deadline, IsoDate } from '../domain/types.ts';

/** What the workflow needs to know about its plan and task; given once at start. */
export interface AssignmentInput {
  assignmentId: string;
  planId: string;
  planCode: string;
  planPeriod: { start: IsoDate; end: IsoDate };
  /** The plan's policy as stored (partial; defaults fill the rest). */
  policy: PolicyOverrides;
  taskId: string;
  taskNumber: string;
  taskTitle: string;
  agencyCode: string;
  collaboratorCodes?: string[];
  deadline: Deadline;
  /** When the assignment was given (the import's commit), ISO; timers due since then are caught up. */
  assignedAt?: string;
  /**
   * Set when the plan's deadline-timers workflow (plan-deadlines.ts) was started before this one:
   * the due reminders and escalations of the task's own due day are then fired by the plan.
   */
  deadlineTimersByPlan?: boolean;
  /** Continue as new after this many history events, even before Temporal suggests it. */
  historyLimit?: number;
  /** Continue as new once the history holds this many bytes, even before Temporal suggests it. */
  historyBytesLimit?: number;
  /** State carried over by continue-as-new. */
  carried?: CarriedState;
}

export interface CarriedState {
  lifecycle: LifecycleState;
  version: number;
  assignedAt: string;
  /** When the current lead was given the work (the ack chase counts from here). */
  leadSince: string;
  escalationLevel: number;
  latePeriods: string[];
  /** The year of the current cycle of a recurring task. */
  cycleYear: number | null;
  cycles: CycleSummary[];
  /** Plan time from which the first plan of this run takes its timers (earlier ones were handled). */
  planFrom: string;
  /** Set when this run begins a new cycle of a recurring task, to record and announce it. */
  startsCycle?: number;
  /**
   * Set by the dispatcher for work done before its plan was imported (a plan taken up in the middle
   * of its life): the lifecycle is completed as of that day, and the run records the assignment and
   * its completion, then ends; nothing is chased.
   */
  completedAtImport?: { completedOn: IsoDate; at: string };
}

export interface CommandRequest<C extends Command = Command> {
  actor: Actor;
  command: C;
}

type UpdateFor<T extends CommandType> = UpdateDefinition<
  CommandReceipt,
  [CommandRequest<Extract<Command, { type: T }>>],
  T
>;

function commandUpdate<T extends CommandType>(name: T): UpdateFor<T> {
  return defineUpdate<CommandReceipt, [CommandRequest<Extract<Command, { type: T }>>], T>(name);
}

/** One Temporal Update per command, each named after it. */
export const commandUpdates = {
  acknowledge: commandUpdate('acknowledge'),
  fileReport: commandUpdate('fileReport'),
  submitDeliverable: commandUpdate('submitDeliverable'),
  accept: commandUpdate('accept'),
  return: commandUpdate('return'),
  requestExtension: commandUpdate('requestExtension'),
  approveExtension: commandUpdate('approveExtension'),
  denyExtension: commandUpdate('denyExtension'),
  reassign: commandUpdate('reassign'),
  cancel: commandUpdate('cancel'),
  setDeadline: commandUpdate('setDeadline'),
  addContribution: commandUpdate('addContribution'),
} satisfies { [T in CommandType]: UpdateFor<T> };

export interface PlanRevisionRequest {
  actor: Actor;
  revision: PlanRevision;
}

export const revisePlanUpdate = defineUpdate<CommandReceipt, [PlanRevisionRequest], 'revisePlan'>('revisePlan');

/** How a query asks: `at` (real time, epoch ms) lets it see the plan's timers fired since the workflow last ran. */
export interface AssignmentQueryOptions {
  at?: number;
}

export const assignmentQuery = defineQuery<AssignmentView, [AssignmentQueryOptions?]>('assignment');

/** The error type a refused command carries; the API turns it into 409 or 422. */
export const COMMAND_REFUSED = 'CommandRefused';

/** A plan's report timers: one workflow per plan fires each report's reminders and late mark for all its assignments. */
export interface PlanReportsInput {
  planId: string;
  revision: number;
  planPeriod: { start: IsoDate; end: IsoDate };
  /** The plan's policy as stored; its clock, if any, is the clock of the run. */
  policy: PolicyOverrides;
  /** Real time, ISO: timers after it fire (the import's commit, or the revision's). */
  since: string;
  /** Plan time, ISO, carried by continue-as-new: the last timer fired. */
  after?: string;
}

export type PlanReportsRevision = Pick<PlanReportsInput, 'revision' | 'planPeriod' | 'policy'>;

/** The plan as it is now; a run ignores a revision it already has. */
export const planRevisedSignal = defineSignal<[PlanReportsRevision]>('planRevised');

export const planReportsQuery = defineQuery<{
  revision: number;
  after: string;
  next: { kind: string; period: string; at: string } | null;
}>('planReports');

/**
 * The calendar data changed (its version given): a running workflow plans its timers again,
 * looking ahead only. Both the assignment and the plan's report timers take it.
 */
export const calendarChangedSignal = defineSignal<[string]>('calendarChanged');

export const planReportsWorkflowId = (planId: string) => `plan:${planId}:reports`;

/**
 * A plan's shared deadline timers: one workflow per plan fires the due reminders and escalation
 * steps of each of its tasks' due days for every assignment due that day.
 */
export interface PlanDeadlinesInput {
  planId: string;
  revision: number;
  /** The plan's policy as stored; its clock, if any, is the clock of the run. */
  policy: PolicyOverrides;
  /** The distinct due days (before any shift) of the plan's tasks that are a date or a range. */
  dueDays: IsoDate[];
  /** Real time, ISO: timers after it fire (the import's commit, or the revision's). */
  since: string;
  /** Plan time, ISO, carried by continue-as-new: the last timer fired. */
  after?: string;
}

export type PlanDeadlinesRevision = Pick<PlanDeadlinesInput, 'revision' | 'policy' | 'dueDays'>;

/** The plan as it is now; a run ignores a revision it already has. Due days are added, never dropped. */
export const planDeadlinesRevisedSignal = defineSignal<[PlanDeadlinesRevision]>('planDeadlinesRevised');

export const planDeadlinesQuery = defineQuery<{
  revision: number;
  after: string;
  dueDays: IsoDate[];
  next: { kind: string; effectiveDue: IsoDate; level?: number; at: string } | null;
}>('planDeadlines');

export const planDeadlinesWorkflowId = (planId: string) => `plan:${planId}:deadlines`;
