import type { PlannedSchedule } from '../activities/index.ts';
import { isWithLead, type LifecycleState } from '../domain/lifecycle.ts';
import type { ScheduleEvent } from '../domain/schedule.ts';
import { timerEffect } from '../domain/timer-effects.ts';
import type { Patches } from './assignment-patches.ts';
import type { AssignmentInput } from './messages.ts';

// Which of an assignment's timers its plan fires for it (plan-reports.ts, plan-deadlines.ts), and
// what those have done to its state by a given instant. The plan writes their records; the
// assignment does not wake for them, and takes them into its state when it next runs.

/** What the plan's timers are measured against. */
export interface TimerState {
  readonly lifecycle: LifecycleState;
  readonly schedule: PlannedSchedule;
  readonly latePeriods: string[];
  readonly escalationLevel: number;
  /** The task's deadline as the plan reads it (the plan's deadline timers follow its due day). */
  readonly input: Pick<AssignmentInput, 'deadline'>;
}

/** Whether the plan's report timers fire this event: every report reminder and late mark. */
export function firedByPlan(patches: Patches, event: ScheduleEvent): boolean {
  return patches.reportTimersByPlan && (event.kind === 'report-due' || event.kind === 'report-reminder');
}

/**
 * Whether the plan's deadline timers fire this event (plan-deadlines.ts): a due reminder or a step
 * of the escalation ladder of the task's own due day, for a date or a range. The plan fires every
 * due day of its tasks; an assignment whose due day was moved (an extension, a new deadline) or
 * that is planned after part of its ladder (the catch-up step) keeps timers of its own.
 */
export function sharedByPlan(patches: Patches, state: TimerState, event: ScheduleEvent): boolean {
  if (!patches.deadlineTimersByPlan) return false;
  const { deadline, dueOverride } = state.lifecycle;
  if (deadline.kind !== 'date' && deadline.kind !== 'range') return false;
  const due = dueOverride ?? deadline.due;
  if (!due || due !== state.input.deadline.due) return false;
  if (event.kind === 'reminder') return event.cycle === undefined && event.dueDate === state.schedule.effectiveDue;
  return event.kind === 'escalation' && event.cycle === undefined && !event.catchUp;
}

/** Late periods, with the plan's late marks `come` (fired, not yet taken in); nothing has changed since they fell. */
export function latePeriodsWith(state: TimerState, come: ScheduleEvent[]): string[] {
  const marked = come.flatMap((e) => {
    const effect = timerEffect(e, {
      status: state.lifecycle.status,
      reports: state.lifecycle.reports,
      escalationLevel: state.escalationLevel,
    });
    return effect.fires && effect.markLate && !state.latePeriods.includes(effect.markLate) ? [effect.markLate] : [];
  });
  return marked.length > 0 ? [...state.latePeriods, ...marked] : state.latePeriods;
}

/** The escalation level, with the plan's shared escalations that have come by then (`come`) not yet taken in. */
export function escalationLevelWith(
  patches: Patches,
  state: TimerState,
  come: (event: ScheduleEvent) => boolean,
): number {
  if (!isWithLead(state.lifecycle.status)) return state.escalationLevel;
  const levels = state.schedule.events.flatMap((e) =>
    e.kind === 'escalation' && sharedByPlan(patches, state, e) && come(e) ? [e.level] : [],
  );
  return Math.max(state.escalationLevel, ...levels);
}
