/**
 * A plan's clock. Normally plan time is real time. A plan may instead run on a simulated clock,
 * where `secondsPerDay` real seconds stand for one day, starting from `virtualStart` (plan time)
 * at `realStart` (wall clock): tests, training sessions and demonstrations then see a year of
 * reminders, reports and escalations in minutes, computed by exactly the same rules.
 */
export interface SimulatedClock {
  secondsPerDay: number;
  /** ISO instant: the plan time at which the simulation starts. */
  virtualStart: string;
  /** ISO instant: the wall-clock time at which it starts. */
  realStart: string;
}

const DAY_MS = 86_400_000;

export function toPlanTime(real: Date, clock?: SimulatedClock): Date {
  if (!clock) return real;
  const elapsed = real.getTime() - Date.parse(clock.realStart);
  return new Date(Date.parse(clock.virtualStart) + (elapsed * DAY_MS) / (clock.secondsPerDay * 1000));
}

export function toRealTime(plan: Date, clock?: SimulatedClock): Date {
  if (!clock) return plan;
  const elapsed = plan.getTime() - Date.parse(clock.virtualStart);
  return new Date(Date.parse(clock.realStart) + Math.ceil((elapsed * clock.secondsPerDay * 1000) / DAY_MS));
}

/** A run's clock, from the plan policy it started with: plan time now, and a plan instant in real milliseconds. */
export function runClock(clock: SimulatedClock | undefined, realNow: () => Date) {
  return {
    planNow: () => toPlanTime(realNow(), clock),
    realMs: (planInstant: string) => toRealTime(new Date(planInstant), clock).getTime(),
  };
}

/**
 * A revised policy as a running workflow takes it: everything but the clock, which stays the one
 * the run started on (a simulated clock cannot jump mid-run).
 */
export function keepingRunClock(
  revised: Record<string, unknown>,
  started: Record<string, unknown>,
): Record<string, unknown> {
  const { clock: _ignored, ...policy } = revised;
  return started.clock === undefined ? policy : { ...policy, clock: started.clock };
}
