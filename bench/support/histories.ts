import type { Client } from '@temporalio/client';

// Where a workflow's time goes, read from a sample of event histories (the server stamps every
// event): how many workflow tasks and activities each workflow needed, how long tasks waited in
// their queue before a worker took them, and how long they ran.

type HistoryEvent = NonNullable<
  Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']
>[number];

/** The server's timestamp of an event, epoch ms. */
export function ms(event: HistoryEvent): number {
  const t = event.eventTime;
  return Number(t?.seconds?.toString() ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
}

export interface HistoryStats {
  sampled: number;
  /** Per workflow, in the part of the history looked at. */
  workflowTasks: number;
  activities: number;
  localActivities: number;
  failedTasks: number;
  historyEvents: number;
  /** The latest of the sampled workflows' first TimerStarted events, epoch ms (NaN without timers). */
  lastTimerStartedAt: number;
  /** Milliseconds, median and 90th percentile over every task of the sample. */
  workflowTaskWait: Percentiles;
  workflowTaskRun: Percentiles;
  activityWait: Percentiles;
  activityRun: Percentiles;
}

export interface Percentiles {
  p50: number;
  p90: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: NaN, p90: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p90: at(0.9), max: sorted.at(-1)! };
}

/** Picks `n` of `ids` spread evenly (first, last and between), so early and late starters are both seen. */
export function spread<T>(ids: readonly T[], n: number): T[] {
  if (ids.length <= n) return [...ids];
  return Array.from({ length: n }, (_, i) => ids[Math.round((i * (ids.length - 1)) / (n - 1))]!);
}

/**
 * Reads the histories of `workflowIds`. `part` picks what is counted: the whole history, or only
 * what follows the first fired timer (what a timer instant costs).
 */
export async function historyStats(
  client: Client,
  workflowIds: string[],
  part: 'all' | 'after-timer',
): Promise<HistoryStats> {
  const waits = { wft: [] as number[], wftRun: [] as number[], act: [] as number[], actRun: [] as number[] };
  let workflowTasks = 0;
  let activities = 0;
  let localActivities = 0;
  let failedTasks = 0;
  let historyEvents = 0;
  let lastTimerStartedAt = NaN;
  for (const id of workflowIds) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    let events = history.events ?? [];
    historyEvents += events.length;
    const timer = events.find((e) => e.timerStartedEventAttributes);
    if (timer)
      lastTimerStartedAt = Number.isNaN(lastTimerStartedAt) ? ms(timer) : Math.max(lastTimerStartedAt, ms(timer));
    if (part === 'after-timer') {
      const fired = events.findIndex((e) => e.timerFiredEventAttributes);
      events = fired < 0 ? [] : events.slice(fired);
    }
    const at = new Map(events.map((e) => [Number(e.eventId?.toString()), ms(e)]));
    for (const e of events) {
      if (e.workflowTaskCompletedEventAttributes) {
        workflowTasks += 1;
        const started = at.get(Number(e.workflowTaskCompletedEventAttributes.startedEventId?.toString()));
        if (started !== undefined) waits.wftRun.push(ms(e) - started);
      } else if (e.workflowTaskStartedEventAttributes) {
        const scheduled = at.get(Number(e.workflowTaskStartedEventAttributes.scheduledEventId?.toString()));
        if (scheduled !== undefined) waits.wft.push(ms(e) - scheduled);
      } else if (e.activityTaskScheduledEventAttributes) {
        activities += 1;
      } else if (e.activityTaskStartedEventAttributes) {
        const scheduled = at.get(Number(e.activityTaskStartedEventAttributes.scheduledEventId?.toString()));
        if (scheduled !== undefined) waits.act.push(ms(e) - scheduled);
      } else if (e.activityTaskCompletedEventAttributes) {
        const started = at.get(Number(e.activityTaskCompletedEventAttributes.startedEventId?.toString()));
        if (started !== undefined) waits.actRun.push(ms(e) - started);
      } else if (e.markerRecordedEventAttributes) {
        localActivities += 1;
      } else if (
        e.workflowTaskFailedEventAttributes ||
        e.workflowTaskTimedOutEventAttributes ||
        e.activityTaskFailedEventAttributes ||
        e.activityTaskTimedOutEventAttributes
      ) {
        failedTasks += 1;
      }
    }
  }
  const n = Math.max(1, workflowIds.length);
  return {
    sampled: workflowIds.length,
    workflowTasks: workflowTasks / n,
    activities: activities / n,
    localActivities: localActivities / n,
    failedTasks: failedTasks / n,
    historyEvents: historyEvents / n,
    lastTimerStartedAt,
    workflowTaskWait: percentiles(waits.wft),
    workflowTaskRun: percentiles(waits.wftRun),
    activityWait: percentiles(waits.act),
    activityRun: percentiles(waits.actRun),
  };
}

/** Stands in for a side that was not run (BENCH_ONLY). */
export function noHistory(): HistoryStats {
  const none = { p50: NaN, p90: NaN, max: NaN };
  return {
    sampled: 0,
    workflowTasks: NaN,
    activities: NaN,
    localActivities: NaN,
    failedTasks: NaN,
    historyEvents: NaN,
    lastTimerStartedAt: NaN,
    workflowTaskWait: none,
    workflowTaskRun: none,
    activityWait: none,
    activityRun: none,
  };
}

/** Workflow tasks completed at or after `sinceMs` in the histories of `workflowIds`. */
export async function workflowTasksSince(client: Client, workflowIds: string[], sinceMs: number): Promise<number> {
  let n = 0;
  for (const id of workflowIds) {
    const { events } = await client.workflow.getHandle(id).fetchHistory();
    n += (events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes && ms(e) >= sinceMs).length;
  }
  return n;
}
