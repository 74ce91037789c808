import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { ScheduleEvent } from '../domain/schedule.ts';
import type { Patches } from './assignment-patches.ts';
import { firedByPlan, sharedByPlan } from './assignment-plan-timers.ts';
import type { AssignmentState, RunClock } from './assignment-state.ts';

// One owner of a shared instant, one writer of its records: the plan's timer workflows mark every
// instant they own for all their assignments at once (activities/mark-reports.ts,
// mark-deadlines.ts), reading the read model. An assignment of a run that records
// 'plan-marks-before-change' changes nothing after such an instant until the plan says it has
// marked it (`plan_marks`, written in the mark's own transaction): the read model the mark read was
// then the assignment as it stood at the instant, and what the assignment takes in afterwards
// (a late period, an escalation level) is what the mark decided on the same state.

const { planMarkedThrough } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

/**
 * How long past an instant the assignment waits for the plan's mark before it takes the instant in
 * anyway: as long as the mark itself waits for the assignments' writes (activities/unprojected.ts),
 * so that a plan's workflow that is gone, or an old worker still running its marks, holds nothing
 * back for longer.
 */
const PATIENCE_MS = 10 * 60_000;

/** The plan's instants that have come for this assignment since its run started and are not taken in yet. */
export function planInstantsCome(state: AssignmentState, patches: Patches, clock: RunClock): ScheduleEvent[] {
  if (!patches.planMarksFirst) return [];
  // Instants before the run's start were met by the run before (or by none: a new assignment).
  const since = wf.workflowInfo().runStartTime.getTime();
  return state.schedule.events.filter((e) => {
    const at = clock.realMs(e.at);
    return at >= since && at <= Date.now() && (firedByPlan(patches, e) || sharedByPlan(patches, state, e));
  });
}

function markedBy(event: ScheduleEvent, through: Record<'reports' | 'deadlines', string | null>): boolean {
  const mark = event.kind === 'report-due' || event.kind === 'report-reminder' ? through.reports : through.deadlines;
  return mark !== null && Date.parse(mark) >= Date.parse(event.at);
}

/**
 * Waits until the plan has marked every one of its instants that has come for this assignment, or
 * has let it wait for PATIENCE_MS. A command waits here in its Update handler, without giving up:
 * an Update that failed would give the same failure to the caller's retry under the same key.
 */
export async function untilPlanMarked(state: AssignmentState, patches: Patches, clock: RunClock): Promise<void> {
  for (let pause = 250; ; pause = Math.min(2 * pause, 10_000)) {
    const through = await planMarkedThrough({ planId: state.input.planId });
    const waiting = planInstantsCome(state, patches, clock).filter(
      (e) => !markedBy(e, through) && Date.now() - clock.realMs(e.at) < PATIENCE_MS,
    );
    if (waiting.length === 0) return;
    await wf.sleep(pause);
  }
}
