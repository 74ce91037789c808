import * as wf from '@temporalio/workflow';

// The patches of the assignment workflow: what a run recorded before each change replays as it
// was, and new runs take the new path. Every decision is made here, at the run's start; the steps
// (assignment-run.ts) read the answers and never call `wf.patched` themselves.

/** Histories from before the local first attempt replay with the activity alone. */
const RECORD_IN_TASK = 'record-assignment-in-task';
/** Histories from before yearly cycles rolled over unfinished replay without that timer. */
const CYCLE_ROLLOVER = 'recurring-cycle-rollover';
/** Histories from before the plan fired the report timers replay with the assignment firing them. */
const REPORT_TIMERS_BY_PLAN = 'report-timers-by-plan';
/**
 * Runs that record this decide every patch at their start, before any local activity, and take
 * RECORD_IN_TASK and CYCLE_ROLLOVER as applied without their markers. A query that reaches a
 * workflow task before the worker picks it up makes the SDK (1.24.0) complete the task early,
 * possibly right after a local activity; a patch marker recorded after that activity then lies in
 * the next task, where replay, resolving the activity first, does not yet see it (TMPRL1100,
 * test/replay/unreplayable/). A later patch is decided here too: a run keeps what its start decided.
 */
const PATCHES_AT_START = 'patches-decided-at-start';
/** Histories from before the plan fired the shared due reminders and escalations replay with the assignment firing them. */
const DEADLINE_TIMERS_BY_PLAN = 'deadline-timers-by-plan';
/**
 * Runs that record this key the records of a change by the change itself (a command's or a
 * revision's Update id in this run, a timer's event, a cycle's year), not by the version it got.
 * The first write runs inside the workflow task (RECORD_IN_TASK); if that task never completes (the
 * worker dies after the commit), the next task makes the change again, and when it meets the state
 * later (a timer of the plan came in between) the change gets another version: keyed by version, it
 * was written twice, and its first key blocked the record of the change that took its version.
 */
const ROWS_KEYED_BY_CHANGE = 'rows-keyed-by-change';
/**
 * Runs that record this refuse a command that would take the assignment beyond its bounds
 * (domain/assignment-bounds.ts), and once their history is long they turn new commands away
 * ("busy", retried by the caller) until those in flight are written and they continue as new: under
 * a steady stream of commands a run that waited for a quiet moment would never start afresh. Runs
 * from before replay what they did; they take both at their next continue-as-new.
 */
const ASSIGNMENT_BOUNDS = 'assignment-bounds';
/**
 * Runs that record this show, while a change waits to reach the read model (its write in the
 * workflow task failed), their plan's id in a search attribute, which the plan's marks wait on
 * (domain/search-attributes.ts). Runs from before write as they did.
 */
const UNPROJECTED_VISIBLE = 'unprojected-visible';

/**
 * Runs that record this change nothing after one of their plan's instants (a report's reminder or
 * late mark, a due reminder or escalation step of the task's due day) until the plan has marked it
 * (`plan_marks`): the plan's mark is the only writer of that instant's records, and it decides on
 * the assignment as it was at the instant. Runs from before take the instants in as they come and
 * write the due day's records too, keyed as the plan keys them.
 */
const PLAN_MARKS_FIRST = 'plan-marks-before-change';

/** What a run does, as its history decided. */
export interface Patches {
  /** The plan's workflow fires the report reminders and late marks (plan-reports.ts). */
  readonly reportTimersByPlan: boolean;
  /** The plan's workflow fires the due reminders and escalations of the task's own due day (plan-deadlines.ts). */
  readonly deadlineTimersByPlan: boolean;
  /** A change's records are keyed by the change, not by its version. */
  readonly rowsKeyedByChange: boolean;
  /** Commands beyond the bounds are refused, and a long run drains before continuing as new. */
  readonly bounded: boolean;
  /** A write that waits shows the plan's id in the search attribute. */
  readonly unprojectedVisible: boolean;
  /** Nothing changes after one of the plan's instants until the plan has marked it; the plan alone writes its records. */
  readonly planMarksFirst: boolean;
  /** The first write of a change is tried inside the workflow task. */
  recordInTask(): boolean;
  /** An unfinished yearly cycle gives way to the next one. */
  cycleRollover(): boolean;
}

/** Decides every patch of a run at its start, in the order runs have always decided them. */
export function decidePatches(deadlineTimersWanted: boolean): Patches {
  const reportTimersByPlan = wf.patched(REPORT_TIMERS_BY_PLAN);
  const atStart = wf.patched(PATCHES_AT_START);
  const deadlineTimersByPlan = deadlineTimersWanted && wf.patched(DEADLINE_TIMERS_BY_PLAN);
  const rowsKeyedByChange = wf.patched(ROWS_KEYED_BY_CHANGE);
  const bounded = wf.patched(ASSIGNMENT_BOUNDS);
  const unprojectedVisible = wf.patched(UNPROJECTED_VISIBLE);
  const planMarksFirst = wf.patched(PLAN_MARKS_FIRST);
  return {
    reportTimersByPlan,
    deadlineTimersByPlan,
    rowsKeyedByChange,
    bounded,
    unprojectedVisible,
    planMarksFirst,
    // Patches from before PATCHES_AT_START: applied in runs that record it, else asked where first needed.
    recordInTask: () => atStart || wf.patched(RECORD_IN_TASK),
    cycleRollover: () => atStart || wf.patched(CYCLE_ROLLOVER),
  };
}
