import * as wf from '@temporalio/workflow';
import type { CycleSummary } from '../domain/assignment-view.ts';
import { instantAt, localDay } from '../domain/instant.ts';
import { completedOnTime, initialLifecycle, isClosed } from '../domain/lifecycle.ts';
import type { Patches } from './assignment-patches.ts';
import { effectiveDueOf, type AssignmentState, type RunClock } from './assignment-state.ts';
import type { assignmentWorkflow } from './assignment.ts';
import type { AssignmentInput, CarriedState } from './messages.ts';

// A recurring task runs one cycle per year, each a run of its own; a run also continues as new
// within its cycle when its history grows long. What a run hands to the next is its carried state.

/** What the next run starts from; `overrides` begin a new cycle. */
export function carry(state: AssignmentState, clock: RunClock, overrides: Partial<CarriedState> = {}): CarriedState {
  return {
    lifecycle: state.lifecycle,
    version: state.version,
    assignedAt: state.assignedAt,
    leadSince: state.leadSince,
    escalationLevel: state.escalationLevel,
    latePeriods: state.latePeriods,
    cycleYear: state.cycleYear,
    cycles: state.cycles,
    planFrom: clock.planNow().toISOString(),
    startsCycle: undefined,
    ...overrides,
  };
}

/** The input of the next run when this one continues as new within the same cycle. */
export function continuation(state: AssignmentState, clock: RunClock): AssignmentInput {
  return { ...state.input, carried: carry(state, clock) };
}

/** The next cycle of a recurring task, started when its year begins (or now, if that has passed). */
export async function startNextCycle(state: AssignmentState, clock: RunClock): Promise<never | void> {
  const { lifecycle, cycleYear } = state;
  const year = (cycleYear ?? Number(localDay(clock.planNow()).slice(0, 4))) + 1;
  if (year > Number(state.input.planPeriod.end.slice(0, 4))) return;
  const summary: CycleSummary = {
    year: cycleYear ?? year - 1,
    due: effectiveDueOf(state),
    status: lifecycle.status,
    completedAt: lifecycle.completedAt,
    onTime: completedOnTime(lifecycle, effectiveDueOf(state), (iso) => localDay(new Date(iso))) === true,
    lateReports: state.latePeriods,
  };
  const startsAt = instantAt(`${year}-01-01`, 0).toISOString();
  const wait = clock.realMs(startsAt) - Date.now();
  if (wait > 0) await wf.sleep(wait);
  await wf.condition(wf.allHandlersFinished);
  const fresh = initialLifecycle(state.lifecycle.agencyCode, state.lifecycle.deadline);
  await wf.continueAsNew<typeof assignmentWorkflow>({
    ...state.input,
    carried: carry(state, clock, {
      // The lead knows the task already; each year's cycle does not need a new acknowledgement.
      lifecycle: {
        ...fresh,
        status: 'acknowledged',
        acknowledgedAt: startsAt,
        agencyHistory: state.lifecycle.agencyHistory,
      },
      leadSince: startsAt,
      planFrom: startsAt,
      escalationLevel: 0,
      latePeriods: [],
      cycleYear: year,
      startsCycle: year,
      cycles: [...state.cycles, summary],
    }),
  });
}

/**
 * When an unfinished yearly cycle gives way to the next (real milliseconds), or null: from
 * 1 January of the next year, once the cycle's escalation ladder has run its course, so that the
 * plan's later years are chased too. A deliverable awaiting review is decided first.
 */
export function rolloverAt(state: AssignmentState, patches: Patches, clock: RunClock): number | null {
  const { cycleYear, lifecycle } = state;
  const recurring = lifecycle.deadline.kind === 'recurring';
  if (!recurring || cycleYear === null || lifecycle.status === 'submitted' || isClosed(lifecycle.status)) return null;
  if (cycleYear + 1 > Number(state.input.planPeriod.end.slice(0, 4)) || !patches.cycleRollover()) return null;
  const newYear = clock.realMs(instantAt(`${cycleYear + 1}-01-01`, 0).toISOString());
  const lastEscalation = state.schedule.events.filter((e) => e.kind === 'escalation').at(-1);
  return Math.max(newYear, lastEscalation ? clock.realMs(lastEscalation.at) : 0);
}
