import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek } from '../../domain/calendar.ts';
import { leapMonth, lunarNewYear, lunarToSolar, solarToLunar } from '../../domain/lunar.ts';
import type { LunarDate } from '../../domain/lunar.ts';

// Tết (1/1 lunar) in Vietnam, UTC+7. 2000–2030 are the published dates; 2031–2040 agree with the
// published Chinese dates (both calendars coincide in those years) and with a month-by-month check
// against a high-precision ephemeris. 1968 is the year North Vietnam moved its calendar to UTC+7.
const vietnameseTet: Record<number, string> = {
  1968: '1968-01-29',
  1985: '1985-01-21',
  2000: '2000-02-05',
  2001: '2001-01-24',
  2002: '2002-02-12',
  2003: '2003-02-01',
  2004: '2004-01-22',
  2005: '2005-02-09',
  2006: '2006-01-29',
  2007: '2007-02-17',
  2008: '2008-02-07',
  2009: '2009-01-26',
  2010: '2010-02-14',
  2011: '2011-02-03',
  2012: '2012-01-23',
  2013: '2013-02-10',
  2014: '2014-01-31',
  2015: '2015-02-19',
  2016: '2016-02-08',
  2017: '2017-01-28',
  2018: '2018-02-16',
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-02',
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
  2036: '2036-01-28',
  2037: '2037-02-15',
  2038: '2038-02-04',
  2039: '2039-01-24',
  2040: '2040-02-12',
};

// The years the time zone changes Tết: the same astronomy at UTC+8 gives the Chinese New Year (and
// the date South Vietnam kept in 1968).
const chineseNewYear: Record<number, string> = {
  1968: '1968-01-30',
  1985: '1985-02-20',
  2007: '2007-02-18',
  2030: '2030-02-03',
};

/** Every Gregorian day of `year`. */
function daysOf(year: number): string[] {
  const days: string[] = [];
  for (let day = `${year}-01-01`; day.startsWith(String(year)); day = addDays(day, 1)) days.push(day);
  return days;
}

describe('lunarNewYear', () => {
  it.each(Object.entries(vietnameseTet))('Tết %s is %s in Vietnam', (year, date) => {
    expect(lunarNewYear(Number(year))).toBe(date);
    expect(lunarNewYear(Number(year), 7)).toBe(date);
  });

  it.each(Object.entries(chineseNewYear))('at UTC+8 the new year %s is the Chinese %s', (year, date) => {
    expect(lunarNewYear(Number(year), 8)).toBe(date);
    expect(lunarNewYear(Number(year))).not.toBe(date);
  });

  it('puts Tết 2030 on a Saturday and 1985 a month ahead of China', () => {
    expect(dayOfWeek(lunarNewYear(2030))).toBe(6);
    // The December 1984 solstice came at 23:23 on 21 December at UTC+7 but at 00:23 on 22 December,
    // the day of a new moon, at UTC+8: month 11, and every month after it, began a month earlier in Vietnam.
    expect(solarToLunar('1985-01-21')).toEqual({ year: 1985, month: 1, day: 1, leap: false });
    expect(solarToLunar('1985-01-21', 8)).toEqual({ year: 1984, month: 12, day: 1, leap: false });
  });

  it('agrees with the Chinese date in the years the two calendars share', () => {
    for (let year = 2000; year <= 2040; year++) {
      if (chineseNewYear[year] === undefined) expect(lunarNewYear(year, 8)).toBe(vietnameseTet[year]);
    }
  });
});

describe('lunarToSolar', () => {
  // Giỗ Tổ Hùng Vương, 10/3 lunar, as announced for those years.
  it.each([
    [2023, '2023-04-29'],
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
  ])('Giỗ Tổ Hùng Vương %i is %s', (year, date) => {
    expect(lunarToSolar({ year, month: 3, day: 10 })).toBe(date);
  });

  it('finds the days of a leap month', () => {
    expect(lunarToSolar({ year: 2023, month: 2, day: 1, leap: true })).toBe('2023-03-22');
    expect(lunarToSolar({ year: 2025, month: 6, day: 1 })).toBe('2025-06-25');
    expect(lunarToSolar({ year: 2025, month: 6, day: 1, leap: true })).toBe('2025-07-25');
  });

  it('refuses a lunar day that does not exist', () => {
    expect(() => lunarToSolar({ year: 2025, month: 5, day: 1, leap: true })).toThrow(/no leap month 5/);
    // Month 12 of 2026 has 29 days: Tết 2027 follows 29 Tết.
    expect(lunarToSolar({ year: 2026, month: 12, day: 29 })).toBe('2027-02-05');
    expect(() => lunarToSolar({ year: 2026, month: 12, day: 30 })).toThrow(RangeError);
    expect(() => lunarToSolar({ year: 2025, month: 13, day: 1 })).toThrow(RangeError);
    expect(() => lunarToSolar({ year: 2025, month: 1, day: 0 })).toThrow(RangeError);
  });
});

describe('solarToLunar', () => {
  it('names the last day of the lunar year', () => {
    expect(solarToLunar('2025-01-28')).toEqual({ year: 2024, month: 12, day: 29, leap: false });
    expect(solarToLunar('2026-02-16')).toEqual({ year: 2025, month: 12, day: 29, leap: false });
    expect(solarToLunar('2026-02-17')).toEqual({ year: 2026, month: 1, day: 1, leap: false });
  });

  it('marks the days of a leap month', () => {
    expect(solarToLunar('2025-08-01')).toEqual({ year: 2025, month: 6, day: 8, leap: true });
    expect(solarToLunar('2025-07-24')).toEqual({ year: 2025, month: 6, day: 30, leap: false });
  });

  it('refuses a string that is not a date', () => {
    expect(() => solarToLunar('2025-02-30')).toThrow(RangeError);
  });
});

describe('leap months', () => {
  it.each([
    [2014, 9],
    [2017, 6],
    [2020, 4],
    [2023, 2],
    [2025, 6],
    [2033, 11],
  ])('lunar year %i has leap month %i', (year, month) => {
    expect(leapMonth(year)).toBe(month);
  });

  it('is absent in a year of twelve months', () => {
    expect(leapMonth(2024)).toBeUndefined();
    expect(leapMonth(2026)).toBeUndefined();
  });
});

describe('round trip', () => {
  // 1985 and 2033 are the awkward years (month 11 moved; leap month 11), 2023 and 2025 have leap
  // months, 1900 and 2199 are the ends of the range.
  it.each([
    [1900, 7],
    [1985, 7],
    [1985, 8],
    [2023, 7],
    [2025, 7],
    [2033, 7],
    [2199, 7],
  ])('every day of %i at UTC+%i goes to lunar and back', (year, timeZone) => {
    let previous: LunarDate | undefined;
    for (const day of daysOf(year)) {
      const lunar = solarToLunar(day, timeZone);
      expect(lunarToSolar(lunar, timeZone)).toBe(day);
      expect(solarToLunar(lunarToSolar(lunar, timeZone), timeZone)).toEqual(lunar);
      // Days count up by one; a new month starts after day 29 or 30.
      if (previous !== undefined) {
        if (lunar.day === 1) expect([29, 30]).toContain(previous.day);
        else expect(lunar).toEqual({ ...previous, day: previous.day + 1 });
      }
      previous = lunar;
    }
  });

  it('every day of lunar year 2025, leap month included, goes to solar and back', () => {
    const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].flatMap((month) =>
      month === leapMonth(2025)
        ? [
            { month, leap: false },
            { month, leap: true },
          ]
        : [{ month, leap: false }],
    );
    let count = 0;
    for (const { month, leap } of months) {
      // A month has 30 days when the day after its 29th is still in it.
      const length = solarToLunar(addDays(lunarToSolar({ year: 2025, month, day: 29, leap }), 1)).day === 30 ? 30 : 29;
      for (let day = 1; day <= length; day++) {
        const lunar = { year: 2025, month, day, leap };
        expect(solarToLunar(lunarToSolar(lunar))).toEqual(lunar);
        count++;
      }
    }
    // 13 months from 29 January 2025 to 16 February 2026.
    expect(count).toBe(384);
  });
});

describe('range', () => {
  it('covers 1900–2199 and refuses the years around it', () => {
    expect(lunarNewYear(1900)).toBe('1900-01-31');
    expect(() => lunarNewYear(1899)).toThrow(RangeError);
    expect(() => lunarNewYear(2200)).toThrow(RangeError);
    expect(() => solarToLunar('1899-12-31')).toThrow(RangeError);
    expect(() => solarToLunar('2200-01-01')).toThrow(RangeError);
    expect(() => lunarToSolar({ year: 2199, month: 12, day: 29 })).toThrow(RangeError);
  });

  it('refuses a time zone that is not one', () => {
    expect(() => lunarNewYear(2025, 25)).toThrow(RangeError);
    expect(() => lunarNewYear(2025, Number.NaN)).toThrow(RangeError);
  });
});
