import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarChangedSignal, planReportsWorkflowId } from '../../workflows/messages.ts';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importQ1Plan, reportMarksOf } from '../support/report-marks.ts';
import { saveHistoryForReplay } from '../support/assignments.ts';

// The plan is the only writer of its instants' records: a timer it drops is a mark nobody writes.
// With the worker away over a late mark's instant, the calendar changes (the plan is told to plan
// its timers again); the worker that comes back meets both at once. The plan first fires what came
// under the timers it had, then plans again.

let ctx: TestContext;
let stopWorker: () => Promise<void> = async () => {};

beforeAll(async () => {
  ctx = await createTestContext();
  stopWorker = await ctx.startWorker();
});

afterAll(async () => {
  await ctx?.close();
});

describe("a plan's report timers told to plan again while the worker was away over an instant", () => {
  it('still write the late mark that came, once', async () => {
    // The Q1 report's late mark falls 24 s from now; nobody files.
    const { plan, id, markAt } = await importQ1Plan(ctx, ['SNV', 'STP']);
    const marks = reportMarksOf(ctx, plan.slug);
    await eventually(
      async () => ((await marks.filings('2026-Q1')).length === 2 ? true : undefined),
      30_000,
      'every assignment owing its Q1 report',
    );
    await stopWorker();
    await new Promise((r) => setTimeout(r, Math.max(0, markAt - Date.now()) + 2000));
    await ctx.client.workflow.getHandle(planReportsWorkflowId(plan.id)).signal(calendarChangedSignal, '2026');
    await ctx.startWorker();

    expect(await marks.lateNotices(4)).toEqual(
      [
        [id('SNV'), 'SNV'],
        [id('SNV'), 'coordinator'],
        [id('STP'), 'STP'],
        [id('STP'), 'coordinator'],
      ].sort(),
    );
    expect((await marks.markedLate()).sort()).toEqual([id('SNV'), id('STP')].sort());
    await saveHistoryForReplay(
      ctx.client,
      planReportsWorkflowId(plan.id),
      'plan-report-timers-fired-before-replanning',
    );
  }, 120_000);
});
