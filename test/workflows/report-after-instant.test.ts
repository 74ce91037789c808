import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, eventually, latch, type TestContext } from '../support/context.ts';
import { importQ1Plan, reportMarksOf } from '../support/report-marks.ts';
import { agencyActor, command, query, saveHistoryForReplay } from '../support/assignments.ts';

// Finding 3 of RELIABILITY.md: the plan's late mark is written a moment after its instant (the
// whole outage, when the database is away). A report that comes in within that moment waits for
// the mark: the mark then sees the assignments as they stood at the instant, so its lead is told,
// as every lead still owing the report at the instant is, and the report is filed late. What a lead
// and the coordinator are told does not depend on how long the mark took.

let ctx: TestContext;
/** Opened by the test to let the plan's late mark run. */
const release = latch();

beforeAll(async () => {
  ctx = await createTestContext();
  // A worker whose plan's late mark waits for the test: the database is slow to take it.
  await ctx.startWorker({
    activities: (real) => ({
      markReports: async (input) => {
        if (input.event.kind === 'report-due') await release.passed;
        return real.markReports(input);
      },
    }),
  });
});

afterAll(async () => {
  release.open();
  await ctx?.close();
});

describe('a report filed after its late mark’s instant, before the mark is written', () => {
  it('waits for the mark, is filed late, and its lead is told as every lead owing it at the instant is', async () => {
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
    let answered = false;
    const late = report('STP').finally(() => {
      answered = true;
    });
    // The report waits in the workflow while the mark is held.
    await new Promise((r) => setTimeout(r, 3000));
    expect(answered).toBe(false);
    expect((await query(ctx.client, id('STP'))).reports).toEqual([]);
    release.open();
    const filed = await late;
    expect(filed.reports[0]!.late).toBe(true);
    expect(filed.latePeriods).toEqual(['2026-Q1']);

    // The mark tells both leads that owed the report at the instant, and the coordinator of each.
    expect(await marks.lateNotices(4)).toEqual(
      [
        [id('STP'), 'STP'],
        [id('STP'), 'coordinator'],
        [id('SYT'), 'SYT'],
        [id('SYT'), 'coordinator'],
      ].sort(),
    );
    expect((await marks.markedLate()).sort()).toEqual([id('STP'), id('SYT')].sort());
    // The filings as the coordinator lists them: on time, late and filed, late and owed.
    expect(await marks.filings('2026-Q1')).toEqual([
      [id('SNV'), false, true],
      [id('STP'), true, true],
      [id('SYT'), true, false],
    ]);
    expect((await query(ctx.client, id('SYT'))).latePeriods).toEqual(['2026-Q1']);
    await saveHistoryForReplay(ctx.client, id('STP'), 'report-waits-for-plan-mark');
  }, 150_000);
});
