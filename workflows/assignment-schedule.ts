import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { Deadline } from '../domain/types.ts';
import type { AssignmentState } from './assignment-state.ts';

const { planSchedule } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

/** The deadline the timers follow: the plan's reading, or an approved extension's last day. */
function timedDeadline(state: AssignmentState): Deadline {
  const { deadline: d, dueOverride: due } = state.lifecycle;
  if (!due) return d;
  if (d.kind === 'recurring') return { kind: 'date', start: state.schedule.cycle?.start, due, raw: d.raw };
  return { ...d, kind: d.kind === 'range' ? 'range' : 'date', due, milestones: undefined };
}

/**
 * Plans the assignment's timers again on the worker's calendar (a local activity), from `from`
 * (plan time: the first plan of a run catches up what fell since, later ones look ahead), into
 * `state.schedule`.
 */
export async function planTimers(state: AssignmentState, from: string): Promise<void> {
  const recurring = state.lifecycle.deadline.kind === 'recurring';
  const planned = await planSchedule({
    deadline: timedDeadline(state),
    planPeriod: state.input.planPeriod,
    policy: state.input.policy,
    now: from,
    leadSince: state.leadSince,
    acknowledged: state.lifecycle.status !== 'assigned',
    cycleYear: recurring && !state.lifecycle.dueOverride ? (state.cycleYear ?? undefined) : undefined,
    escalationLevel: state.escalationLevel,
  });
  // An extended recurring cycle is planned as a date, but it is still the same cycle.
  const { cycle } = state.schedule;
  state.schedule =
    planned.cycle || !cycle
      ? planned
      : { ...planned, cycle: { ...cycle, effectiveDue: planned.effectiveDue ?? cycle.effectiveDue } };
  if (recurring && state.cycleYear === null) state.cycleYear = planned.cycle?.year ?? null;
  if (planned.error)
    wf.log.warn('schedule could not be planned', { assignmentId: state.input.assignmentId, error: planned.error });
}
