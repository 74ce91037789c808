import type { PlannedSchedule } from '../activities/index.ts';
import type { AssignmentView, CycleSummary } from '../domain/assignment-view.ts';
import { localDay } from '../domain/instant.ts';
import { completedOnTime, initialLifecycle, isWithLead, type LifecycleState } from '../domain/lifecycle.ts';
import type { AssignmentFacts } from '../domain/notifications.ts';
import type { ScheduleEvent } from '../domain/schedule.ts';
import type { Patches } from './assignment-patches.ts';
import { escalationLevelWith, firedByPlan, latePeriodsWith, type TimerState } from './assignment-plan-timers.ts';
import type { AssignmentInput, CarriedState } from './messages.ts';

/** A run's clocks: the plan's time now, an instant of the plan in real milliseconds, and real time now (a query's, when it asks as of later). */
export interface RunClock {
  planNow(): Date;
  realMs(planInstant: string): number;
  now(): number;
}

/** An assignment's state within a run: what a continue-as-new carries, and the timers planned for it. */
export interface AssignmentState extends TimerState {
  input: AssignmentInput;
  lifecycle: LifecycleState;
  version: number;
  readonly assignedAt: string;
  leadSince: string;
  escalationLevel: number;
  latePeriods: string[];
  cycleYear: number | null;
  readonly cycles: CycleSummary[];
  schedule: PlannedSchedule;
}

/** The state a run starts from: carried from the run before, or a new assignment given at `givenAt` (plan time). */
export function startingState(
  input: AssignmentInput,
  givenAt: string,
): AssignmentState & Pick<CarriedState, 'planFrom'> {
  const carried: CarriedState = input.carried ?? {
    lifecycle: initialLifecycle(input.agencyCode, input.deadline),
    version: 0,
    assignedAt: givenAt,
    leadSince: givenAt,
    escalationLevel: 0,
    latePeriods: [],
    cycleYear: null,
    cycles: [],
    planFrom: givenAt,
  };
  return {
    input,
    lifecycle: carried.lifecycle,
    version: carried.version,
    assignedAt: carried.assignedAt,
    leadSince: carried.leadSince,
    escalationLevel: carried.escalationLevel,
    latePeriods: carried.latePeriods,
    cycleYear: carried.cycleYear,
    cycles: carried.cycles,
    planFrom: carried.planFrom,
    schedule: { effectiveDue: null, events: [] },
  };
}

export function effectiveDueOf(state: AssignmentState): string | null {
  return state.schedule.effectiveDue ?? state.lifecycle.dueOverride ?? state.lifecycle.deadline.due ?? null;
}

/** The plan's report timers that have fired by `now` and are not yet taken in. */
export function planTimersCome(
  state: AssignmentState,
  patches: Patches,
  clock: RunClock,
): typeof state.schedule.events {
  return state.schedule.events.filter((e) => firedByPlan(patches, e) && clock.realMs(e.at) <= clock.now());
}

/** What a notification says about the assignment. */
export function factsOf(state: AssignmentState): AssignmentFacts {
  const { input } = state;
  return {
    assignmentId: input.assignmentId,
    taskNumber: input.taskNumber,
    taskTitle: input.taskTitle,
    planCode: input.planCode,
    agencyCode: state.lifecycle.agencyCode,
    collaboratorCodes: input.collaboratorCodes ?? [],
    effectiveDue: effectiveDueOf(state),
  };
}

/**
 * The assignment as its query and its projection show it, with the plan's timers come by
 * `clock.now()` and not yet taken in; without them when `withPlanTimers` is false (the projection
 * of a run that waits for the plan's marks: those are the plan's to write).
 */
export function viewOf(
  state: AssignmentState,
  patches: Patches,
  clock: RunClock,
  withPlanTimers = true,
): AssignmentView {
  const { input, lifecycle, schedule } = state;
  const due = effectiveDueOf(state);
  const open = isWithLead(lifecycle.status);
  const next = schedule.events.find((e) => clock.realMs(e.at) > clock.now());
  const come = (e: ScheduleEvent) => withPlanTimers && clock.realMs(e.at) <= clock.now();
  const late = latePeriodsWith(state, withPlanTimers ? planTimersCome(state, patches, clock) : []);
  return {
    ...lifecycle,
    id: input.assignmentId,
    planId: input.planId,
    planCode: input.planCode,
    taskId: input.taskId,
    taskNumber: input.taskNumber,
    taskTitle: input.taskTitle,
    assignedAt: state.assignedAt,
    effectiveDue: due,
    overdue: open && due !== null && localDay(clock.planNow()) > due,
    escalationLevel: escalationLevelWith(patches, state, come),
    latePeriods: late,
    expectedReports: [
      ...new Set([
        ...lifecycle.reports.map((r) => r.period),
        ...late,
        ...schedule.events.flatMap((e) => (e.kind === 'report-due' ? [e.period] : [])),
      ]),
    ].sort(),
    onTime: completedOnTime(lifecycle, due, (iso) => localDay(new Date(iso))),
    cycle: schedule.cycle
      ? {
          year: schedule.cycle.year,
          start: schedule.cycle.start,
          due: schedule.cycle.due,
          effectiveDue: schedule.cycle.effectiveDue,
        }
      : null,
    cycles: state.cycles,
    nextEvent: next ? { kind: next.kind, at: next.at } : null,
    version: state.version,
  };
}
