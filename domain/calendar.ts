import type { IsoDate } from './types.ts';

// The working calendar of Vietnamese civil servants: Monday–Friday, minus public
// holidays, plus make-up working days. Holidays come from data, never from code: the official
// notice of a year is a JSON file, and a year without one is *provisional*, computed from the
// statutory rules (holiday-rules.ts) until its notice is added. All arithmetic is on Y-M-D through Date.UTC, so the
// machine's own time zone never matters.

export interface CalendarEntry {
  date: IsoDate;
  name: string;
  /** Why the entry is there, when the name alone does not say (a swapped day, a special decision). */
  note?: string;
}

export interface CalendarFile {
  year: number;
  source?: string;
  /** Every day off, listed one by one, weekends inside a holiday span included. */
  holidays: CalendarEntry[];
  /** Saturdays or Sundays worked to make up for a swapped day off. */
  workingDays: CalendarEntry[];
}

export interface WorkingCalendar {
  /** Years whose official notice the calendar has. */
  readonly years: readonly number[];
  /** A year without an official notice whose holidays are computed from the statutory rules. */
  isProvisional(year: number): boolean;
  isWorkingDay(day: IsoDate): boolean;
  /** The first working day strictly after `day`. */
  nextWorkingDay(day: IsoDate): IsoDate;
  /** The last working day strictly before `day`. */
  previousWorkingDay(day: IsoDate): IsoDate;
  /** Counts `n` working days after (n > 0) or before (n < 0) `day`, not counting `day` itself; n = 0 gives `day`. */
  addWorkingDays(day: IsoDate, n: number): IsoDate;
  /** `day` itself when it is a working day, else the next working day (Civil Code 2015, art. 148(5)). */
  shiftToWorkingDay(day: IsoDate): IsoDate;
  /** The holiday's name, or undefined when `day` is not a listed holiday. */
  holidayName(day: IsoDate): string | undefined;
  /** The make-up working day's name, or undefined when `day` is not one. */
  makeUpDayName(day: IsoDate): string | undefined;
}

/** Holiday data that is malformed or contradicts itself; `problems` lists every fault found. */
export class CalendarDataError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid calendar data:\n  ${problems.join('\n  ')}`);
    this.name = 'CalendarDataError';
    this.problems = problems;
  }
}

const msPerDay = 86_400_000;
const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** True for a real calendar day written YYYY-MM-DD (so 2026-02-29 is false). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function assertIsoDate(value: IsoDate): void {
  if (!isIsoDate(value)) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(value)}`);
}

/** Days since 1970-01-01. */
function dayNumber(day: IsoDate): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / msPerDay;
}

function fromDayNumber(n: number): IsoDate {
  const date = new Date(n * msPerDay);
  return isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** Writes a Y-M-D triple as an IsoDate; month and day must already be in range. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `day` moved by `n` calendar days. */
export function addDays(day: IsoDate, n: number): IsoDate {
  assertIsoDate(day);
  return fromDayNumber(dayNumber(day) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(day: IsoDate): number {
  assertIsoDate(day);
  // 1970-01-01 was a Thursday.
  return (((dayNumber(day) + 4) % 7) + 7) % 7;
}

export function yearOf(day: IsoDate): number {
  return Number(day.slice(0, 4));
}

function isWeekend(day: IsoDate): boolean {
  const weekday = dayOfWeek(day);
  return weekday === 0 || weekday === 6;
}

/**
 * Builds the calendar from one file per year. Refuses, listing every fault at once: two files for
 * one year, malformed or out-of-year dates, a day listed twice, a day both off and worked, and a
 * make-up working day that is already a weekday.
 */
export function buildCalendar(
  files: readonly CalendarFile[],
  options: {
    /** The days off of a year without a notice (provisionalYear over the rules); undefined outside the rules' years. */
    provisional?: (year: number) => CalendarFile | undefined;
  } = {},
): WorkingCalendar {
  const problems: string[] = [];
  const holidays = new Map<IsoDate, string>();
  const makeUpDays = new Map<IsoDate, string>();
  const years = new Set<number>();

  for (const file of files) {
    if (!Number.isInteger(file.year)) {
      problems.push(`calendar file with year ${JSON.stringify(file.year)}: the year must be an integer`);
      continue;
    }
    const label = `calendar ${file.year}`;
    if (years.has(file.year)) {
      problems.push(`${label}: two files for the same year`);
      continue;
    }
    years.add(file.year);

    const check = (entry: CalendarEntry, where: string): boolean => {
      if (!isIsoDate(entry.date)) {
        problems.push(`${label}: ${where}.date ${JSON.stringify(entry.date)} is not a date (YYYY-MM-DD)`);
        return false;
      }
      if (yearOf(entry.date) !== file.year) {
        problems.push(`${label}: ${where}.date ${entry.date} is not in ${file.year}`);
        return false;
      }
      if (typeof entry.name !== 'string' || entry.name.trim() === '') {
        problems.push(`${label}: ${where}.name is missing for ${entry.date}`);
        return false;
      }
      return true;
    };

    file.holidays.forEach((entry, i) => {
      if (!check(entry, `holidays[${i}]`)) return;
      const earlier = holidays.get(entry.date);
      if (earlier !== undefined) {
        problems.push(`${label}: ${entry.date} is listed twice as a holiday ("${earlier}" and "${entry.name}")`);
        return;
      }
      holidays.set(entry.date, entry.name);
    });
    file.workingDays.forEach((entry, i) => {
      if (!check(entry, `workingDays[${i}]`)) return;
      const earlier = makeUpDays.get(entry.date);
      if (earlier !== undefined) {
        problems.push(`${label}: ${entry.date} is listed twice as a working day ("${earlier}" and "${entry.name}")`);
        return;
      }
      if (!isWeekend(entry.date)) {
        problems.push(
          `${label}: make-up working day ${entry.date} is a ${weekdayNames[dayOfWeek(entry.date)]}, which is a working day anyway`,
        );
        return;
      }
      const holiday = holidays.get(entry.date);
      if (holiday !== undefined) {
        problems.push(`${label}: ${entry.date} is both a holiday ("${holiday}") and a working day ("${entry.name}")`);
        return;
      }
      makeUpDays.set(entry.date, entry.name);
    });
  }
  if (problems.length > 0) throw new CalendarDataError(problems);

  // Provisional years are computed when first asked for. A year's break or make-up day may fall
  // in the next year (a Tết break starting on 31 December), so a year takes in its predecessor's
  // provisional days too; days in a year that has its notice never come from the rules.
  const { provisional } = options;
  const computed = new Map<number, CalendarFile | undefined>();
  const provisionalFile = (year: number) => {
    if (provisional === undefined || years.has(year)) return undefined;
    if (!computed.has(year)) computed.set(year, provisional(year));
    return computed.get(year);
  };
  const isProvisional = (year: number) => provisionalFile(year) !== undefined;
  const takenIn = new Set<number>();
  const takeIn = (year: number) => {
    const file = provisionalFile(year);
    if (!file || takenIn.has(year)) return;
    takenIn.add(year);
    for (const entry of file.holidays) {
      if (!years.has(yearOf(entry.date)) && !holidays.has(entry.date)) holidays.set(entry.date, entry.name);
    }
    for (const entry of file.workingDays) {
      if (!years.has(yearOf(entry.date)) && !makeUpDays.has(entry.date)) makeUpDays.set(entry.date, entry.name);
    }
  };
  const cover = (day: IsoDate) => {
    if (provisional === undefined) return;
    const year = yearOf(day);
    takeIn(year - 1);
    takeIn(year);
  };

  const isWorkingDay = (day: IsoDate): boolean => {
    assertIsoDate(day);
    cover(day);
    if (holidays.has(day)) return false;
    if (makeUpDays.has(day)) return true;
    return !isWeekend(day);
  };

  // Steps one calendar day at a time; a year has ~250 working days, so this stays cheap.
  const step = (day: IsoDate, direction: 1 | -1): IsoDate => {
    let n = dayNumber(day) + direction;
    while (!isWorkingDay(fromDayNumber(n))) n += direction;
    return fromDayNumber(n);
  };

  return {
    years: [...years].sort((a, b) => a - b),
    isProvisional,
    isWorkingDay,
    nextWorkingDay: (day) => {
      assertIsoDate(day);
      return step(day, 1);
    },
    previousWorkingDay: (day) => {
      assertIsoDate(day);
      return step(day, -1);
    },
    addWorkingDays: (day, n) => {
      assertIsoDate(day);
      if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
      let result = day;
      for (let i = 0; i < Math.abs(n); i++) result = step(result, n > 0 ? 1 : -1);
      return result;
    },
    shiftToWorkingDay: (day) => (isWorkingDay(day) ? day : step(day, 1)),
    holidayName: (day) => {
      assertIsoDate(day);
      cover(day);
      return holidays.get(day);
    },
    makeUpDayName: (day) => {
      assertIsoDate(day);
      cover(day);
      return makeUpDays.get(day);
    },
  };
}

/**
 * Checks the shape of one parsed JSON calendar file and returns it typed; `origin` (a file name)
 * prefixes every problem. Whether the entries agree with each other is buildCalendar's job.
 */
export function parseCalendarFile(value: unknown, origin: string): CalendarFile {
  const problems: string[] = [];
  if (!isRecord(value)) throw new CalendarDataError([`${origin}: must be a JSON object`]);
  for (const key of Object.keys(value)) {
    if (!['year', 'source', 'holidays', 'workingDays'].includes(key))
      problems.push(`${origin}: unknown field "${key}"`);
  }
  const year = value.year;
  if (typeof year !== 'number' || !Number.isInteger(year)) problems.push(`${origin}: "year" must be an integer`);
  const source = value.source;
  if (source !== undefined && typeof source !== 'string') problems.push(`${origin}: "source" must be a string`);

  const entries = (field: 'holidays' | 'workingDays', required: boolean): CalendarEntry[] => {
    const list = value[field];
    if (list === undefined && !required) return [];
    if (!Array.isArray(list)) {
      problems.push(`${origin}: "${field}" must be an array`);
      return [];
    }
    const result: CalendarEntry[] = [];
    list.forEach((entry: unknown, i) => {
      const where = `${origin}: ${field}[${i}]`;
      if (!isRecord(entry)) {
        problems.push(`${where} must be an object with "date" and "name"`);
        return;
      }
      for (const key of Object.keys(entry)) {
        if (!['date', 'name', 'note'].includes(key)) problems.push(`${where}: unknown field "${key}"`);
      }
      if (typeof entry.date !== 'string') problems.push(`${where}.date must be a string`);
      if (typeof entry.name !== 'string') problems.push(`${where}.name must be a string`);
      if (entry.note !== undefined && typeof entry.note !== 'string') problems.push(`${where}.note must be a string`);
      if (typeof entry.date === 'string' && typeof entry.name === 'string') {
        result.push({
          date: entry.date,
          name: entry.name,
          ...(typeof entry.note === 'string' ? { note: entry.note } : {}),
        });
      }
    });
    return result;
  };
  const holidays = entries('holidays', true);
  // A year without swapped days may leave the list out.
  const workingDays = entries('workingDays', false);

  if (problems.length > 0) throw new CalendarDataError(problems);
  return { year: year as number, ...(source !== undefined ? { source: source as string } : {}), holidays, workingDays };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
