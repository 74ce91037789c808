import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { keepingRunClock } from '../domain/clock.ts';
import type { PlanDeadlineTimer } from '../domain/schedule.ts';
import type { IsoDate } from '../domain/types.ts';
import {
  calendarChangedSignal,
  planDeadlinesQuery,
  planDeadlinesRevisedSignal,
  type PlanDeadlinesInput,
  type PlanDeadlinesRevision,
} from './messages.ts';
import { markOptions, planningOptions, PlanTimers } from './plan-timers.ts';

const { planDeadlineTimers } = wf.proxyLocalActivities<Activities>(planningOptions);
const { markDeadlines } = wf.proxyActivities<Activities>(markOptions);

/**
 * The deadline timers of one plan: the due reminders and escalation steps of each of its tasks' due
 * days, fired once for every assignment due that day by the `markDeadlines` activity. On the
 * morning after a common deadline (most tasks of a plan end on 31 December) one workflow wakes
 * instead of ten thousand. The assignments keep these events in their schedule, for their own
 * state, but do not wake for them (see `sharedByPlan` in assignment-plan-timers.ts); one whose due day moved
 * keeps timers of its own.
 */
export async function planDeadlinesWorkflow(input: PlanDeadlinesInput): Promise<void> {
  const timers = new PlanTimers<PlanDeadlineTimer>(input);
  let plan: PlanDeadlinesRevision = { revision: input.revision, policy: input.policy, dueDays: input.dueDays };

  wf.setHandler(planDeadlinesRevisedSignal, (revision) => {
    if (revision.revision <= plan.revision) return;
    // A day is never dropped: an assignment may still be due on it until its new deadline reaches it.
    plan = {
      revision: revision.revision,
      policy: keepingRunClock(revision.policy, input.policy),
      dueDays: union(plan.dueDays, revision.dueDays),
    };
    timers.planAgain();
  });
  wf.setHandler(calendarChangedSignal, () => timers.planAgain());
  wf.setHandler(planDeadlinesQuery, () => {
    const next = timers.timers[0];
    return {
      revision: plan.revision,
      after: timers.after,
      dueDays: plan.dueDays,
      next: next
        ? {
            kind: next.event.kind,
            effectiveDue: next.effectiveDue,
            ...('level' in next.event ? { level: next.event.level } : {}),
            at: next.event.at,
          }
        : null,
    };
  });

  await timers.run({
    plan: async () => {
      const planned = await planDeadlineTimers({ dueDays: plan.dueDays, policy: plan.policy, after: timers.after });
      if (planned.error)
        wf.log.warn('deadline timers could not be planned', { planId: input.planId, error: planned.error });
      return planned.timers;
    },
    // Every timer whose instant has come (several when the worker was away): one transaction.
    fireCome: async () => {
      const come: PlanDeadlineTimer[] = [];
      while (timers.timers[0] && timers.come(timers.timers[0].event.at)) come.push(timers.timers.shift()!);
      if (come.length === 0) return;
      await markDeadlines({
        planId: input.planId,
        timers: come.map((t) => ({ ...t, realAt: new Date(timers.realMs(t.event.at)).toISOString() })),
      });
      timers.passed(come.at(-1)!.event.at);
    },
    at: (timer) => timer.event.at,
    continueAsNew: () => wf.continueAsNew<typeof planDeadlinesWorkflow>({ ...input, ...plan, after: timers.after }),
  });
}

function union(a: readonly IsoDate[], b: readonly IsoDate[]): IsoDate[] {
  return [...new Set([...a, ...b])].sort();
}
