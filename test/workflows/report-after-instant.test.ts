import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, eventually, type TestContext } from '../support/context.ts';
import { importQ1Plan, reportMarksOf } from '../support/report-marks.ts';
import { agencyActor, command, query } from '../support/assignments.ts';

// Finding 3 of RELIABILITY.md: the plan's late mark is written a moment after its instant (the
// whole outage, when the database is away). A report that comes in within that moment is late,
// and filed: its lead is told nothing, as a lead who filed is never chased; it is listed late.

let ctx: TestContext;
let releaseMark: () => void = () => {};
const markHeld = new Promise<void>((resolve) => {
  releaseMark = resolve;
});

beforeAll(async () => {
  ctx = await createTestContext();
  // A worker whose plan's late mark waits for the test: the database is slow to take it.
  await ctx.startWorker({
    activities: (real) => ({
      markReports: async (input) => {
        if (input.event.kind === 'report-due') await markHeld;
        return real.markReports(input);
      },
    }),
  });
});

afterAll(async () => {
  releaseMark();
  await ctx?.close();
});

describe('a report filed after its late mark’s instant, before the mark is written', () => {
  it('is recorded late and filed, and its lead and the coordinator are not told it is missing', async () => {
    // The Q1 report's late mark falls 24 s from now (Friday 20 March 2026, 08:00).
    const { plan, id, markAt } = await importQ1Plan(ctx, ['SNV', 'STP', 'SYT']);
    const marks = reportMarksOf(ctx, plan.slug);
    await eventually(
      async () => ((await marks.filings('2026-Q1')).length === 3 ? true : undefined),
      30_000,
      'every assignment owing its Q1 report',
    );
    const report = (code: string) =>
      command(ctx.client, id(code), agencyActor(code), {
        type: 'fileReport',
        period: '2026-Q1',
        summary: `Báo cáo quý I của ${code}`,
      });

    // Sở Nội vụ reports in time; Sở Tư pháp after the instant, while the mark is being written;
    // Sở Y tế not at all.
    const onTime = await report('SNV');
    expect(Date.now()).toBeLessThan(markAt);
    expect(onTime.reports[0]!.late).toBe(false);
    await new Promise((r) => setTimeout(r, Math.max(0, markAt - Date.now()) + 1000));
    const late = await report('STP');
    expect(late.reports[0]!.late).toBe(true);
    expect(late.latePeriods).toEqual(['2026-Q1']);

    releaseMark();
    // The mark tells Sở Y tế and the coordinator about Sở Y tế's report, and no one else.
    expect(await marks.lateNotices(2)).toEqual(
      [
        [id('SYT'), 'SYT'],
        [id('SYT'), 'coordinator'],
      ].sort(),
    );
    expect(await marks.markedLate()).toEqual([id('SYT')]);
    // The filings as the coordinator lists them: on time, late and filed, late and owed.
    expect(await marks.filings('2026-Q1')).toEqual([
      [id('SNV'), false, true],
      [id('STP'), true, true],
      [id('SYT'), true, false],
    ]);
    expect((await query(ctx.client, id('SYT'))).latePeriods).toEqual(['2026-Q1']);
  }, 150_000);
});
