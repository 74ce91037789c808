import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDataDir, loadCalendarData } from '../../runtime/calendar-files.ts';
import { announceCalendarChange } from '../../services/calendar-change.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { importSimulatedPlan, quietPolicy, saveHistoryForReplay, waitForState } from '../support/assignments.ts';

let ctx: TestContext;
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  dir = await mkdtemp(join(tmpdir(), 'dondoc-calendar-change-'));
  for (const name of ['vn-civil-service-2025.json', 'vn-civil-service-2026.json', 'rules.json'])
    await copyFile(join(calendarDataDir, name), join(dir, name));
});

afterAll(async () => {
  await ctx?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a year without its notice, then the notice arrives', () => {
  it('plans 2027 on the provisional calendar, and plans again when the calendar data changes', async () => {
    const before = await loadCalendarData(dir);
    expect(before.calendar.isProvisional(2027)).toBe(true);
    const stopFirst = await ctx.startWorker({ calendar: before.calendar });
    expect(await announceCalendarChange(ctx.deps, before.version)).toMatchObject({ changed: true });

    // Plan time Monday 4 January 2027 09:00, at the pace of real time: no timer fires during the test.
    const result = await importSimulatedPlan(ctx, {
      virtualStart: '2027-01-04T09:00:00+07:00',
      secondsPerDay: 86_400,
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
      // One escalation, the first working day after the due day; the ack chase long after.
      policy: { ...quietPolicy, ackChaseWorkingDays: 100, escalation: [{ level: 1, afterWorkingDays: 1 }] },
      tasks: [
        // The third day of Tết 2027 by the statutory rules: moved past the break and its make-up days.
        { leads: ['SNV'], deadline: { kind: 'date', due: '2027-02-08', raw: 'Ngày 08/02/2027' } },
        { leads: ['STC'], deadline: { kind: 'date', due: '2027-03-10', raw: 'Ngày 10/3/2027' } },
      ],
    });
    const tet = `${result.plan.slug}:1:SNV`;
    const march = `${result.plan.slug}:2:STC`;
    // Until its schedule is planned, an assignment shows the due day as written: wait for its next timer.
    expect((await waitForState(ctx.client, tet, (v) => v.nextEvent !== null)).effectiveDue).toBe('2027-02-12');
    const planned = await waitForState(ctx.client, march, (v) => v.nextEvent !== null);
    expect(planned.effectiveDue).toBe('2027-03-10');
    expect(planned.nextEvent).toEqual({ kind: 'escalation', at: '2027-03-11T08:00:00+07:00' });

    // The 2027 notice is published with a day off the rules did not know, and deployed.
    await writeFile(
      join(dir, 'vn-civil-service-2027.json'),
      JSON.stringify({
        year: 2027,
        source: 'A notice made up for this test.',
        holidays: [
          { date: '2027-01-01', name: 'Tết Dương lịch' },
          ...['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'].map(
            (date) => ({ date, name: 'Tết Nguyên đán' }),
          ),
          { date: '2027-03-10', name: 'Ngày nghỉ thử nghiệm' },
        ],
        workingDays: [],
      }),
    );
    const after = await loadCalendarData(dir);
    expect(after.version).not.toBe(before.version);
    expect(after.calendar.isProvisional(2027)).toBe(false);
    await stopFirst();
    await ctx.startWorker({ calendar: after.calendar });

    expect(await announceCalendarChange(ctx.deps, after.version)).toMatchObject({ changed: true, assignments: 2 });
    const moved = await waitForState(ctx.client, march, (v) => v.effectiveDue === '2027-03-11', 20_000, 'the re-plan');
    expect(moved.nextEvent).toEqual({ kind: 'escalation', at: '2027-03-12T08:00:00+07:00' });
    // Told once per version.
    expect(await announceCalendarChange(ctx.deps, after.version)).toEqual({
      changed: false,
      assignments: 0,
      plans: 0,
    });
    await saveHistoryForReplay(ctx.client, march, 'calendar-change');
  });
});
