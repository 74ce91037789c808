import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { keepingRunClock, runClock, toPlanTime } from '../domain/clock.ts';
import { resolvePolicy } from '../domain/policy.ts';
import type { PlanReportEvent } from '../domain/schedule.ts';
import {
  calendarChangedSignal,
  planReportsQuery,
  planRevisedSignal,
  type PlanReportsInput,
  type PlanReportsRevision,
} from './messages.ts';

const { planReportTimers } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

const { markReports } = wf.proxyActivities<Activities>({
  // One transaction over every assignment of the plan: seconds for ten thousand.
  startToCloseTimeout: '5 minutes',
  // The activity beats every 2 s while its transaction runs: a worker that died mid-transaction
  // (which PostgreSQL rolls back) is noticed in 10 s, not at the end of the 5 minutes.
  heartbeatTimeout: '10 seconds',
  // No attempt limit: while the database is down the marks wait, nothing is lost.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The report timers of one plan: each report's reminders and its late mark, fired
 * once for all the plan's assignments by the `markReports` activity. The assignment workflows
 * keep these events in their schedule, for their own state, but do not wake for them.
 */
export async function planReportsWorkflow(input: PlanReportsInput): Promise<void> {
  const resolved = resolvePolicy(input.policy);
  // The clock a run started on stays, as in the assignments (a simulated one cannot jump).
  const clock = 'policy' in resolved ? resolved.policy.clock : undefined;
  const { planNow, realMs } = runClock(clock, () => new Date());

  let plan: PlanReportsRevision = { revision: input.revision, planPeriod: input.planPeriod, policy: input.policy };
  let after = input.after ?? toPlanTime(new Date(input.since), clock).toISOString();
  let events: PlanReportEvent[] = [];
  let replan = true;

  wf.setHandler(planRevisedSignal, (revision) => {
    if (revision.revision <= plan.revision) return;
    plan = { ...revision, policy: keepingRunClock(revision.policy, input.policy) };
    // As the assignments do, a revised plan's timers look ahead only.
    after = later(after, planNow().toISOString());
    replan = true;
  });
  wf.setHandler(calendarChangedSignal, () => {
    // The days off changed: the timers to come are planned again on the new calendar.
    after = later(after, planNow().toISOString());
    replan = true;
  });
  wf.setHandler(planReportsQuery, () => {
    const next = events[0];
    return {
      revision: plan.revision,
      after,
      next: next ? { kind: next.kind, period: next.period, at: next.at } : null,
    };
  });

  for (;;) {
    if (replan) {
      replan = false;
      const planned = await planReportTimers({ planPeriod: plan.planPeriod, policy: plan.policy, after });
      if (planned.error)
        wf.log.warn('report timers could not be planned', { planId: input.planId, error: planned.error });
      events = planned.events;
    }
    // Every timer whose instant has come, in order (several when the worker was away).
    while (events[0] && realMs(events[0].at) <= Date.now()) {
      const event = events.shift()!;
      await markReports({ planId: input.planId, event, realAt: new Date(realMs(event.at)).toISOString() });
      after = later(after, event.at);
    }
    if (replan) continue;
    const next = events[0];
    // The plan's last report has passed; a revision that extends the plan starts a new run.
    if (!next) return;
    if (wf.workflowInfo().continueAsNewSuggested) {
      await wf.continueAsNew<typeof planReportsWorkflow>({ ...input, ...plan, after });
    }
    await wf.condition(() => replan, Math.max(0, realMs(next.at) - Date.now()));
  }
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}
