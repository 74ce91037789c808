import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { assignments } from '../../db/schema.ts';
import type { Deadline } from '../../domain/types.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importSimulatedPlan, query, quietPolicy, saveHistoryForReplay } from '../support/assignments.ts';
import { planReportsQuery, planReportsWorkflowId } from '../../workflows/messages.ts';

const { EventType } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A worker on the file's task queue whose local activities take `slow` milliseconds more. */
function startWorker(slow: { planSchedule?: number; recordAssignment?: number }) {
  return ctx.startWorker({
    activities: (real) => ({
      planSchedule: async (input) => {
        await sleep(slow.planSchedule ?? 0);
        return real.planSchedule(input);
      },
      recordAssignment: async (input) => {
        await sleep(slow.recordAssignment ?? 0);
        return real.recordAssignment(input);
      },
    }),
  });
}

const describeEvent = (e: HistoryEvent) =>
  `${e.eventId} ${EventType[e.eventType!]} ${e.markerRecordedEventAttributes?.markerName ?? ''}`.trim();

/**
 * Starts an assignment while no worker polls its task queue and queries it: the server holds the
 * query and hands it to the worker with the first workflow task, so the query meets that task for
 * certain. Returns the answer and the history once the workflow rests.
 */
async function queriedInItsFirstTask(
  deadline: Deadline,
  slow: Parameters<typeof startWorker>[0],
  periodEnd = '2026-12-31',
) {
  const { plan } = await importSimulatedPlan(ctx, {
    virtualStart: '2026-03-02T09:00:00+07:00',
    secondsPerDay: 86_400,
    policy: quietPolicy,
    periodEnd,
    tasks: [{ leads: ['SNV'], deadline }],
  });
  const id = `${plan.slug}:1:SNV`;
  const answer = query(ctx.client, id);
  await sleep(1_000);
  const stop = await startWorker(slow);
  try {
    const view = await answer;
    await eventually(async () => {
      const [row] = await ctx.database.db.select().from(assignments).where(eq(assignments.id, id));
      return row && row.version >= 1 ? row : undefined;
    });
    const events = await eventually(async () => {
      const all = (await ctx.client.workflow.getHandle(id).fetchHistory()).events ?? [];
      return all.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED) ? all : undefined;
    });
    return { id, view, events };
  } finally {
    await stop();
  }
}

/** Workflow tasks completed before the workflow first rests on a timer: 1 when the first task stayed whole. */
const tasksUntilResting = (events: HistoryEvent[]) =>
  events
    .slice(
      0,
      events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED),
    )
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length;

async function replayError(id: string, events: HistoryEvent[]): Promise<string | undefined> {
  return Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, { events }, id).then(
    () => undefined,
    (error: unknown) => String(error),
  );
}

describe('a query that reaches an assignment in its first workflow task', () => {
  it.each([
    {
      name: 'first-task-query',
      what: 'a dated task',
      deadline: { kind: 'date', due: '2026-06-30', raw: 'Tháng 6/2026' } as Deadline,
      slow: {},
      periodEnd: undefined,
    },
    {
      name: 'first-task-query-slow-plan',
      what: 'a dated task whose timers take a second to plan',
      deadline: { kind: 'date', due: '2026-06-30', raw: 'Tháng 6/2026' } as Deadline,
      slow: { planSchedule: 1_000 },
      periodEnd: undefined,
    },
    {
      name: 'first-task-query-yearly',
      what: 'a yearly task of a two-year plan whose first projection takes a second',
      deadline: { kind: 'recurring', recurrence: { every: 'year' }, raw: 'Hằng năm' } as Deadline,
      slow: { recordAssignment: 1_000 },
      periodEnd: '2027-12-31',
    },
  ])('$what: is answered, and the history it leaves replays', async ({ name, deadline, slow, periodEnd }) => {
    const { id, view, events } = await queriedInItsFirstTask(deadline, slow, periodEnd);
    // Answered from the first task: assigned, not yet projected.
    expect(view).toMatchObject({ status: 'assigned', version: 1 });
    // The query split the first task: the history has the shape that used to break replay.
    expect(tasksUntilResting(events), events.map(describeEvent).join('\n')).toBeGreaterThan(1);
    expect(await replayError(id, events)).toBeUndefined();
    await saveHistoryForReplay(ctx.client, id, name);
  });

  // The plan's report timers ask no patch: a query that splits their first task (after its local
  // activity) leaves a history that replays as it is.
  it("a plan's report timers: are answered, and the history the query leaves replays", async () => {
    const { plan } = await importSimulatedPlan(ctx, {
      virtualStart: '2026-03-02T09:00:00+07:00',
      secondsPerDay: 86_400,
      policy: { ...quietPolicy, reports: ['Q1'] },
      tasks: [{ leads: ['SNV'], deadline: { kind: 'date', due: '2026-06-30', raw: 'Tháng 6/2026' } }],
    });
    const id = planReportsWorkflowId(plan.id);
    const handle = ctx.client.workflow.getHandle(id);
    const answer = handle.query(planReportsQuery);
    await sleep(1_000);
    const stop = await startWorker({});
    try {
      // Answered from the first task, before its timers were planned.
      expect(await answer).toMatchObject({ revision: 1 });
      const events = await eventually(async () => {
        const all = (await handle.fetchHistory()).events ?? [];
        return all.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED) ? all : undefined;
      });
      expect(tasksUntilResting(events), events.map(describeEvent).join('\n')).toBeGreaterThan(1);
      expect(await replayError(id, events)).toBeUndefined();
      expect((await handle.query(planReportsQuery)).next).toMatchObject({ kind: 'report-due', period: '2026-Q1' });
      await saveHistoryForReplay(ctx.client, id, 'first-task-query-plan-reports');
    } finally {
      await stop();
    }
  });
});
