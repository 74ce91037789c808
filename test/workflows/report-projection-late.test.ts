import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importQ1Plan, reportMarksOf } from '../support/report-marks.ts';
import { agencyActor, command, saveHistoryForReplay } from '../support/assignments.ts';

// Finding 7 of RELIABILITY.md: a report the workflow accepted in time, whose write to the read model
// is held up past the plan's late mark (the database away), was marked late by the plan, which
// reads the read model: its lead and the coordinator were told an on-time report was missing.

let ctx: TestContext;
/** Assignments whose writes to the read model fail, as when the database is away. */
const unwritable = new Set<string>();

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker({
    activities: (real) => ({
      recordAssignment: async (input) => {
        if (unwritable.has(input.snapshot.id)) throw new Error('connect ECONNREFUSED (the database is away)');
        return real.recordAssignment(input);
      },
    }),
  });
});

afterAll(async () => {
  unwritable.clear();
  await ctx?.close();
});

describe('a report filed in time whose write reaches the read model after the late mark', () => {
  it('is not told late, and is not counted late; the report never filed is', async () => {
    // The Q1 report's late mark falls 24 s from now (Friday 20 March 2026, 08:00).
    const { plan, id, markAt } = await importQ1Plan(ctx, ['SNV', 'SYT']);
    const marks = reportMarksOf(ctx, plan.slug);
    await eventually(
      async () => ((await marks.filings('2026-Q1')).length === 2 ? true : undefined),
      30_000,
      'both filings owed',
    );

    // Sở Nội vụ files in time, but its write cannot reach the read model until after the mark's
    // instant; Sở Y tế never files.
    unwritable.add(id('SNV'));
    const filed = await command(ctx.client, id('SNV'), agencyActor('SNV'), {
      type: 'fileReport',
      period: '2026-Q1',
      summary: 'Báo cáo quý I của Sở Nội vụ',
    });
    expect(Date.now()).toBeLessThan(markAt);
    expect(filed.reports[0]!.late).toBe(false);
    await new Promise((r) => setTimeout(r, Math.max(0, markAt - Date.now()) + 5_000));
    // Past the instant, the read model still shows Sở Nội vụ's report owed.
    expect(await marks.filings('2026-Q1')).toContainEqual([id('SNV'), false, false]);
    unwritable.delete(id('SNV'));

    // Only Sở Y tế's missing report is chased: its lead and the coordinator are told.
    expect(await marks.lateNotices(2)).toEqual(
      [
        [id('SYT'), 'SYT'],
        [id('SYT'), 'coordinator'],
      ].sort(),
    );
    expect(await marks.markedLate()).toEqual([id('SYT')]);
    // As the coordinator's report list counts them: Sở Nội vụ filed on time, Sở Y tế late and owed.
    expect(await marks.filings('2026-Q1')).toEqual([
      [id('SNV'), false, true],
      [id('SYT'), true, false],
    ]);
    // The run that showed its unwritten change to the plan's marks, for the replay test.
    await saveHistoryForReplay(ctx.client, id('SNV'), 'report-written-after-mark');
  }, 180_000);
});
