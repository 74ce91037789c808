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
