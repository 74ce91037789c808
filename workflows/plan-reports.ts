import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { keepingRunClock } from '../domain/clock.ts';
import type { PlanReportEvent } from '../domain/schedule.ts';
import {
  calendarChangedSignal,
  planReportsQuery,
  planRevisedSignal,
  type PlanReportsInput,
  type PlanReportsRevision,
} from './messages.ts';
import { markOptions, planningOptions, PlanTimers } from './plan-timers.ts';

const { planReportTimers } = wf.proxyLocalActivities<Activities>(planningOptions);
const { markReports } = wf.proxyActivities<Activities>(markOptions);

/**
 * The report timers of one plan: each report's reminders and its late mark, fired
 * once for all the plan's assignments by the `markReports` activity. The assignment workflows
 * keep these events in their schedule, for their own state, but do not wake for them.
 */
export async function planReportsWorkflow(input: PlanReportsInput): Promise<void> {
  const timers = new PlanTimers<PlanReportEvent>(input);
  let plan: PlanReportsRevision = { revision: input.revision, planPeriod: input.planPeriod, policy: input.policy };

  wf.setHandler(planRevisedSignal, (revision) => {
    if (revision.revision <= plan.revision) return;
    plan = { ...revision, policy: keepingRunClock(revision.policy, input.policy) };
    timers.planAgain();
  });
  wf.setHandler(calendarChangedSignal, () => timers.planAgain());
  wf.setHandler(planReportsQuery, () => {
    const next = timers.timers[0];
    return {
      revision: plan.revision,
      after: timers.after,
      next: next ? { kind: next.kind, period: next.period, at: next.at } : null,
    };
  });

  await timers.run({
    plan: async () => {
      const { planPeriod, policy } = plan;
      const planned = await planReportTimers({ planPeriod, policy, after: timers.after });
      if (planned.error)
        wf.log.warn('report timers could not be planned', { planId: input.planId, error: planned.error });
      return planned.events;
    },
    // Every timer whose instant has come, in order (several when the worker was away).
    fireCome: async () => {
      const { timers: events } = timers;
      while (events[0] && timers.come(events[0].at)) {
        const event = events.shift()!;
        await markReports({ planId: input.planId, event, realAt: new Date(timers.realMs(event.at)).toISOString() });
        timers.passed(event.at);
      }
    },
    at: (event) => event.at,
    continueAsNew: () => wf.continueAsNew<typeof planReportsWorkflow>({ ...input, ...plan, after: timers.after }),
  });
}
