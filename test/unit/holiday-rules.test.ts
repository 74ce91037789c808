import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCalendar, CalendarDataError, dayOfWeek, parseCalendarFile } from '../../domain/calendar.ts';
import type { CalendarEntry, CalendarFile } from '../../domain/calendar.ts';
import { parseHolidayRules, provisionalYear } from '../../domain/holiday-rules.ts';
import type { HolidayRules } from '../../domain/holiday-rules.ts';

const dataDir = new URL('../../data/', import.meta.url);

async function readJson(name: string): Promise<unknown> {
  return JSON.parse(await readFile(new URL(name, dataDir), 'utf8'));
}

let rules: HolidayRules;
const official: Record<number, CalendarFile> = {};
beforeAll(async () => {
  rules = parseHolidayRules(await readJson('calendar/rules.json'), 'calendar/rules.json');
  for (const year of [2025, 2026]) {
    const name = `calendar/vn-civil-service-${year}.json`;
    official[year] = parseCalendarFile(await readJson(name), name);
  }
});

const pairs = (entries: CalendarEntry[]): string[] => entries.map((e) => `${e.date} ${e.name}`);
const isWeekend = (date: string): boolean => dayOfWeek(date) === 0 || dayOfWeek(date) === 6;
const isMakeUp = (entry: CalendarEntry): boolean => entry.name.startsWith('Nghỉ bù ');

describe('provisional years against the official ones', () => {
  // An official notice lists more days off than the statute: the weekends that open or close a
  // break, and swapped days. So the check is containment, and the surplus is named.
  it('2026: every day the rules give is in the official file, under the same name', () => {
    const provisional = provisionalYear(rules, 2026);
    const officialPairs = new Set(pairs(official[2026]!.holidays));
    expect(pairs(provisional.holidays).filter((p) => !officialPairs.has(p))).toEqual([]);
    // Including the make-up for Giỗ Tổ on Sunday 26 April, which the notice gives as the rules do.
    expect(provisional.holidays).toContainEqual(
      expect.objectContaining({ date: '2026-04-27', name: 'Nghỉ bù Giỗ Tổ Hùng Vương' }),
    );

    const provisionalDates = new Set(provisional.holidays.map((e) => e.date));
    const surplus = official[2026]!.holidays.filter((e) => !provisionalDates.has(e.date));
    expect(surplus.map((e) => e.date)).toEqual([
      '2026-02-14', // Tết break opens on a Saturday
      '2026-02-15',
      '2026-02-21', // … and closes on a Sunday
      '2026-02-22',
      '2026-04-25', // Saturday before Giỗ Tổ
      '2026-05-02', // weekend after 30/4 – 1/5
      '2026-05-03',
      '2026-08-29', // weekend before Quốc khánh
      '2026-08-30',
      '2026-08-31', // swapped for Saturday 22 August
    ]);
    expect(surplus.every((e) => isWeekend(e.date) || e.name.startsWith('Nghỉ hoán đổi'))).toBe(true);
    expect(provisional.workingDays).toEqual([]);
  });

  it('2025: every statutory day is in the official file; the notice moved the Tết make-up day', () => {
    const provisional = provisionalYear(rules, 2025);
    const officialPairs = new Set(pairs(official[2025]!.holidays));
    const notInOfficial = pairs(provisional.holidays).filter((p) => !officialPairs.has(p));
    // Tết's fifth day, Saturday 1 February, is made up on the next working day by the rules; the
    // government gave Monday 27 January instead, before Tết.
    expect(notInOfficial).toEqual(['2025-02-03 Nghỉ bù Tết Nguyên đán']);
    expect(pairs(provisional.holidays.filter((e) => !isMakeUp(e)))).toEqual([
      '2025-01-01 Tết Dương lịch',
      '2025-01-28 Tết Nguyên đán',
      '2025-01-29 Tết Nguyên đán',
      '2025-01-30 Tết Nguyên đán',
      '2025-01-31 Tết Nguyên đán',
      '2025-02-01 Tết Nguyên đán',
      '2025-02-02 Tết Nguyên đán', // Sunday between 1 February and its make-up day
      '2025-04-07 Giỗ Tổ Hùng Vương',
      '2025-04-30 Ngày Chiến thắng',
      '2025-05-01 Ngày Quốc tế Lao động',
      '2025-09-01 Quốc khánh',
      '2025-09-02 Quốc khánh',
    ]);

    // Either way Tết costs five weekdays.
    const tetWeekdays = (file: CalendarFile): number =>
      file.holidays.filter((e) => e.name.endsWith('Tết Nguyên đán') && !isWeekend(e.date)).length;
    expect(tetWeekdays(provisional)).toBe(5);
    expect(tetWeekdays(official[2025]!)).toBe(5);

    const provisionalDates = new Set(provisional.holidays.map((e) => e.date));
    const surplus = official[2025]!.holidays.filter((e) => !provisionalDates.has(e.date)).map((e) => e.date);
    expect(surplus).toEqual([
      '2025-01-25', // Tết break opens on a Saturday
      '2025-01-26',
      '2025-01-27', // the make-up day for Saturday 1 February, placed before Tết
      '2025-05-02', // swapped for Saturday 26 April
      '2025-05-03', // weekend after it
      '2025-05-04',
      '2025-08-30', // weekend before Quốc khánh
      '2025-08-31',
    ]);
  });
});

describe('provisionalYear', () => {
  it('gives the days off of 2027', () => {
    expect(provisionalYear(rules, 2027).holidays).toEqual([
      { date: '2027-01-01', name: 'Tết Dương lịch' }, // Friday
      // Tết is Saturday 6 February; month 12 of lunar 2026 has 29 days, so the break opens on 29 Tết.
      { date: '2027-02-05', name: 'Tết Nguyên đán' }, // Friday
      { date: '2027-02-06', name: 'Tết Nguyên đán' }, // Saturday
      { date: '2027-02-07', name: 'Tết Nguyên đán' }, // Sunday
      { date: '2027-02-08', name: 'Tết Nguyên đán' }, // Monday
      { date: '2027-02-09', name: 'Tết Nguyên đán' }, // Tuesday
      {
        date: '2027-02-10',
        name: 'Nghỉ bù Tết Nguyên đán',
        note: 'In lieu of Saturday 2027-02-06, a weekly rest day.',
      },
      { date: '2027-02-11', name: 'Nghỉ bù Tết Nguyên đán', note: 'In lieu of Sunday 2027-02-07, a weekly rest day.' },
      { date: '2027-04-16', name: 'Giỗ Tổ Hùng Vương' }, // Friday, 10/3 lunar
      { date: '2027-04-30', name: 'Ngày Chiến thắng' }, // Friday
      { date: '2027-05-01', name: 'Ngày Quốc tế Lao động' }, // Saturday
      { date: '2027-05-02', name: 'Ngày Quốc tế Lao động' }, // Sunday, inside the break
      {
        date: '2027-05-03',
        name: 'Nghỉ bù Ngày Quốc tế Lao động',
        note: 'In lieu of Saturday 2027-05-01, a weekly rest day.',
      },
      { date: '2027-09-01', name: 'Quốc khánh' }, // Wednesday
      { date: '2027-09-02', name: 'Quốc khánh' }, // Thursday
    ]);
  });

  it('makes up holidays on a weekend after all the holidays that follow them', () => {
    // 2023: Giỗ Tổ on Saturday 29 April, 30/4 on Sunday, 1/5 on Monday.
    const holidays = provisionalYear(rules, 2023).holidays.filter(
      (e) => e.date >= '2023-04-29' && e.date <= '2023-05-05',
    );
    expect(pairs(holidays)).toEqual([
      '2023-04-29 Giỗ Tổ Hùng Vương',
      '2023-04-30 Ngày Chiến thắng',
      '2023-05-01 Ngày Quốc tế Lao động',
      '2023-05-02 Nghỉ bù Giỗ Tổ Hùng Vương',
      '2023-05-03 Nghỉ bù Ngày Chiến thắng',
    ]);
  });

  it('names a day that is two holidays after both', () => {
    // 10/3 lunar fell on 30 April in 1947; a weekday, so no make-up.
    const day = provisionalYear(rules, 1947).holidays.filter((e) => e.date === '1947-04-30');
    expect(day).toEqual([{ date: '1947-04-30', name: 'Giỗ Tổ Hùng Vương và Ngày Chiến thắng' }]);
  });

  it('gives every year of the range a file that builds into a calendar', () => {
    for (let year = 1900; year <= 2199; year++) {
      const file = provisionalYear(rules, year);
      expect(() => buildCalendar([file])).not.toThrow();
      const makeUps = file.holidays.filter(isMakeUp);
      expect(makeUps.every((e) => !isWeekend(e.date))).toBe(true);
      // Eleven statutory days, each a weekday off or made up on one; in 1947 two of them coincide.
      const weekdaysOff = file.holidays.filter((e) => !isMakeUp(e) && !isWeekend(e.date)).length + makeUps.length;
      expect(weekdaysOff).toBe(year === 1947 ? 10 : 11);
    }
    expect(() => provisionalYear(rules, 1899)).toThrow(RangeError);
    expect(() => provisionalYear(rules, 2200)).toThrow(RangeError);
  });

  it('fills a year the official files do not cover', () => {
    const calendar = buildCalendar([official[2025]!, official[2026]!, provisionalYear(rules, 2027)]);
    expect(calendar.nextWorkingDay('2027-02-04')).toBe('2027-02-12');
    expect(calendar.holidayName('2027-04-16')).toBe('Giỗ Tổ Hùng Vương');
    expect(calendar.nextWorkingDay('2027-04-29')).toBe('2027-05-04');
  });
});

describe('rules as data', () => {
  const withCultureDay = (): HolidayRules => ({
    ...rules,
    rules: [
      ...rules.rules,
      { name: 'Ngày Văn hóa Việt Nam', calendar: 'solar', month: 11, day: 24, offset: 0, days: 1, from: 2027 },
    ],
  });

  it('adds a holiday from a new entry, from its first year on', () => {
    const extended = withCultureDay();
    expect(provisionalYear(extended, 2026)).toEqual(provisionalYear(rules, 2026));
    expect(provisionalYear(extended, 2027).holidays).toContainEqual({
      date: '2027-11-24',
      name: 'Ngày Văn hóa Việt Nam',
    });
    // 24 November 2029 is a Saturday.
    expect(pairs(provisionalYear(extended, 2029).holidays.filter((e) => e.date.startsWith('2029-11')))).toEqual([
      '2029-11-24 Ngày Văn hóa Việt Nam',
      '2029-11-25 Ngày Văn hóa Việt Nam', // Sunday, inside the break
      '2029-11-26 Nghỉ bù Ngày Văn hóa Việt Nam',
    ]);
  });

  it('reads the new entry from JSON like the shipped ones', async () => {
    const json = (await readJson('calendar/rules.json')) as { rules: unknown[] };
    json.rules.push({ name: 'Ngày Văn hóa Việt Nam', calendar: 'solar', month: 11, day: 24, days: 1, from: 2027 });
    expect(parseHolidayRules(json, 'test')).toEqual(withCultureDay());
  });

  it('carries a make-up day into the next year', () => {
    // Sunday 31 December 2028 is made up after 1 January 2029, itself a holiday.
    const eve: HolidayRules = {
      ...rules,
      rules: [...rules.rules, { name: 'Ngày thử', calendar: 'solar', month: 12, day: 31, offset: 0, days: 1 }],
    };
    expect(provisionalYear(eve, 2028).holidays.at(-1)).toEqual({ date: '2028-12-31', name: 'Ngày thử' });
    expect(provisionalYear(eve, 2029).holidays.slice(0, 2)).toEqual([
      { date: '2029-01-01', name: 'Tết Dương lịch' },
      { date: '2029-01-02', name: 'Nghỉ bù Ngày thử', note: 'In lieu of Sunday 2028-12-31, a weekly rest day.' },
    ]);
  });

  it('records its legal source', () => {
    expect(rules.source).toMatch(/Bộ luật Lao động 2019.*Điều 112/);
    expect(provisionalYear(rules, 2027).source).toContain(rules.source);
  });
});

describe('parseHolidayRules', () => {
  const problemsOf = (value: unknown): string[] => {
    try {
      parseHolidayRules(value, 'rules.json');
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarDataError);
      return (error as CalendarDataError).problems;
    }
    throw new Error('no CalendarDataError');
  };

  it('names the entry and the field of every fault', () => {
    const problems = problemsOf({
      source: 'Bộ luật Lao động 2019',
      rules: [
        { name: 'Tết Dương lịch', calendar: 'solar', month: 1, day: 1, days: 1 },
        { name: 'Tết Nguyên đán', calendar: 'lunar', month: 13, day: 1, offset: -1, days: 5 },
        { name: 'Giỗ Tổ Hùng Vương', calendar: 'moon', month: 3, day: 10, days: 1 },
        { name: 'Ngày Chiến thắng', calendar: 'solar', month: 4, day: 31, days: 1 },
        { name: 'Cuối năm', calendar: 'lunar', month: 12, day: 30, days: 0 },
        { name: 'Quốc khánh', calendar: 'solar', month: 9, day: 2, days: 2, from: 2030, to: 2027, colour: 'red' },
        { calendar: 'solar', month: 2, day: 29, days: 1 },
        'Ngày Quốc tế Lao động',
      ],
    });
    expect(problems).toEqual([
      'rules.json: rules[1] ("Tết Nguyên đán").month must be an integer 1–12, got 13',
      'rules.json: rules[2] ("Giỗ Tổ Hùng Vương").calendar must be "solar" or "lunar", got "moon"',
      'rules.json: rules[3] ("Ngày Chiến thắng").day must be an integer 1–30 for month 4, got 31',
      'rules.json: rules[4] ("Cuối năm").day must be an integer 1–29 for a lunar date (for the last day of a month, use day 1 of the next one with offset -1), got 30',
      'rules.json: rules[4] ("Cuối năm").days must be an integer 1–10, got 0',
      'rules.json: rules[5] ("Quốc khánh"): unknown field "colour"',
      'rules.json: rules[5] ("Quốc khánh").to must not be before "from" (2030), got 2027',
      'rules.json: rules[6].name must be a non-empty string, got undefined',
      'rules.json: rules[6].day must be an integer 1–28 for month 2, got 29',
      'rules.json: rules[7] must be an object with "name", "calendar", "month", "day" and "days"',
    ]);
  });

  it('checks the file itself', () => {
    expect(problemsOf([])).toEqual(['rules.json: must be a JSON object']);
    expect(problemsOf({ rules: [], extra: 1 })).toEqual([
      'rules.json: unknown field "extra"',
      'rules.json: "source" must be a non-empty string',
      'rules.json: "rules" must be a non-empty array',
    ]);
  });

  it('accepts the shipped rules', () => {
    expect(rules.rules.map((r) => r.name)).toEqual([
      'Tết Dương lịch',
      'Tết Nguyên đán',
      'Giỗ Tổ Hùng Vương',
      'Ngày Chiến thắng',
      'Ngày Quốc tế Lao động',
      'Quốc khánh',
    ]);
  });
});
