import { addDays, CalendarDataError, dayOfWeek, daysInMonth, isoDate, yearOf } from './calendar.ts';
import type { CalendarEntry, CalendarFile } from './calendar.ts';
import { lunarToSolar, lunarYearRange } from './lunar.ts';
import type { IsoDate } from './types.ts';

// Provisional holiday years computed from the statutory rules (Labour Code 2019, art. 112), for the
// years the government has not yet announced. The rules are data (data/calendar/rules.json), so a
// new holiday is a new entry, not new code. An official year file, once published, replaces the
// provisional one: it adds what only a notice decides (swapped days, weekends opening or closing a
// break, where Tết's make-up days go).

/** One statutory holiday: `days` consecutive days from its anchor date moved by `offset` days. */
export interface HolidayRule {
  /** Shown to users, in Vietnamese. */
  name: string;
  /** `lunar` counts in the Vietnamese lunar calendar (regular months, never a leap month). */
  calendar: 'solar' | 'lunar';
  month: number;
  day: number;
  /** Days from the anchor date to the first day off; Tết starts the day before 1/1 lunar. */
  offset: number;
  days: number;
  /** First and last year (of the anchor date: lunar year for lunar rules) the rule applies to. */
  from?: number;
  to?: number;
  /** Why the rule reads as it does: the legal text, and the choice made where the law leaves one. */
  basis?: string;
}

export interface HolidayRules {
  /** The legal source of the rules. */
  source: string;
  rules: HolidayRule[];
}

const makeUpPrefix = 'Nghỉ bù';
const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/**
 * The days off of `year` that the rules give, in the shape of an official year file: every
 * statutory day; for each one falling on a Saturday or Sunday, a make-up day on the next day that
 * is neither weekend, holiday nor already a make-up day (art. 111(3)); and the weekend days enclosed
 * in a break. No working days: swaps are decided by notice only.
 */
export function provisionalYear(rules: HolidayRules, year: number): CalendarFile {
  if (!Number.isInteger(year) || year < lunarYearRange.first || year > lunarYearRange.last) {
    throw new RangeError(
      `provisional years are computed for ${lunarYearRange.first}–${lunarYearRange.last}, got ${year}`,
    );
  }
  // Work on the neighbouring years too: a break or a make-up day can cross New Year's Eve.
  const statutory = statutoryDaysAround(rules, year);
  const daysOff = new Map<IsoDate, { entry: CalendarEntry; holiday: string }>();
  for (const [date, holiday] of statutory) daysOff.set(date, { entry: { date, name: holiday }, holiday });

  for (const [date, holiday] of statutory) {
    if (!isWeekend(date)) continue;
    let makeUp = addDays(date, 1);
    while (isWeekend(makeUp) || daysOff.has(makeUp)) makeUp = addDays(makeUp, 1);
    const note = `In lieu of ${weekdayNames[dayOfWeek(date)]} ${date}, a weekly rest day.`;
    daysOff.set(makeUp, { entry: { date: makeUp, name: `${makeUpPrefix} ${holiday}`, note }, holiday });
  }

  // A weekend between two days off belongs to the break: listed under the holiday before it.
  const sorted = [...daysOff.keys()].sort();
  for (let i = 0; i + 1 < sorted.length; i++) {
    const before = daysOff.get(sorted[i]!)!;
    const gap: IsoDate[] = [];
    for (let day = addDays(sorted[i]!, 1); day < sorted[i + 1]!; day = addDays(day, 1)) gap.push(day);
    if (gap.length > 0 && gap.every(isWeekend)) {
      for (const day of gap) daysOff.set(day, { entry: { date: day, name: before.holiday }, holiday: before.holiday });
    }
  }

  const holidays = [...daysOff.values()]
    .map(({ entry }) => entry)
    .filter((entry) => yearOf(entry.date) === year)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    year,
    source: `Provisional, computed from the statutory rules (${rules.source}); the official notice for ${year} replaces it.`,
    holidays,
    workingDays: [],
  };
}

/**
 * The statutory days of the rules anchored in `year` − 1 … `year` + 1, in date order, each with its
 * name; two holidays on one day share it (one day off, named after both; the law gives no make-up
 * for that, only for a weekly rest day).
 */
function statutoryDaysAround(rules: HolidayRules, year: number): [IsoDate, string][] {
  const names = new Map<IsoDate, string[]>();
  for (const rule of rules.rules) {
    for (let anchorYear = year - 1; anchorYear <= year + 1; anchorYear++) {
      if ((rule.from !== undefined && anchorYear < rule.from) || (rule.to !== undefined && anchorYear > rule.to))
        continue;
      const anchor = anchorDate(rule, anchorYear);
      if (anchor === undefined) continue;
      for (let i = 0; i < rule.days; i++) {
        const date = addDays(anchor, rule.offset + i);
        const list = names.get(date) ?? [];
        if (!list.includes(rule.name)) list.push(rule.name);
        names.set(date, list);
      }
    }
  }
  return [...names.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, list]) => [date, list.join(' và ')]);
}

function anchorDate(rule: HolidayRule, year: number): IsoDate | undefined {
  if (rule.calendar === 'solar') return isoDate(year, rule.month, rule.day);
  try {
    return lunarToSolar({ year, month: rule.month, day: rule.day });
  } catch (error) {
    // Parsing already checked month and day, so only the lunar calendar's range is left: the
    // neighbouring years at its edges have no anchor, which costs nothing inside the range.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function isWeekend(day: IsoDate): boolean {
  const weekday = dayOfWeek(day);
  return weekday === 0 || weekday === 6;
}

// ---- Parsing ------------------------------------------------------------------------------------

// Bounds that keep every day of a rule within a year of its anchor, which provisionalYear relies on;
// a statutory holiday longer than ten days would be a typing error.
const maxDays = 10;
const maxOffset = 30;

/**
 * Checks the shape of the parsed rules file and returns it typed; `origin` (a file name) prefixes
 * every problem, and each names the rule (index and name) and the field at fault.
 */
export function parseHolidayRules(value: unknown, origin: string): HolidayRules {
  if (!isRecord(value)) throw new CalendarDataError([`${origin}: must be a JSON object`]);
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!['source', 'rules'].includes(key)) problems.push(`${origin}: unknown field "${key}"`);
  }
  if (typeof value.source !== 'string' || value.source.trim() === '')
    problems.push(`${origin}: "source" must be a non-empty string`);
  if (!Array.isArray(value.rules) || value.rules.length === 0) {
    problems.push(`${origin}: "rules" must be a non-empty array`);
    throw new CalendarDataError(problems);
  }

  const rules: HolidayRule[] = [];
  value.rules.forEach((entry: unknown, i) => {
    const rule = parseRule(entry, `${origin}: rules[${i}]`, problems);
    if (rule !== undefined) rules.push(rule);
  });
  if (problems.length > 0) throw new CalendarDataError(problems);
  return { source: value.source as string, rules };
}

function parseRule(entry: unknown, at: string, problems: string[]): HolidayRule | undefined {
  if (!isRecord(entry)) {
    problems.push(`${at} must be an object with "name", "calendar", "month", "day" and "days"`);
    return undefined;
  }
  const where = typeof entry.name === 'string' ? `${at} ("${entry.name}")` : at;
  const count = problems.length;
  const fault = (field: string, message: string): void => {
    problems.push(`${where}.${field} ${message}, got ${JSON.stringify(entry[field])}`);
  };
  const isIntegerIn = (v: unknown, min: number, max: number): v is number =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

  const known = ['name', 'calendar', 'month', 'day', 'offset', 'days', 'from', 'to', 'basis'];
  for (const key of Object.keys(entry)) {
    if (!known.includes(key)) problems.push(`${where}: unknown field "${key}"`);
  }
  const { name, calendar, month, day, offset = 0, days, from, to, basis } = entry;
  if (typeof name !== 'string' || name.trim() === '') fault('name', 'must be a non-empty string');
  if (calendar !== 'solar' && calendar !== 'lunar') fault('calendar', 'must be "solar" or "lunar"');
  if (!isIntegerIn(month, 1, 12)) fault('month', 'must be an integer 1–12');
  if (calendar === 'lunar' && !isIntegerIn(day, 1, 29)) {
    // A lunar month has 29 or 30 days, so a 30th is not there every year.
    fault(
      'day',
      'must be an integer 1–29 for a lunar date (for the last day of a month, use day 1 of the next one with offset -1)',
    );
  } else if (calendar === 'solar' && isIntegerIn(month, 1, 12)) {
    // 2001 is not a leap year: 29 February is not there every year either.
    if (!isIntegerIn(day, 1, daysInMonth(2001, month)))
      fault('day', `must be an integer 1–${daysInMonth(2001, month)} for month ${month}`);
  } else if (!isIntegerIn(day, 1, 31)) {
    fault('day', 'must be an integer 1–31');
  }
  if (!isIntegerIn(offset, -maxOffset, maxOffset)) fault('offset', `must be an integer −${maxOffset}…${maxOffset}`);
  if (!isIntegerIn(days, 1, maxDays)) fault('days', `must be an integer 1–${maxDays}`);
  if (from !== undefined && !isIntegerIn(from, lunarYearRange.first, lunarYearRange.last)) {
    fault('from', `must be a year ${lunarYearRange.first}–${lunarYearRange.last}`);
  }
  if (to !== undefined && !isIntegerIn(to, lunarYearRange.first, lunarYearRange.last)) {
    fault('to', `must be a year ${lunarYearRange.first}–${lunarYearRange.last}`);
  }
  if (typeof from === 'number' && typeof to === 'number' && from > to)
    fault('to', `must not be before "from" (${from})`);
  if (basis !== undefined && typeof basis !== 'string') fault('basis', 'must be a string');
  if (problems.length > count) return undefined;

  return {
    name: name as string,
    calendar: calendar as HolidayRule['calendar'],
    month: month as number,
    day: day as number,
    offset: offset as number,
    days: days as number,
    ...(from !== undefined ? { from: from as number } : {}),
    ...(to !== undefined ? { to: to as number } : {}),
    ...(basis !== undefined ? { basis: basis as string } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The provisional years of these rules, for buildCalendar: undefined outside the years they cover. */
export function provisionalYears(rules: HolidayRules): (year: number) => CalendarFile | undefined {
  return (year) =>
    Number.isInteger(year) && year >= lunarYearRange.first && year <= lunarYearRange.last
      ? provisionalYear(rules, year)
      : undefined;
}
