import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../../domain/calendar.ts';
import { defaultPolicy } from '../../domain/policy.ts';
import type { PlanPolicy } from '../../domain/policy.ts';
import {
  parseReportPeriodId,
  reportPeriod,
  reportPeriodsBetween,
  reportWindowsBetween,
} from '../../domain/report-periods.ts';
import type { ReportKind } from '../../domain/report-periods.ts';
import { loadCalendar } from '../../runtime/calendar-files.ts';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadCalendar();
});

const noLaterThan20th: PlanPolicy = { ...defaultPolicy, reportDueRule: 'no-later-than-20th' };

describe('the four reports of 2026', () => {
  // Data windows from letter 581/BNV-CCHC; last days the 19th ("before the 20th") or the 20th.
  // 2026: 19 Mar Thu, 20 Mar Fri; 19 Jun Fri, 20 Jun Sat; 19 Sep Sat, 20 Sep Sun; 19 Dec Sat, 20 Dec Sun.
  const table: {
    kind: ReportKind;
    windowStart: string;
    windowEnd: string;
    before20th: [string, string];
    noLaterThan20th: [string, string];
  }[] = [
    {
      kind: 'Q1',
      windowStart: '2025-12-15',
      windowEnd: '2026-03-14',
      before20th: ['2026-03-19', '2026-03-19'],
      noLaterThan20th: ['2026-03-20', '2026-03-20'],
    },
    {
      kind: 'H1',
      windowStart: '2025-12-15',
      windowEnd: '2026-06-14',
      before20th: ['2026-06-19', '2026-06-19'],
      noLaterThan20th: ['2026-06-20', '2026-06-22'],
    },
    {
      kind: 'Q3',
      windowStart: '2026-06-15',
      windowEnd: '2026-09-14',
      before20th: ['2026-09-19', '2026-09-21'],
      noLaterThan20th: ['2026-09-20', '2026-09-21'],
    },
    {
      kind: 'Y',
      windowStart: '2025-12-15',
      windowEnd: '2026-12-14',
      before20th: ['2026-12-19', '2026-12-21'],
      noLaterThan20th: ['2026-12-20', '2026-12-21'],
    },
  ];

  it.each(table)(
    '$kind: window $windowStart – $windowEnd, before the 20th → $before20th',
    ({ kind, windowStart, windowEnd, before20th }) => {
      expect(reportPeriod(2026, kind, defaultPolicy, calendar)).toEqual({
        id: `2026-${kind}`,
        kind,
        year: 2026,
        windowStart,
        windowEnd,
        lastDay: before20th[0],
        effectiveLastDay: before20th[1],
      });
    },
  );

  it.each(table)(
    '$kind: no later than the 20th → $noLaterThan20th',
    ({ kind, noLaterThan20th: [lastDay, effectiveLastDay] }) => {
      expect(reportPeriod(2026, kind, noLaterThan20th, calendar)).toMatchObject({ lastDay, effectiveLastDay });
    },
  );

  it.each(table)('$kind: without the shift the last day stays put', ({ kind, before20th: [lastDay] }) => {
    expect(
      reportPeriod(2026, kind, { ...defaultPolicy, shiftDeadlineToWorkingDay: false }, calendar).effectiveLastDay,
    ).toBe(lastDay);
  });
});

describe('the four reports of 2025', () => {
  // 2025: the 19ths are Wed, Thu, Fri, Fri (no shift); the 20ths Thu, Fri, Sat, Sat.
  it.each([
    ['Q1', '2025-03-19', '2025-03-20'],
    ['H1', '2025-06-19', '2025-06-20'],
    ['Q3', '2025-09-19', '2025-09-22'],
    ['Y', '2025-12-19', '2025-12-22'],
  ] as const)('%s: %s before the 20th, %s no later than the 20th', (kind, before, noLater) => {
    expect(reportPeriod(2025, kind, defaultPolicy, calendar).effectiveLastDay).toBe(before);
    expect(reportPeriod(2025, kind, noLaterThan20th, calendar).effectiveLastDay).toBe(noLater);
  });
});

describe('reports between two days', () => {
  it('lists both years in the order they fall due', () => {
    expect(reportPeriodsBetween('2025-01-01', '2026-12-31', defaultPolicy, calendar).map((p) => p.id)).toEqual([
      '2025-Q1',
      '2025-H1',
      '2025-Q3',
      '2025-Y',
      '2026-Q1',
      '2026-H1',
      '2026-Q3',
      '2026-Y',
    ]);
  });

  it('goes by the effective last day, both ends included', () => {
    expect(reportPeriodsBetween('2026-09-21', '2026-12-21', defaultPolicy, calendar).map((p) => p.id)).toEqual([
      '2026-Q3',
      '2026-Y',
    ]);
    // 19 Sep 2026 is a Saturday: with the shift the report is not due that day.
    expect(reportPeriodsBetween('2026-09-19', '2026-09-20', defaultPolicy, calendar)).toEqual([]);
    const unshifted = { ...defaultPolicy, shiftDeadlineToWorkingDay: false };
    expect(reportPeriodsBetween('2026-09-19', '2026-09-19', unshifted, calendar).map((p) => p.id)).toEqual(['2026-Q3']);
  });

  it('includes the previous year’s annual report when its shifted day falls in range', () => {
    // 2025-Y is due 19 Dec 2025; a span starting 20 Dec 2025 does not hold it.
    expect(reportPeriodsBetween('2025-12-20', '2026-03-31', defaultPolicy, calendar).map((p) => p.id)).toEqual([
      '2026-Q1',
    ]);
    expect(reportPeriodsBetween('2025-12-19', '2026-03-31', defaultPolicy, calendar).map((p) => p.id)).toEqual([
      '2025-Y',
      '2026-Q1',
    ]);
  });

  it('keeps only the reports the policy asks for', () => {
    expect(
      reportPeriodsBetween('2026-01-01', '2026-12-31', { ...defaultPolicy, reports: ['Y', 'H1'] }, calendar).map(
        (p) => p.id,
      ),
    ).toEqual(['2026-H1', '2026-Y']);
  });
});

describe('report period ids', () => {
  it.each([
    ['2026-Q1', { year: 2026, kind: 'Q1' }],
    ['2026-H1', { year: 2026, kind: 'H1' }],
    ['2025-Q3', { year: 2025, kind: 'Q3' }],
    ['2030-Y', { year: 2030, kind: 'Y' }],
    ['2026-Q2', null],
    ['2026-q1', null],
    ['26-Q1', null],
    ['2026-Y ', null],
  ])('%s → %o', (id, expected) => {
    expect(parseReportPeriodId(id)).toEqual(expected);
  });

  it('reads back every id it writes', () => {
    for (const period of reportPeriodsBetween('2025-01-01', '2026-12-31', defaultPolicy, calendar)) {
      expect(parseReportPeriodId(period.id)).toEqual({ year: period.year, kind: period.kind });
    }
  });
});

describe('the data cut-offs between two days (the dashboard’s periods)', () => {
  it('lists every kind whose window ends in the range, whatever the plan asks for', () => {
    expect(reportWindowsBetween('2026-03-14', '2027-03-13').map((w) => [w.id, w.windowEnd])).toEqual([
      ['2026-Q1', '2026-03-14'],
      ['2026-H1', '2026-06-14'],
      ['2026-Q3', '2026-09-14'],
      ['2026-Y', '2026-12-14'],
    ]);
  });

  it('gives each period the window its report has', () => {
    for (const w of reportWindowsBetween('2025-01-01', '2026-12-31')) {
      const period = reportPeriod(w.year, w.kind, defaultPolicy, calendar);
      expect([w.windowStart, w.windowEnd]).toEqual([period.windowStart, period.windowEnd]);
    }
  });
});
