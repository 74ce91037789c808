// Bench-only workflow types: the least a workflow can do, so that what Temporal itself costs on
// this machine is measured beside what our workflows cost. Bundled apart from workflows/ and run by
// bench/ceiling-worker.ts on a task queue of its own.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { CeilingActivities } from './ceiling-activities.ts';

// Same timeout and retry policy as the assignment workflow's recordAssignment.
const { insertBenchRow } = proxyActivities<CeilingActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Nothing at all: one start and one workflow task. */
export async function benchEmptyWorkflow(): Promise<void> {}

/** One activity writing one row: one start, two workflow tasks and one activity. */
export async function benchWriteRowWorkflow(key: string): Promise<void> {
  await insertBenchRow({ key, sleptAt: null });
}

/** Sleeps until `wakeAt` (epoch ms), then writes one row: a timer, two workflow tasks and one activity. */
export async function benchSleepThenWriteWorkflow(input: { key: string; wakeAt: number }): Promise<void> {
  // Workflow time: when this workflow's first task ran, recorded so the bench can check that every
  // timer was started before the instant.
  const sleptAt = Date.now();
  if (input.wakeAt > sleptAt) await sleep(input.wakeAt - sleptAt);
  await insertBenchRow({ key: input.key, sleptAt });
}

/** Sleeps until `wakeAt` (epoch ms) and ends: a timer and two workflow tasks, nothing written. */
export async function benchSleepWorkflow(input: { wakeAt: number }): Promise<void> {
  const now = Date.now();
  if (input.wakeAt > now) await sleep(input.wakeAt - now);
}
