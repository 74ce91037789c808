import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { keepingRunClock, runClock, toPlanTime } from '../domain/clock.ts';
import { resolvePolicy } from '../domain/policy.ts';
import type { PlanDeadlineTimer } from '../domain/schedule.ts';
import type { IsoDate } from '../domain/types.ts';
import {
  calendarChangedSignal,
  planDeadlinesQuery,
  planDeadlinesRevisedSignal,
  type PlanDeadlinesInput,
  type PlanDeadlinesRevision,
} from './messages.ts';

const { planDeadlineTimers } = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

const { markDeadlines } = wf.proxyActivities<Activities>({
  // One transaction over every assignment due that day: seconds for ten thousand.
  startToCloseTimeout: '5 minutes',
  // The activity beats every 2 s while its transaction runs: a worker that died mid-transaction
  // (which PostgreSQL rolls back) is noticed in 10 s, not at the end of the 5 minutes.
  heartbeatTimeout: '10 seconds',
  // No attempt limit: while the database is down the marks wait, nothing is lost.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The deadline timers of one plan: the due reminders and escalation steps of each of its tasks' due
 * days, fired once for every assignment due that day by the `markDeadlines` activity. On the
 * morning after a common deadline (most tasks of a plan end on 31 December) one workflow wakes
 * instead of ten thousand. The assignments keep these events in their schedule, for their own
 * state, but do not wake for them (see `AssignmentRun.sharedByPlan`); one whose due day moved
 * keeps timers of its own.
 */
export async function planDeadlinesWorkflow(input: PlanDeadlinesInput): Promise<void> {
  const resolved = resolvePolicy(input.policy);
  // The clock a run started on stays, as in the assignments (a simulated one cannot jump).
  const clock = 'policy' in resolved ? resolved.policy.clock : undefined;
  const { planNow, realMs } = runClock(clock, () => new Date());

  let plan: PlanDeadlinesRevision = { revision: input.revision, policy: input.policy, dueDays: input.dueDays };
  let after = input.after ?? toPlanTime(new Date(input.since), clock).toISOString();
  let timers: PlanDeadlineTimer[] = [];
  let replan = true;

  wf.setHandler(planDeadlinesRevisedSignal, (revision) => {
    if (revision.revision <= plan.revision) return;
    // A day is never dropped: an assignment may still be due on it until its new deadline reaches it.
    plan = {
      revision: revision.revision,
      policy: keepingRunClock(revision.policy, input.policy),
      dueDays: union(plan.dueDays, revision.dueDays),
    };
    after = later(after, planNow().toISOString());
    replan = true;
  });
  wf.setHandler(calendarChangedSignal, () => {
    after = later(after, planNow().toISOString());
    replan = true;
  });
  wf.setHandler(planDeadlinesQuery, () => {
    const next = timers[0];
    return {
      revision: plan.revision,
      after,
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

  for (;;) {
    if (replan) {
      replan = false;
      const planned = await planDeadlineTimers({ dueDays: plan.dueDays, policy: plan.policy, after });
      if (planned.error)
        wf.log.warn('deadline timers could not be planned', { planId: input.planId, error: planned.error });
      timers = planned.timers;
    }
    // Every timer whose instant has come (several when the worker was away): one transaction.
    const come: PlanDeadlineTimer[] = [];
    while (timers[0] && realMs(timers[0].event.at) <= Date.now()) come.push(timers.shift()!);
    if (come.length > 0) {
      await markDeadlines({
        planId: input.planId,
        timers: come.map((t) => ({ ...t, realAt: new Date(realMs(t.event.at)).toISOString() })),
      });
      after = later(after, come.at(-1)!.event.at);
    }
    if (replan) continue;
    const next = timers[0];
    // The plan's last deadline timer has passed; a revision starts a new run.
    if (!next) return;
    if (wf.workflowInfo().continueAsNewSuggested) {
      await wf.continueAsNew<typeof planDeadlinesWorkflow>({ ...input, ...plan, after });
    }
    await wf.condition(() => replan, Math.max(0, realMs(next.event.at) - Date.now()));
  }
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function union(a: readonly IsoDate[], b: readonly IsoDate[]): IsoDate[] {
  return [...new Set([...a, ...b])].sort();
}
