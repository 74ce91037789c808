import * as wf from '@temporalio/workflow';
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/common';
import { runClock, toPlanTime } from '../domain/clock.ts';
import { resolvePolicy, type PolicyOverrides } from '../domain/policy.ts';

// What the plan's two timer workflows (plan-reports.ts, plan-deadlines.ts) share: their clock,
// how far they have come, and their loop — plan the timers, fire those whose instant has come, wait
// for the next one or for a reason to plan again.

/** Planning a plan's timers on the worker's calendar: a local activity. */
export const planningOptions: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
};

/** A plan's mark: one transaction over every assignment it concerns, seconds for ten thousand. */
export const markOptions: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  // The activity beats every 2 s while its transaction runs: a worker that died mid-transaction
  // (which PostgreSQL rolls back) is noticed in 10 s, not at the end of the 5 minutes.
  heartbeatTimeout: '10 seconds',
  // No attempt limit: while the database is down the marks wait, nothing is lost.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Runs that record this fire the timers that have come before planning again: a revision or a
 * calendar change arriving with a timer's instant (both in one activation, the worker away) planned
 * from its own moment on and dropped that timer, whose records nobody then wrote, since the
 * assignments wait for the plan's marks and write none of them (assignment-plan-marks.ts).
 */
const FIRE_BEFORE_REPLANNING = 'plan-fires-come-before-replanning';

export class PlanTimers<T> {
  readonly planNow: () => Date;
  readonly realMs: (planInstant: string) => number;
  private readonly firesComeFirst: boolean;
  /** Plan time, ISO: the timers after it are still to fire. */
  after: string;
  replan = true;
  timers: T[] = [];

  constructor(input: { policy: PolicyOverrides; since: string; after?: string }) {
    const resolved = resolvePolicy(input.policy);
    // The clock a run started on stays, as in the assignments (a simulated one cannot jump).
    const clock = 'policy' in resolved ? resolved.policy.clock : undefined;
    ({ planNow: this.planNow, realMs: this.realMs } = runClock(clock, () => new Date()));
    this.after = input.after ?? toPlanTime(new Date(input.since), clock).toISOString();
    this.firesComeFirst = wf.patched(FIRE_BEFORE_REPLANNING);
  }

  /** The plan or the calendar changed: the timers are planned again, looking ahead only, as the assignments do. */
  planAgain(): void {
    this.passed(this.planNow().toISOString());
    this.replan = true;
  }

  /** The timers up to `at` (plan time) have fired. */
  passed(at: string): void {
    if (Date.parse(at) > Date.parse(this.after)) this.after = at;
  }

  /** Whether a timer's instant (plan time) has come. */
  come(at: string): boolean {
    return this.realMs(at) <= Date.now();
  }

  /**
   * The loop: plans when asked (`plan`), fires what has come (`fireCome`), and waits for the next
   * timer (`at` gives its instant); ends once none is left (a revision that extends the plan starts a
   * new run), and continues as new (`continueAsNew`) when Temporal suggests it.
   */
  async run(steps: {
    plan(): Promise<T[]>;
    fireCome(): Promise<void>;
    at(timer: T): string;
    continueAsNew(): Promise<never>;
  }): Promise<void> {
    for (;;) {
      if (this.replan) {
        // The timers planned before, whose instant has come, are fired under the plan they came in.
        if (this.firesComeFirst) await steps.fireCome();
        this.replan = false;
        this.timers = await steps.plan();
      }
      await steps.fireCome();
      if (this.replan) continue;
      const next = this.timers[0];
      if (!next) return;
      if (wf.workflowInfo().continueAsNewSuggested) await steps.continueAsNew();
      await wf.condition(() => this.replan, Math.max(0, this.realMs(steps.at(next)) - Date.now()));
    }
  }
}
