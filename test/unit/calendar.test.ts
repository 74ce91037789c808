import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  buildCalendar,
  CalendarDataError,
  dayOfWeek,
  isIsoDate,
  parseCalendarFile,
} from '../../domain/calendar.ts';
import type { CalendarFile, WorkingCalendar } from '../../domain/calendar.ts';
import {
  calendarDataDir,
  loadCalendar,
  loadCalendarData,
  loadCalendarFiles,
  provisionalYearsAhead,
} from '../../runtime/calendar-files.ts';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadCalendar();
});

function daysOfYear(year: number): string[] {
  const days: string[] = [];
  for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addDays(day, 1)) days.push(day);
  return days;
}

describe('shipped civil-service calendar', () => {
  it('covers 2025 and 2026', () => {
    expect(calendar.years).toEqual([2025, 2026]);
  });

  // Working days per month = weekdays in the month − holidays that fall on weekdays + make-up Saturdays.
  const workingDaysPerMonth: { year: number; months: number[] }[] = [
    {
      year: 2025, // 1 Jan 2025 is a Wednesday
      months: [
        23 - 6, // Jan: 23 weekdays − 1 Jan − Tết Mon 27–Fri 31 Jan
        20, //     Feb: Tết ends Sun 2 Feb, no weekday lost
        21, //     Mar
        22 - 2 + 1, // Apr: − Hùng Kings Mon 7 Apr − Wed 30 Apr + make-up Sat 26 Apr
        22 - 2, // May: − Thu 1 May − Fri 2 May (swapped)
        21, //     Jun
        23, //     Jul
        21, //     Aug: 30–31 Aug fall on the weekend
        22 - 2, // Sep: − Mon 1 and Tue 2 Sep
        23, //     Oct
        20, //     Nov
        23, //     Dec
      ],
    },
    {
      year: 2026, // 1 Jan 2026 is a Thursday
      months: [
        22 - 1, // Jan: − 1 Jan
        20 - 5, // Feb: − Tết Mon 16–Fri 20 Feb
        22, //     Mar
        22 - 2, // Apr: − Mon 27 Apr in lieu − Thu 30 Apr
        21 - 1, // May: − Fri 1 May
        22, //     Jun
        23, //     Jul
        21 - 1 + 1, // Aug: − Mon 31 Aug (swapped) + make-up Sat 22 Aug
        22 - 2, // Sep: − Tue 1 and Wed 2 Sep
        22, //     Oct
        21, //     Nov
        23, //     Dec
      ],
    },
  ];

  describe.each(workingDaysPerMonth)('$year', ({ year, months }) => {
    it.each(months.map((expected, i) => ({ month: i + 1, expected })))(
      'month $month has $expected working days',
      ({ month, expected }) => {
        const prefix = `${year}-${String(month).padStart(2, '0')}`;
        expect(daysOfYear(year).filter((day) => day.startsWith(prefix) && calendar.isWorkingDay(day))).toHaveLength(
          expected,
        );
      },
    );

    it('has 250 working days in the year (261 weekdays − 12 weekday holidays + 1 make-up Saturday)', () => {
      expect(daysOfYear(year).filter((day) => calendar.isWorkingDay(day))).toHaveLength(250);
    });
  });

  // Every day that breaks the Monday–Friday rule, whole year: nothing more, nothing less.
  const exceptions = [
    {
      year: 2025,
      weekdaysOff: [
        '2025-01-01',
        '2025-01-27',
        '2025-01-28',
        '2025-01-29',
        '2025-01-30',
        '2025-01-31',
        '2025-04-07',
        '2025-04-30',
        '2025-05-01',
        '2025-05-02',
        '2025-09-01',
        '2025-09-02',
      ],
      weekendsWorked: ['2025-04-26'],
    },
    {
      year: 2026,
      weekdaysOff: [
        '2026-01-01',
        '2026-02-16',
        '2026-02-17',
        '2026-02-18',
        '2026-02-19',
        '2026-02-20',
        '2026-04-27',
        '2026-04-30',
        '2026-05-01',
        '2026-08-31',
        '2026-09-01',
        '2026-09-02',
      ],
      weekendsWorked: ['2026-08-22'],
    },
  ];
  it.each(exceptions)(
    '$year: exactly the listed weekdays are off and weekend days worked',
    ({ year, weekdaysOff, weekendsWorked }) => {
      const days = daysOfYear(year);
      const weekend = (day: string): boolean => dayOfWeek(day) === 0 || dayOfWeek(day) === 6;
      expect(days.filter((day) => !weekend(day) && !calendar.isWorkingDay(day))).toEqual(weekdaysOff);
      expect(days.filter((day) => weekend(day) && calendar.isWorkingDay(day))).toEqual(weekendsWorked);
    },
  );

  const holidays: [string, string][] = [
    ['2025-01-01', 'Tết Dương lịch'],
    ...['25', '26', '27', '28', '29', '30', '31'].map((d): [string, string] => [`2025-01-${d}`, 'Tết Nguyên đán']),
    ['2025-02-01', 'Tết Nguyên đán'],
    ['2025-02-02', 'Tết Nguyên đán'],
    ['2025-04-07', 'Giỗ Tổ Hùng Vương'],
    ['2025-04-30', 'Ngày Chiến thắng'],
    ['2025-05-01', 'Ngày Quốc tế Lao động'],
    ['2025-05-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4)'],
    ['2025-05-03', 'Nghỉ lễ 30/4 – 1/5'],
    ['2025-05-04', 'Nghỉ lễ 30/4 – 1/5'],
    ['2025-08-30', 'Quốc khánh'],
    ['2025-08-31', 'Quốc khánh'],
    ['2025-09-01', 'Quốc khánh'],
    ['2025-09-02', 'Quốc khánh'],
    ['2026-01-01', 'Tết Dương lịch'],
    ...['14', '15', '16', '17', '18', '19', '20', '21', '22'].map((d): [string, string] => [
      `2026-02-${d}`,
      'Tết Nguyên đán',
    ]),
    ['2026-04-25', 'Giỗ Tổ Hùng Vương'],
    ['2026-04-26', 'Giỗ Tổ Hùng Vương'],
    ['2026-04-27', 'Nghỉ bù Giỗ Tổ Hùng Vương'],
    ['2026-04-30', 'Ngày Chiến thắng'],
    ['2026-05-01', 'Ngày Quốc tế Lao động'],
    ['2026-05-02', 'Nghỉ lễ 30/4 – 1/5'],
    ['2026-05-03', 'Nghỉ lễ 30/4 – 1/5'],
    ['2026-08-29', 'Quốc khánh'],
    ['2026-08-30', 'Quốc khánh'],
    ['2026-08-31', 'Nghỉ hoán đổi (làm bù thứ Bảy 22/8)'],
    ['2026-09-01', 'Quốc khánh'],
    ['2026-09-02', 'Quốc khánh'],
  ];
  it.each(holidays)('%s is a day off: %s', (day, name) => {
    expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.holidayName(day)).toBe(name);
  });

  it('lists no holiday beyond the table above', () => {
    const listed = [...daysOfYear(2025), ...daysOfYear(2026)].filter((day) => calendar.holidayName(day) !== undefined);
    expect(listed).toEqual(holidays.map(([day]) => day));
  });

  it.each([
    ['2026-08-22', 'Làm bù cho thứ Hai 31/8'],
    ['2025-04-26', 'Làm bù cho thứ Sáu 2/5'],
  ])('Saturday %s is a make-up working day', (day, name) => {
    expect(dayOfWeek(day)).toBe(6);
    expect(calendar.isWorkingDay(day)).toBe(true);
    expect(calendar.makeUpDayName(day)).toBe(name);
    expect(calendar.holidayName(day)).toBeUndefined();
    // The neighbouring Sunday stays a day off.
    expect(calendar.isWorkingDay(addDays(day, 1))).toBe(false);
  });

  it('keeps ordinary weekends off and weekdays on', () => {
    expect(calendar.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-03-09')).toBe(true); // Monday
    expect(calendar.holidayName('2026-03-07')).toBeUndefined();
  });
});

describe('shifting a last day to a working day', () => {
  it.each([
    ['2026-02-15', '2026-02-23', 'Sunday inside Tết 2026'],
    ['2026-02-14', '2026-02-23', 'first day of Tết 2026'],
    ['2026-02-20', '2026-02-23', 'Friday inside Tết 2026'],
    ['2026-02-13', '2026-02-13', 'the working Friday before Tết'],
    ['2025-01-25', '2025-02-03', 'first day of Tết 2025'],
    ['2025-01-31', '2025-02-03', 'Friday inside Tết 2025'],
    ['2026-04-25', '2026-04-28', 'Hùng Kings 2026 with the day in lieu'],
    ['2026-04-30', '2026-05-04', '30 April 2026'],
    ['2025-04-30', '2025-05-05', '30 April 2025 with the swapped Friday'],
    ['2025-04-26', '2025-04-26', 'make-up Saturday 2025'],
    ['2026-08-22', '2026-08-22', 'make-up Saturday 2026'],
    ['2026-08-23', '2026-08-24', 'ordinary Sunday'],
    ['2026-08-29', '2026-09-03', 'National Day 2026'],
    ['2025-08-31', '2025-09-03', 'National Day 2025'],
    ['2026-01-01', '2026-01-02', 'New Year 2026'],
    ['2025-12-31', '2025-12-31', 'a working Wednesday'],
  ])('%s → %s (%s)', (day, expected) => {
    expect(calendar.shiftToWorkingDay(day)).toBe(expected);
  });
});

describe('counting working days', () => {
  it.each([
    ['2026-02-13', 1, '2026-02-23', 'over Tết 2026'],
    ['2026-02-23', -1, '2026-02-13', 'back over Tết 2026'],
    ['2026-02-10', 5, '2026-02-24', 'Wed 11, Thu 12, Fri 13, Mon 23, Tue 24'],
    ['2025-01-24', 1, '2025-02-03', 'over Tết 2025'],
    ['2025-12-31', 1, '2026-01-02', 'over the year boundary and 1 Jan'],
    ['2026-01-02', -1, '2025-12-31', 'back over 1 Jan and the year boundary'],
    ['2026-01-02', -2, '2025-12-30', 'two back over the year boundary'],
    ['2026-08-21', 1, '2026-08-22', 'onto the make-up Saturday'],
    ['2026-08-24', -1, '2026-08-22', 'back onto the make-up Saturday'],
    ['2026-08-28', 1, '2026-09-03', 'over National Day 2026'],
    ['2025-12-31', 250, '2026-12-31', 'all 250 working days of 2026'],
    ['2026-03-09', 0, '2026-03-09', 'zero days'],
  ])('addWorkingDays(%s, %i) → %s (%s)', (day, n, expected) => {
    expect(calendar.addWorkingDays(day, n)).toBe(expected);
  });

  it('finds the next working day strictly after a day, even a working one', () => {
    expect(calendar.nextWorkingDay('2026-02-13')).toBe('2026-02-23');
    expect(calendar.nextWorkingDay('2026-02-23')).toBe('2026-02-24');
    expect(calendar.previousWorkingDay('2026-02-23')).toBe('2026-02-13');
  });

  it('refuses what is not a date', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(/not a date/);
    expect(() => calendar.addWorkingDays('2026-02-13', 1.5)).toThrow(/integer/);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
  });

  it('computes a year without its notice from the statutory rules, and says it is provisional', () => {
    expect(calendar.isProvisional(2027)).toBe(true);
    expect(calendar.isProvisional(2026)).toBe(false);
    expect(calendar.holidayName('2027-01-01')).toBe('Tết Dương lịch'); // a Friday
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2027-02-08')).toBe(false); // the third day of Tết
    expect(calendar.nextWorkingDay('2027-02-04')).toBe('2027-02-12');
  });

  it('names the provisional years of the next 90 days, for the warning at start', () => {
    expect(provisionalYearsAhead(calendar, new Date('2026-12-01T09:00:00+07:00'))).toEqual([2027]);
    expect(provisionalYearsAhead(calendar, new Date('2026-06-01T09:00:00+07:00'))).toEqual([]);
  });

  it('changes its version when a notice or the rules change, and only then', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dondoc-calendar-'));
    try {
      for (const name of ['vn-civil-service-2026.json', 'rules.json'])
        await writeFile(path.join(dir, name), await readFile(path.join(calendarDataDir, name)));
      const first = await loadCalendarData(dir);
      expect((await loadCalendarData(dir)).version).toBe(first.version);
      await writeFile(
        path.join(dir, 'vn-civil-service-2027.json'),
        JSON.stringify({ year: 2027, holidays: [{ date: '2027-01-01', name: 'Tết Dương lịch' }], workingDays: [] }),
      );
      const second = await loadCalendarData(dir);
      expect(second.version).not.toBe(first.version);
      expect(second.calendar.isProvisional(2027)).toBe(false);
      expect(first.calendar.isProvisional(2027)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets an official notice win over the rules for its year', () => {
    const withNotice = buildCalendar(
      [{ year: 2027, holidays: [{ date: '2027-02-05', name: 'Tết Nguyên đán' }], workingDays: [] }],
      { provisional: () => ({ year: 0, holidays: [{ date: '2027-01-01', name: 'Tết Dương lịch' }], workingDays: [] }) },
    );
    expect(withNotice.isProvisional(2027)).toBe(false);
    expect(withNotice.isWorkingDay('2027-01-01')).toBe(true);
    expect(withNotice.isWorkingDay('2027-02-05')).toBe(false);
  });
});

describe('building a calendar from data', () => {
  const file = (year: number, holidays: [string, string][], workingDays: [string, string][] = []): CalendarFile => ({
    year,
    holidays: holidays.map(([date, name]) => ({ date, name })),
    workingDays: workingDays.map(([date, name]) => ({ date, name })),
  });

  it('takes a new year from one more file, without code', () => {
    const withNextYear = buildCalendar([file(2027, [['2027-01-01', 'Tết Dương lịch']])]);
    expect(withNextYear.years).toEqual([2027]);
    expect(withNextYear.isWorkingDay('2027-01-01')).toBe(false);
    expect(withNextYear.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it.each([
    {
      what: 'a day listed twice',
      files: [
        file(2026, [
          ['2026-01-01', 'A'],
          ['2026-01-01', 'B'],
        ]),
      ],
      message: '2026-01-01 is listed twice as a holiday',
    },
    {
      what: 'a day both off and worked',
      files: [file(2026, [['2026-08-22', 'Lễ']], [['2026-08-22', 'Làm bù']])],
      message: '2026-08-22 is both a holiday ("Lễ") and a working day ("Làm bù")',
    },
    {
      what: 'a make-up day on a weekday',
      files: [file(2026, [], [['2026-08-21', 'Làm bù']])],
      message: 'make-up working day 2026-08-21 is a Friday',
    },
    {
      what: 'a day outside the file’s year',
      files: [file(2026, [['2025-12-31', 'A']])],
      message: 'holidays[0].date 2025-12-31 is not in 2026',
    },
    {
      what: 'an impossible date',
      files: [file(2026, [['2026-02-30', 'A']])],
      message: 'holidays[0].date "2026-02-30" is not a date',
    },
    {
      what: 'two files for one year',
      files: [file(2026, []), file(2026, [])],
      message: 'calendar 2026: two files for the same year',
    },
  ])('refuses $what', ({ files, message }) => {
    expect(() => buildCalendar(files)).toThrow(CalendarDataError);
    expect(() => buildCalendar(files)).toThrow(message);
  });

  it('reports every fault at once', () => {
    try {
      buildCalendar([
        file(
          2026,
          [
            ['2026-01-01', 'A'],
            ['2026-01-01', 'B'],
          ],
          [['2026-08-21', 'X']],
        ),
      ]);
      expect.unreachable();
    } catch (error) {
      expect((error as CalendarDataError).problems).toHaveLength(2);
    }
  });

  it('checks the shape of a JSON file', () => {
    expect(() => parseCalendarFile({ year: '2026', holidays: [{ date: '2026-01-01' }], extra: 1 }, 'x.json')).toThrow(
      /x\.json: unknown field "extra"[\s\S]*"year" must be an integer[\s\S]*holidays\[0\]\.name must be a string/,
    );
    expect(parseCalendarFile({ year: 2027, holidays: [] }, 'x.json')).toEqual({
      year: 2027,
      holidays: [],
      workingDays: [],
    });
  });
});

describe('reading data/calendar', () => {
  it('reads every JSON file of a directory, so another year is only another file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dondoc-calendar-'));
    try {
      for (const name of ['vn-civil-service-2025.json', 'vn-civil-service-2026.json']) {
        await writeFile(path.join(dir, name), await readFile(path.join(calendarDataDir, name)));
      }
      await writeFile(
        path.join(dir, 'vn-civil-service-2027.json'),
        JSON.stringify({ year: 2027, holidays: [{ date: '2027-01-01', name: 'Tết Dương lịch' }], workingDays: [] }),
      );
      await writeFile(path.join(dir, 'README.txt'), 'not data');
      const files = await loadCalendarFiles(dir);
      expect(files.map((f) => f.year)).toEqual([2025, 2026, 2027]);
      const extended = buildCalendar(files);
      expect(extended.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
      expect(extended.isWorkingDay('2026-08-22')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file that is not valid JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dondoc-calendar-'));
    try {
      await writeFile(path.join(dir, 'broken.json'), '{ "year": 2027, ');
      await expect(loadCalendarFiles(dir)).rejects.toThrow(/broken\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
